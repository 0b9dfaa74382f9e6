import { useEffect, useRef, useState } from 'react'
import { useStore } from '../../store/store'
import { showDesktopNotification } from './desktop-notification'
import { isSoundOn, requestDesktopPermission, useDesktopPermission } from './notification-settings'
import { useOpenNotification } from './notification-path'
import { playChime } from './chime'
import { SurgeToastItem } from './SurgeToastItem'
import { ToastGroup } from './ToastGroup'
import { ToastItem } from './ToastItem'
import { useAutoDismiss } from './useAutoDismiss'
import './notifications.css'

/**
 * What wants this user's attention (assigned to them, mentioned in a note, a deadline close, a rule's call, and for
 * leads a surge): a toast in the console, a chime if they turned it on, and a browser notification when the console
 * is in the background (for a conversation's notices). Several fold into one card, placed where the composer never
 * is (top right, under the page's header), so a burst of assignments never covers the Send button.
 */
export function NotificationToasts() {
  const toasts = useStore((s) => s.toasts)
  const open = useOpenNotification()
  const permission = useDesktopPermission()
  // Reading a toast (pointer or focus on it) keeps it from going away.
  const [isPaused, setPaused] = useState(false)
  const alertedUpTo = useRef(toasts.at(-1)?.id ?? 0)
  useAutoDismiss(toasts, isPaused)

  useEffect(() => {
    const fresh = toasts.filter((t) => t.id > alertedUpTo.current)
    if (fresh.length === 0) return
    alertedUpTo.current = Math.max(...fresh.map((t) => t.id))
    if (isSoundOn()) playChime()
    for (const toast of fresh) {
      if ('notification' in toast) showDesktopNotification(toast.notification, () => open(toast.notification))
    }
  }, [toasts, open])

  const only = toasts.length === 1 ? toasts[0]! : null
  if (toasts.length === 0) return null
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
      {only ? <ul>{'surge' in only ? <SurgeToastItem toast={only} /> : <ToastItem toast={only} />}</ul> : <ToastGroup toasts={toasts} />}
      {permission === 'default' && toasts.some((t) => 'notification' in t) && (
        <button type="button" className="link toast-permission" onClick={() => void requestDesktopPermission()}>
          Turn on notifications
        </button>
      )}
    </section>
  )
}
