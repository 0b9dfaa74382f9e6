import { renderCannedReply, roleLabels, type ConversationSummary, type Teammate } from '@carebox/shared'
import { useEffect, useId, useState, type KeyboardEvent } from 'react'
import type { ComposerMode } from '../../store/drafts.slice'
import { useStore } from '../../store/store'
import { matchCannedReplies, matchMembers } from './composer-suggestions'
import { findTrigger, replaceTrigger } from './composer-triggers'

export interface PickerOption {
  id: string
  primary: string
  secondary: string
}

/** What choosing an option makes of the text: the new text, where the caret goes, and whom it mentions. */
export interface PickerChoice {
  text: string
  caret: number
  mention?: Teammate
}

export interface ComposerPicker {
  isOpen: boolean
  isLoading: boolean
  label: string
  listId: string
  optionId(index: number): string
  options: PickerOption[]
  activeIndex: number
  choose(index: number): void
  /** Handles the picker's keys (arrows, Enter, Tab, Escape) while it is open; answers whether it did. */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean
}

/**
 * The composer's pickers: "/" in a reply offers canned replies, "@" in a note offers teammates to mention. Each
 * opens where the trigger starts a word, narrows as you type, and is worked with the keyboard alone.
 */
export function useComposerPicker(input: {
  conversation: ConversationSummary
  mode: ComposerMode
  text: string
  caret: number
  isActive: boolean
  onChoose(choice: PickerChoice): void
}): ComposerPicker {
  const { conversation, mode, text, isActive, onChoose } = input
  const caret = Math.min(input.caret, text.length)
  const me = useStore((s) => s.session?.user)
  const canned = useStore((s) => s.cannedReplies)
  const hasCannedError = useStore((s) => s.cannedRepliesError !== null)
  const loadCanned = useStore((s) => s.loadCannedReplies)
  const members = useStore((s) => s.membersByTeam[conversation.teamId])
  const hasMembersError = useStore((s) => s.membersErrors[conversation.teamId] !== undefined)
  const loadMembers = useStore((s) => s.loadTeamMembers)
  const listId = useId()
  const [active, setActive] = useState({ key: '', index: 0 })
  const [dismissedKey, setDismissedKey] = useState<string | null>(null)

  const isCanned = mode === 'reply'
  const trigger = isActive ? findTrigger(text, caret, isCanned ? '/' : '@') : null
  const hasTrigger = trigger !== null
  // Loaded the first time a picker opens, not with every conversation.
  useEffect(() => {
    if (!hasTrigger) return
    if (isCanned && canned === null && !hasCannedError) void loadCanned()
    if (!isCanned && !members && !hasMembersError) void loadMembers(conversation.teamId)
  }, [hasTrigger, isCanned, canned, hasCannedError, loadCanned, members, hasMembersError, loadMembers, conversation.teamId])

  const cannedMatches = trigger && isCanned ? matchCannedReplies(canned ?? [], conversation.teamId, trigger.query) : []
  const memberMatches = trigger && !isCanned ? matchMembers(members ?? [], trigger.query, me?.id) : []
  const options: PickerOption[] = isCanned
    ? cannedMatches.map((r) => ({ id: r.id, primary: `/${r.shortcut}`, secondary: r.title }))
    : memberMatches.map((m) => ({ id: m.id, primary: m.name, secondary: roleLabels[m.role] }))
  const isLoading = hasTrigger && (isCanned ? canned === null && !hasCannedError : !members && !hasMembersError)
  const key = trigger ? `${mode}:${trigger.start}:${trigger.query}` : ''
  const isOpen = hasTrigger && key !== dismissedKey && (options.length > 0 || isLoading)
  const activeIndex = active.key === key ? Math.min(active.index, options.length - 1) : 0

  const choose = (index: number) => {
    if (!trigger) return
    const reply = cannedMatches[index]
    const member = memberMatches[index]
    if (reply) {
      const values = { customerName: conversation.contact.name, agentName: me?.name ?? '', channelName: conversation.channel.name }
      onChoose(replaceTrigger(text, trigger, caret, renderCannedReply(reply.body, values)))
    } else if (member) {
      onChoose({ ...replaceTrigger(text, trigger, caret, `@${member.name} `), mention: { id: member.id, name: member.name } })
    }
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!isOpen) return false
    const hasModifier = event.ctrlKey || event.metaKey || event.altKey || event.shiftKey
    const count = options.length
    if (event.key === 'Escape') {
      setDismissedKey(key)
      // Escape closes the picker only; it does not also leave the text box.
      event.stopPropagation()
    } else if (count === 0 || hasModifier) {
      return false
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      setActive({ key, index: (activeIndex + (event.key === 'ArrowDown' ? 1 : count - 1)) % count })
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      choose(activeIndex)
    } else {
      return false
    }
    event.preventDefault()
    return true
  }

  return {
    isOpen,
    isLoading,
    label: isCanned ? 'Canned replies' : 'Teammates to mention',
    listId,
    optionId: (index) => `${listId}-${index}`,
    options,
    activeIndex,
    choose,
    onKeyDown,
  }
}
