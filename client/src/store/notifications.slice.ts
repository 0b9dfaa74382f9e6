import { conversationsApi, type ConversationSummary, type Notification, type SurgeAlert } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

/** A notice for this user about one conversation (assigned, mentioned, a deadline, a rule). */
export interface NotificationToast {
  id: number
  notification: Notification
}

/** A notice for leads: more messages, or more complaints, than usual on a channel or tag. */
export interface SurgeToast {
  id: number
  surge: SurgeAlert
}

export type Toast = NotificationToast | SurgeToast

export interface NotificationsSlice {
  /** In-app notices of what wants this user's attention, oldest first. */
  toasts: Toast[]
  /**
   * Summaries of conversations a notice is about that the console had not loaded (not in `conversationsById`),
   * fetched once each so the notice can name them; null while asked, or when the answer was a refusal.
   */
  notifiedConversations: Record<string, ConversationSummary | null>
  receiveNotification(notification: Notification): void
  /** Shows a surge as a notice; whether this user should see it is the caller's call (`receiveSurge`). */
  receiveSurgeAlert(surge: SurgeAlert): void
  dismissToast(id: number): void
  dismissAllToasts(): void
}

/** Older notices make way. A burst folds into one card with a count, so this only bounds the "Show all" list. */
const maxToasts = 20

export const createNotificationsSlice: StateCreator<AppState, [], [], NotificationsSlice> = (set, get) => {
  let nextId = 1
  const push = (toast: Toast) => set((s) => ({ toasts: [...s.toasts, toast].slice(-maxToasts) }))

  const loadNotifiedConversation = async (id: string) => {
    // Some notices are about no conversation (an endpoint disabled): nothing to name.
    if (!id || get().conversationsById[id] || id in get().notifiedConversations) return
    set((s) => ({ notifiedConversations: { ...s.notifiedConversations, [id]: null } }))
    try {
      const { conversation } = await call(conversationsApi.get, { params: { id } })
      set((s) => ({ notifiedConversations: { ...s.notifiedConversations, [id]: conversation } }))
    } catch {
      // The notice still says what happened and opens the conversation; it just cannot name it.
    }
  }

  return {
    toasts: [],
    notifiedConversations: {},
    receiveNotification(notification) {
      push({ id: nextId++, notification })
      void loadNotifiedConversation(notification.conversationId)
    },
    receiveSurgeAlert(surge) {
      push({ id: nextId++, surge })
    },
    dismissToast(id) {
      set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
    },
    dismissAllToasts() {
      set({ toasts: [] })
    },
  }
}
