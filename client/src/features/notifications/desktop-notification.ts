import type { Notification as CareboxNotification } from '@carebox/shared'
import { notificationTitle } from './notification-text'
import { desktopPermission } from './notification-settings'

/**
 * A browser notification, when allowed and the console is not what the person is looking at (otherwise the
 * toast says it already). Clicking it brings the console forward on the conversation.
 */
export function showDesktopNotification(notification: CareboxNotification, onOpen: () => void): void {
  if (desktopPermission() !== 'granted' || document.hasFocus()) return
  const shown = new window.Notification(notificationTitle(notification), { body: notification.preview, tag: `carebox:${notification.conversationId}` })
  shown.onclick = () => {
    window.focus()
    onOpen()
    shown.close()
  }
}
