import type { CommentActionKind, Message } from '@carebox/shared'
import { recordAudit, type AuditRecord } from '../audit/audit.repository.js'
import type { Identity } from '../auth/identity.js'
import { assertConversationVisible } from '../auth/scope.js'
import { recordMessageChanges } from '../changes/changes.repository.js'
import type { AppContext } from '../context.js'
import { findMessages } from '../conversations/messages.repository.js'
import { toMessage } from '../conversations/conversations.service.js'
import { AppError } from '../errors.js'
import { enqueueInTx } from '../queue/queue.js'
import { commentActionTask } from './comment-action.task.js'
import { findComment, insertCommentAction } from './comment-actions.repository.js'

type Actor = AuditRecord['actor']

/**
 * Asks for an action on a customer's public comment: checked here (a comment of a Facebook or Instagram public
 * thread, still there, the action meaningful now), then done on the platform by a job with retries. The comment
 * shows the action queued at once, then done or failed with the platform's words.
 */
export async function actOnComment(ctx: AppContext, identity: Identity, actor: Actor, messageId: string, action: CommentActionKind): Promise<Message> {
  const comment = await findComment(ctx.db, messageId)
  if (!comment) throw new AppError('not_found', 'No such message.')
  await assertConversationVisible(ctx.db, identity, comment.conversationId).catch((error: unknown) => {
    throw error instanceof AppError && error.code === 'not_found' ? new AppError('not_found', 'No such message.') : error
  })
  const isComment =
    comment.direction === 'inbound' &&
    comment.kind === 'message' &&
    comment.conversationKind === 'public' &&
    ['facebook', 'instagram'].includes(comment.channelKind)
  if (!isComment || !comment.externalId)
    throw new AppError('validation_failed', 'Only a customer’s comment on Facebook or Instagram can be hidden, deleted or liked.')
  if (comment.deletedAt) throw new AppError('conflict', 'This comment was deleted: nothing more can be done to it.')
  if (action === 'hide' && comment.hiddenAt) throw new AppError('conflict', 'This comment is hidden already.')
  if (action === 'unhide' && !comment.hiddenAt) throw new AppError('conflict', 'This comment is not hidden.')
  if (action === 'like' && comment.likedAt) throw new AppError('conflict', 'This comment is liked already.')
  const now = ctx.clock.now()
  await ctx.db.transaction().execute(async (trx) => {
    const actionId = await insertCommentAction(trx, { messageId, action, requestedBy: identity.kind === 'user' ? identity.userId : null, at: now })
    await enqueueInTx(trx, commentActionTask, { actionId })
    await recordAudit(trx, { action: `comment.${action}`, actor, target: { type: 'message', id: messageId }, details: { actionId } })
    await recordMessageChanges(trx, 'message.updated', [messageId], identity.kind === 'user' ? { type: 'agent', id: identity.userId } : { type: 'system' })
  })
  const [row] = await findMessages(ctx.db, [messageId])
  return toMessage(row!)
}
