import type { Notification } from '@carebox/shared'
import { useCallback } from 'react'
import { conversationPath } from '../../store/router.slice'
import { useStore } from '../../store/store'

/** Settings → Integrations, where an admin sees why an endpoint was disabled and turns it back on. */
export const integrationsPath = '/settings/integrations'

/** Whether a notice leads anywhere: its conversation, or, for a disabled webhook endpoint, Settings → Integrations. */
export function hasNotificationTarget(notification: Notification): boolean {
  return notification.conversationId !== '' || notification.kind === 'webhook_disabled'
}

/** Where a notice leads (see hasNotificationTarget). */
export function notificationPath(notification: Notification): string {
  return notification.kind === 'webhook_disabled' ? integrationsPath : conversationPath(notification.conversationId)
}

/** What clicking a notice does: opens its conversation (selected in the list too), or goes where it leads. */
export function useOpenNotification(): (notification: Notification) => void {
  const open = useStore((s) => s.openConversation)
  const navigate = useStore((s) => s.navigate)
  return useCallback(
    (notification: Notification) => {
      if (notification.conversationId !== '') open(notification.conversationId)
      else if (hasNotificationTarget(notification)) navigate(notificationPath(notification))
    },
    [open, navigate],
  )
}
