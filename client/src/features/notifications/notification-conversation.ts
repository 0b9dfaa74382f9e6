import type { ConversationSummary, Notification } from '@carebox/shared'
import { useStore } from '../../store/store'

/** The conversation a notice is about: the list's copy, else the one fetched for the notice; null until known. */
export function useNotifiedConversation(id: string): ConversationSummary | null {
  return useStore((s) => s.conversationsById[id] ?? s.notifiedConversations[id] ?? null)
}

export function customerName(conversation: ConversationSummary): string {
  return conversation.contact.name ?? (conversation.contact.handle ? `@${conversation.contact.handle}` : 'Unknown customer')
}

/**
 * The words a notice quotes: the note, the rule's text or the rating; for an assignment, the customer's latest
 * message (auto-assignment's own preview only says it was automatic, which the title already does).
 */
export function notificationWords(notification: Notification, conversation: ConversationSummary | null): string {
  if (notification.kind === 'assigned' && conversation?.lastMessagePreview) return conversation.lastMessagePreview
  return notification.preview
}

/** A click the page handles itself; a new tab or window is the browser's to open. */
export function isPlainClick(event: { metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; button: number }): boolean {
  return !(event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0)
}
