import { commentActionLabels, type CommentActionKind, type Message } from '@carebox/shared'
import { useState } from 'react'
import { ConfirmButton } from '../../components/ConfirmButton'
import { formatDateTime } from '../../components/formatTime'
import { useNow } from '../../components/useNow'
import { useStore } from '../../store/store'
import { failedActionLabels, pendingActionLabels, privateReplyBlock, type CommentState } from './comment-rules'

/** Whether trying a failed action again still means something (a like failed, then a teammate's went through). */
function isStillWanted(action: CommentActionKind, comment: CommentState): boolean {
  switch (action) {
    case 'hide':
      return !comment.hidden
    case 'unhide':
      return comment.hidden
    case 'like':
      return !comment.liked
    case 'delete':
      return true
  }
}

/**
 * What an agent does to one customer's comment in a public thread: answer it (publicly under it, or once
 * privately), hide or show it, like it, delete it; and what became of the latest action, which the platform does
 * a moment later (live updates bring it here).
 */
export function CommentActions({ message, comment, author }: { message: Message; comment: CommentState; author: string }) {
  const { id, conversationId } = message
  const act = useStore((s) => s.actOnComment)
  const setReplyTarget = useStore((s) => s.setReplyTarget)
  const focusComposer = useStore((s) => s.focusComposer)
  const showCommenter = useStore((s) => s.showCommenter)
  const chosenAs = useStore((s) => {
    const replyTo = s.draftsByConversation[conversationId]?.replyTo
    return replyTo?.messageId === id ? replyTo.visibility : null
  })
  const now = useNow()
  const [requesting, setRequesting] = useState<CommentActionKind | null>(null)
  const [refusal, setRefusal] = useState<{ action: CommentActionKind; message: string } | null>(null)

  const latest = comment.action
  // One action at a time: a second while the first is queued would race it on the platform.
  const isBusy = requesting !== null || latest?.status === 'queued'
  const privateBlock = privateReplyBlock(comment, now)
  const visibilityAction: CommentActionKind = comment.hidden ? 'unhide' : 'hide'

  const run = async (action: CommentActionKind) => {
    setRequesting(action)
    setRefusal(null)
    const error = await act(id, action)
    setRequesting(null)
    if (error) setRefusal({ action, message: error })
  }
  const answer = (visibility: 'public' | 'private') => {
    setReplyTarget(conversationId, { messageId: id, visibility })
    // The panel beside follows the person answered: their tags, notes and other conversations.
    if (message.author) showCommenter(conversationId, { id: message.author.id, name: author })
    focusComposer('reply')
  }

  return (
    <div className="comment-tools">
      {latest?.status === 'queued' && (
        <p className="comment-pending" role="status">
          {pendingActionLabels[latest.action]}
        </p>
      )}
      {latest?.status === 'failed' && (
        <div className="comment-failed">
          <p className="error">
            {failedActionLabels[latest.action]}: {latest.error ?? 'the platform did not accept it.'}
          </p>
          {isStillWanted(latest.action, comment) && (
            <button type="button" disabled={isBusy} onClick={() => void run(latest.action)}>
              Try again
            </button>
          )}
        </div>
      )}
      <div className="comment-actions" role="group" aria-label={`Actions on the comment by ${author}`}>
        <button type="button" aria-pressed={chosenAs === 'public'} onClick={() => answer('public')}>
          Reply
        </button>
        {privateBlock ? (
          <span className="comment-note">{privateBlock}</span>
        ) : (
          <button
            type="button"
            aria-pressed={chosenAs === 'private'}
            title={`By message, once, until ${formatDateTime(comment.privateReplyUntil)}`}
            onClick={() => answer('private')}
          >
            Reply privately
          </button>
        )}
        <button type="button" disabled={isBusy} onClick={() => void run(visibilityAction)}>
          {commentActionLabels[visibilityAction]}
        </button>
        <button type="button" disabled={isBusy || comment.liked} onClick={() => void run('like')}>
          {commentActionLabels.like}
        </button>
        <ConfirmButton
          label={commentActionLabels.delete}
          question="Delete this comment on the platform? Nobody will see it again."
          confirmLabel="Yes, delete"
          disabled={isBusy}
          onConfirm={() => void run('delete')}
        />
      </div>
      {refusal && (
        <p role="alert" className="error">
          {failedActionLabels[refusal.action]}: {refusal.message}
        </p>
      )}
    </div>
  )
}
