import type { Notification } from '@carebox/shared'

/** "Kim Lee assigned you a conversation": the line a toast and a browser notification lead with. */
export function notificationTitle(notification: Notification): string {
  const who = notification.by.name
  return notification.kind === 'assigned' ? `${who} assigned you a conversation` : `${who} mentioned you in a note`
}
