import type { Notification, SurgeAlert } from '@carebox/shared'
import type { StateCreator } from 'zustand'
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
  receiveNotification(notification: Notification): void
  /** Shows a surge as a notice; whether this user should see it is the caller's call (`receiveSurge`). */
  receiveSurgeAlert(surge: SurgeAlert): void
  dismissToast(id: number): void
}

/** Older notices make way: a burst of assignments must not cover the console. */
const maxToasts = 4

export const createNotificationsSlice: StateCreator<AppState, [], [], NotificationsSlice> = (set) => {
  let nextId = 1
  const push = (toast: Toast) => set((s) => ({ toasts: [...s.toasts, toast].slice(-maxToasts) }))
  return {
    toasts: [],
    receiveNotification(notification) {
      push({ id: nextId++, notification })
    },
    receiveSurgeAlert(surge) {
      push({ id: nextId++, surge })
    },
    dismissToast(id) {
      set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
    },
  }
}
