import type { Notification } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import type { AppState } from './store'

export interface Toast {
  id: number
  notification: Notification
}

export interface NotificationsSlice {
  /** In-app notices of what wants this user's attention, oldest first. */
  toasts: Toast[]
  receiveNotification(notification: Notification): void
  dismissToast(id: number): void
}

/** Older notices make way: a burst of assignments must not cover the console. */
const maxToasts = 4

export const createNotificationsSlice: StateCreator<AppState, [], [], NotificationsSlice> = (set) => {
  let nextId = 1
  return {
    toasts: [],
    receiveNotification(notification) {
      const toast = { id: nextId++, notification }
      set((s) => ({ toasts: [...s.toasts, toast].slice(-maxToasts) }))
    },
    dismissToast(id) {
      set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
    },
  }
}
