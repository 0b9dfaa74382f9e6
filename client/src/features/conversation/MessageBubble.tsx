import { memo } from 'react'
import type { Message } from '@carebox/shared'
import { AttachmentList } from '../../components/AttachmentList'
import { MessageText } from '../../components/MessageText'
import { RelativeTime } from '../../components/RelativeTime'
import { useStore } from '../../store/store'
import { ClosesLoopLabel, SurveySent } from './ClosesLoopLabel'
import { CommentActions } from './CommentActions'
import { DeliveryStatus } from './DeliveryStatus'
import { DeliveryUnknown, type MessageAction } from './DeliveryUnknown'
import { SentimentChip } from './SentimentChip'
import './comments.css'
import './templates.css'

const authorLabels: Record<Message['authorKind'], string> = { contact: 'Customer', agent: 'Agent', platform: 'Sent outside Carebox' }

/** A status reads as its own name, but a bare "unknown" would not say what is unknown. */
function statusLabel(status: Message['status']): string {
  return status === 'unknown' ? 'Delivery unknown' : status
}

/** A message to or from the customer: theirs on the left, ours on the right with how far it got. */
// Memoised: a thread re-renders whenever one message changes, and the others keep what they drew.
export const MessageBubble = memo(function MessageBubble({
  message,
  onRetry,
  onMarkSent,
  canAnswer = false,
}: {
  message: Message
  onRetry?: MessageAction
  onMarkSent?: MessageAction
  /** A public thread where each customer's post can be answered by itself (Mastodon, Bluesky, X). */
  canAnswer?: boolean
}) {
  // A rule's reply (an out-of-hours acknowledgement) says so: nobody should take it for a person's answer.
  const author = message.automated
    ? 'Automatic reply'
    : (message.agent?.name ?? message.author?.name ?? message.author?.handle ?? authorLabels[message.authorKind])
  const isOutbound = message.direction === 'outbound'
  // A customer's comment in a Facebook or Instagram public thread: one of many people, each answered on their own.
  const comment = isOutbound ? undefined : message.comment
  const { inReplyTo } = message
  const showCommenter = useStore((s) => s.showCommenter)
  const commenter = comment ? message.author : null
  return (
    <li className={`message message-${message.direction}${comment?.hidden ? ' message-hidden' : ''}`}>
      <div className="message-meta">
        {commenter ? (
          // One of many people in the thread: their name opens their customer panel beside it.
          <button
            type="button"
            className="link comment-author-button"
            aria-label={`Show ${author}'s customer panel`}
            onClick={() => showCommenter(message.conversationId, { id: commenter.id, name: author })}
          >
            <bdi className="comment-author">{author}</bdi>
          </button>
        ) : (
          <bdi className={comment ? 'comment-author' : undefined}>{author}</bdi>
        )}
        {comment && message.author?.name && message.author.handle && <bdi className="comment-handle">@{message.author.handle}</bdi>}
        <RelativeTime at={message.sentAt} />
        {isOutbound && <span className={`status status-${message.status}`}>{statusLabel(message.status)}</span>}
        {message.editedAt && <span className="muted">edited</span>}
        {comment?.hidden && <span className="comment-badge">Hidden</span>}
        {comment?.liked && <span className="comment-badge">Liked</span>}
        {!isOutbound && message.sentiment && !message.deletedAt && <SentimentChip message={{ ...message, sentiment: message.sentiment }} />}
      </div>
      {inReplyTo && (
        <p className="message-reply-to">
          ↳ to <bdi>{inReplyTo.author ?? 'a comment'}</bdi>: <bdi>{inReplyTo.excerpt}</bdi>
        </p>
      )}
      {message.template && (
        <p className="message-template">
          Template: {message.template.name} ({message.template.language})
        </p>
      )}
      {message.deletedAt ? <p className="muted">This message was removed on the platform.</p> : <MessageText text={message.text} />}
      <AttachmentList messageId={message.id} attachments={message.attachments} />
      <SurveySent message={message} />
      <ClosesLoopLabel message={message} />
      {message.reactions.length > 0 && (
        <p className="reactions" aria-label="Reactions">
          {message.reactions.map((r) => r.emoji).join(' ')}
        </p>
      )}
      {comment && !message.deletedAt && <CommentActions message={message} comment={comment} author={author} />}
      {canAnswer && !isOutbound && !message.deletedAt && <AnswerPost message={message} author={author} />}
      {isOutbound && message.status === 'failed' ? (
        <DeliveryStatus message={message} onRetry={onRetry} />
      ) : isOutbound && message.status === 'unknown' ? (
        <DeliveryUnknown message={message} onRetry={onRetry} onMarkSent={onMarkSent} />
      ) : (
        message.error && <p className="error">{message.error}</p>
      )}
    </li>
  )
})

/** Sets the composer to answer this post, threaded under it on the platform. */
function AnswerPost({ message, author }: { message: Message; author: string }) {
  const setReplyTarget = useStore((s) => s.setReplyTarget)
  const focusComposer = useStore((s) => s.focusComposer)
  const chosen = useStore((s) => s.draftsByConversation[message.conversationId]?.replyTo?.messageId === message.id)
  return (
    <div className="comment-actions" role="group" aria-label={`Actions on the post by ${author}`}>
      <button
        type="button"
        aria-pressed={chosen}
        onClick={() => {
          setReplyTarget(message.conversationId, { messageId: message.id, visibility: 'public' })
          focusComposer('reply')
        }}
      >
        Reply to this
      </button>
    </div>
  )
}
