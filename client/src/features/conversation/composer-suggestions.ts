import type { CannedReply } from '@carebox/shared'
import type { TeamMember } from '../../store/members.slice'

/** How many suggestions the picker shows at most: typing more narrows them. */
export const maxSuggestions = 8

/**
 * The canned replies usable in a conversation of `teamId` (everyone's and the team's) that match what follows
 * the "/": shortcuts starting with it first, then shortcuts or titles containing it.
 */
export function matchCannedReplies(replies: readonly CannedReply[], teamId: string, query: string): CannedReply[] {
  const q = query.toLowerCase()
  const usable = replies.filter((r) => r.teamId === null || r.teamId === teamId)
  const starting = usable.filter((r) => r.shortcut.startsWith(q))
  const containing = usable.filter((r) => !r.shortcut.startsWith(q) && (r.shortcut.includes(q) || r.title.toLowerCase().includes(q)))
  return [...starting, ...containing].slice(0, maxSuggestions)
}

/** Teammates whose name (or a word of it) starts with what follows the "@"; never yourself. */
export function matchMembers(members: readonly TeamMember[], query: string, myId: string | undefined): TeamMember[] {
  const q = query.toLowerCase()
  return members
    .filter((m) => m.id !== myId)
    .filter(
      (m) =>
        m.name
          .toLowerCase()
          .split(/\s+/)
          .some((word) => word.startsWith(q)) || m.name.toLowerCase().startsWith(q),
    )
    .slice(0, maxSuggestions)
}
