import { useEffect } from 'react'
import { selectOpenConversationId } from '../../store/router.slice'
import { useStore } from '../../store/store'
import { snoozePresets } from '../conversation/snooze-presets'

const oneHour = snoozePresets.find((p) => p.id === '1h')!

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  // A focused tick box takes no text: the list's keys still work from it.
  if (target instanceof HTMLInputElement && ['checkbox', 'radio'].includes(target.type)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/**
 * Enter already means something on a button or link: let it mean that. A list row is the exception: after
 * clicking one and moving with j/k, Enter opens the selected row, not the clicked one.
 */
function isActivatable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement) || !['BUTTON', 'A'].includes(target.tagName)) return false
  return !target.classList.contains('conversation-item')
}

/**
 * The inbox's keyboard shortcuts (listed in `shortcuts.ts`). Single keys are ignored while typing, so they type;
 * Escape leaves the text box. Ctrl/Cmd+Enter is the composer's own.
 */
export function useInboxShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const store = useStore.getState()
      if (event.key === 'Escape') {
        if (store.isShortcutHelpOpen) store.setShortcutHelpOpen(false)
        else if (isTyping(event.target)) (event.target as HTMLElement).blur()
        return
      }
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return
      if (event.key === '?') {
        event.preventDefault()
        store.setShortcutHelpOpen(!store.isShortcutHelpOpen)
        return
      }
      if (store.isShortcutHelpOpen) return

      const open = selectOpenConversationId(store)
      const conversation = open ? store.conversationsById[open] : undefined
      const me = store.session?.user.id
      const run = (action: () => void) => {
        event.preventDefault()
        action()
      }
      switch (event.key) {
        case 'j':
          return run(() => store.moveSelection(1))
        case 'k':
          return run(() => store.moveSelection(-1))
        case 'Enter':
          if (store.selectedConversationId && !isActivatable(event.target)) run(() => store.openConversation(store.selectedConversationId))
          return
        case 'x': {
          const selected = store.selectedConversationId
          if (selected && store.conversationOrder.includes(selected)) run(() => store.toggleChecked(selected))
          return
        }
        case 'r':
          if (conversation) run(() => store.focusComposer('reply'))
          return
        case 'n':
          if (conversation) run(() => store.focusComposer('note'))
          return
        case 'e':
          if (conversation && conversation.status !== 'resolved') run(() => void store.resolveAndOpenNext(conversation.id))
          return
        case 'a':
          if (conversation && me && conversation.assignee?.id !== me) run(() => void store.assignConversation(conversation.id, me))
          return
        case 's':
          if (conversation && conversation.status !== 'resolved') {
            run(() => void store.setConversationStatus(conversation.id, 'snoozed', oneHour.until(new Date()).toISOString()))
          }
          return
        case 'f':
          if (conversation) run(() => store.setFollowUpDialog(conversation.id))
          return
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}
