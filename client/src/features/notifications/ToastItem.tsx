import type { MouseEvent } from 'react'
import type { NotificationToast } from '../../store/notifications.slice'
import { useStore } from '../../store/store'
import { ConversationLine } from './ConversationLine'
import { isPlainClick, notificationWords, useNotifiedConversation } from './notification-conversation'
import { hasNotificationTarget, notificationPath, useOpenNotification } from './notification-path'
import { notificationTitle } from './notification-text'

/**
 * One notice about a conversation: who wants what, which conversation (customer, channel, priority, its words) and
 * a link to it. A card when it is the only notice; compact, the whole of it one link, in a group.
 */
export function ToastItem({ toast, isCompact = false }: { toast: NotificationToast; isCompact?: boolean }) {
  const dismiss = useStore((s) => s.dismissToast)
  const open = useOpenNotification()
  const { notification } = toast
  const conversation = useNotifiedConversation(notification.conversationId)
  const words = notificationWords(notification, conversation)
  const href = notificationPath(notification)
  // A notice about no conversation in particular leads where it can be acted on (an endpoint disabled: Integrations).
  const hasTarget = hasNotificationTarget(notification)

  const onOpen = (event: MouseEvent<HTMLAnchorElement>) => {
    if (!isPlainClick(event)) return
    event.preventDefault()
    open(notification)
    dismiss(toast.id)
  }

  if (isCompact) {
    const summary = (
      <>
        <span className="toast-title">{notificationTitle(notification)}</span>
        {conversation && <ConversationLine conversation={conversation} />}
        {words && (
          <span className="toast-preview" dir="auto">
            {words}
          </span>
        )}
      </>
    )
    return hasTarget ? (
      <a className={`toast-entry toast-${notification.kind}`} href={href} onClick={onOpen}>
        {summary}
      </a>
    ) : (
      <span className={`toast-entry toast-${notification.kind}`}>{summary}</span>
    )
  }
  return (
    <li className={`toast toast-${notification.kind}`}>
      <p className="toast-title">{notificationTitle(notification)}</p>
      {conversation && (
        <p>
          <ConversationLine conversation={conversation} />
        </p>
      )}
      {words && (
        <p className="toast-preview" dir="auto">
          {words}
        </p>
      )}
      <div className="toast-actions">
        {hasTarget && (
          <a href={href} onClick={onOpen}>
            {notification.conversationId === '' ? 'Open Settings → Integrations' : 'Open conversation'}
          </a>
        )}
        <button type="button" className="toast-dismiss" onClick={() => dismiss(toast.id)}>
          Dismiss
        </button>
      </div>
    </li>
  )
}
