import { useEffect, useRef, useState } from 'react'
import { useStore } from '../../store/store'
import { showDesktopNotification } from './desktop-notification'
import { isSoundOn } from './notification-settings'
import { playChime } from './chime'
import { SurgeToastItem } from './SurgeToastItem'
import { ToastItem } from './ToastItem'
import './notifications.css'

const maxShown = 3

/**
 * What wants this user's attention (assigned to them, mentioned in a note, a deadline close, a rule's call, and for
 * leads a surge): a toast in the console, a chime if they turned it on, and a browser notification when the console
 * is in the background (for a conversation's notices).
 */
export function NotificationToasts() {
  const toasts = useStore((s) => s.toasts)
  const open = useStore((s) => s.openConversation)
  // Reading a toast (pointer or focus on it) keeps it from going away.
  const [isPaused, setPaused] = useState(false)
  const alertedUpTo = useRef(toasts.at(-1)?.id ?? 0)

  useEffect(() => {
    const fresh = toasts.filter((t) => t.id > alertedUpTo.current)
    if (fresh.length === 0) return
    alertedUpTo.current = Math.max(...fresh.map((t) => t.id))
    if (isSoundOn()) playChime()
    for (const toast of fresh) {
      if ('notification' in toast) showDesktopNotification(toast.notification, () => open(toast.notification.conversationId))
    }
  }, [toasts, open])

  if (toasts.length === 0) return null
  // A burst (auto-assignment handing out a queue) must not cover the console: the newest few show, the rest wait.
  const shown = toasts.slice(-maxShown)
  const waiting = toasts.length - shown.length
  return (
    <section
      className="toasts"
      aria-label="Notifications"
      aria-live="polite"
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) setPaused(false)
      }}
    >
      <ul>
        {shown.map((toast) =>
          'surge' in toast ? (
            <SurgeToastItem key={toast.id} toast={toast} isPaused={isPaused} />
          ) : (
            <ToastItem key={toast.id} toast={toast} isPaused={isPaused} />
          ),
        )}
      </ul>
      {waiting > 0 && <p className="toast-more">{waiting === 1 ? '1 more notification' : `${waiting} more notifications`}</p>}
    </section>
  )
}
