import { conversationsApi, replyLength, replyLimit, replyWindow, type ConversationSummary, type ReplyWindow } from '@carebox/shared'
import { formatDateTime, formatRemaining } from '../../components/formatTime'
import type { ComposerMode } from '../../store/drafts.slice'

/** What the rules need to know about the conversation being answered. */
export type ReplyTarget = Pick<ConversationSummary, 'channel' | 'kind' | 'lastInboundAt'>

/** The API's own cap on a reply or note, whatever the platform allows. */
export const maxBodyLength = conversationsApi.note.schema.body.properties.text.maxLength ?? 10_000

export interface DraftCheck {
  /** The length as the platform counts it. */
  length: number
  /** The platform's limit; null for notes, which never leave Carebox. */
  limit: number | null
  isOverLimit: boolean
  /** Whether and how a reply may go out now; null for notes. */
  window: ReplyWindow | null
  canSend: boolean
  blockedBy: 'empty' | 'too_long' | 'window_closed' | null
}

/** `hasFile`: a file goes with the reply, which may then have no text. */
export function checkReply(target: ReplyTarget, text: string, now: Date, hasFile = false): DraftCheck {
  const { maxLength, unit } = replyLimit(target.channel.kind, target.kind)
  const length = replyLength(text, unit)
  const limit = Math.min(maxLength, maxBodyLength)
  const window = replyWindow(target.channel.kind, target.kind, target.lastInboundAt, now)
  const isOverLimit = length > limit
  const blockedBy = text.trim() === '' && !hasFile ? 'empty' : isOverLimit ? 'too_long' : window.state === 'closed' ? 'window_closed' : null
  return { length, limit, isOverLimit, window, canSend: blockedBy === null, blockedBy }
}

export function checkNote(text: string): DraftCheck {
  const length = text.length
  const isOverLimit = length > maxBodyLength
  const blockedBy = text.trim() === '' ? 'empty' : isOverLimit ? 'too_long' : null
  return { length, limit: null, isOverLimit, window: null, canSend: blockedBy === null, blockedBy }
}

export function checkDraft(mode: ComposerMode, target: ReplyTarget, text: string, now: Date, hasFile = false): DraftCheck {
  return mode === 'reply' ? checkReply(target, text, now, hasFile) : checkNote(text)
}

/** "123 / 2000", for a reply; null for a note. */
export function counterLabel(check: DraftCheck): string | null {
  return check.limit === null ? null : `${check.length} / ${check.limit}`
}

/** What to tell the agent about the platform's reply window; null when there is nothing to say. */
export function windowNotice(window: ReplyWindow | null, now: Date): { tone: 'info' | 'warning' | 'blocked'; text: string } | null {
  if (!window) return null
  switch (window.state) {
    case 'open': {
      if (!window.closesAt) return null
      const remaining = Date.parse(window.closesAt) - now.getTime()
      return { tone: remaining < 60 * 60_000 ? 'warning' : 'info', text: `Window closes in ${formatRemaining(remaining)}` }
    }
    case 'human_agent':
      return { tone: 'warning', text: `Sent as a human agent reply (HUMAN_AGENT tag), possible until ${formatDateTime(window.closesAt)}` }
    case 'closed':
      return { tone: 'blocked', text: window.reason }
  }
}
