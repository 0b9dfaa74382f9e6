import { useEffect, type MouseEvent } from 'react'
import { conversationPath } from '../../store/router.slice'
import type { NotificationToast } from '../../store/notifications.slice'
import { useStore } from '../../store/store'
import { notificationTitle } from './notification-text'
import { requestDesktopPermission, useDesktopPermission } from './notification-settings'

export const shownMs = 15_000

/** One notice: who wants what, a link to the conversation, and (once) the offer of browser notifications. */
export function ToastItem({ toast, isPaused }: { toast: NotificationToast; isPaused: boolean }) {
  const dismiss = useStore((s) => s.dismissToast)
  const open = useStore((s) => s.openConversation)
  const permission = useDesktopPermission()
  const { notification } = toast

  useEffect(() => {
    if (isPaused) return
    const timer = setTimeout(() => dismiss(toast.id), shownMs)
    return () => clearTimeout(timer)
  }, [isPaused, toast.id, dismiss])

  const onOpen = (event: MouseEvent<HTMLAnchorElement>) => {
    // A new tab or window is the browser's to open.
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
    event.preventDefault()
    open(notification.conversationId)
    dismiss(toast.id)
  }

  return (
    <li className={`toast toast-${notification.kind}`}>
      <p className="toast-title">{notificationTitle(notification)}</p>
      {notification.preview && (
        <p className="toast-preview" dir="auto">
          {notification.preview}
        </p>
      )}
      <div className="toast-actions">
        <a href={conversationPath(notification.conversationId)} onClick={onOpen}>
          Open conversation
        </a>
        {permission === 'default' && (
          <button type="button" className="link" onClick={() => void requestDesktopPermission()}>
            Turn on notifications
          </button>
        )}
        <button type="button" className="toast-dismiss" onClick={() => dismiss(toast.id)}>
          Dismiss
        </button>
      </div>
    </li>
  )
}
