import type { Message } from '@carebox/shared'
import { commentAuthor, excerpt } from './comment-rules'

const targetExcerptChars = 80

/**
 * Above a public thread's reply box: which comment the reply answers and how (publicly under it, or privately by
 * message), with a way back to the default, the customer's latest comment.
 */
export function CommentReplyTarget({
  comment,
  visibility,
  blockedBy,
  onClear,
}: {
  comment: Message
  visibility: 'public' | 'private'
  /** Why the private reply cannot go out now; null when it can. */
  blockedBy: string | null
  onClear: () => void
}) {
  const author = commentAuthor(comment)
  return (
    <div className={`reply-target reply-target-${visibility}`}>
      <p className="reply-target-text">
        {visibility === 'private' ? (
          <>
            Private reply to <bdi>{author}</bdi>
          </>
        ) : (
          <>
            Replying to <bdi>{author}</bdi>: <bdi>{excerpt(comment.text, targetExcerptChars)}</bdi>
          </>
        )}
      </p>
      <button
        type="button"
        className="reply-target-clear"
        aria-label="Reply to the latest comment instead"
        title="Reply to the latest comment instead"
        onClick={onClear}
      >
        ×
      </button>
      {visibility === 'private' &&
        (blockedBy ? (
          <p role="alert" className="reply-target-note error">
            {blockedBy}: send it publicly instead, or choose another comment.
          </p>
        ) : (
          <p className="reply-target-note composer-hint muted">Sent as a message only they see. The platform allows one per comment.</p>
        ))}
    </div>
  )
}
