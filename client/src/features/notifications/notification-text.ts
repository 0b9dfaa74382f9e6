import type { Notification } from '@carebox/shared'

/** Who to name when Carebox itself acted: auto-assignment, or a rule a lead set up. */
export const systemActorName = 'Carebox'

/** "Kim Lee assigned you a conversation": the line a toast and a browser notification lead with. */
export function notificationTitle(notification: Notification): string {
  const who = notification.by?.name ?? systemActorName
  switch (notification.kind) {
    case 'assigned':
      return `${who} assigned you a conversation`
    case 'mentioned':
      return `${who} mentioned you in a note`
    case 'sla':
      return 'SLA at risk'
    case 'rule':
      return `${who} flagged a conversation for you`
    case 'follow_up':
      return 'A follow-up is due'
    case 'low_rating':
      return 'A customer gave a low rating'
    case 'webhook_disabled':
      return 'A webhook endpoint was disabled'
  }
}
