import type { ChannelKind } from '@carebox/shared'
import { cachedChannel } from '../channels/channel-cache.js'
import { ConnectorError } from '../channels/connector.js'
import { connectors } from '../channels/connectors.js'
import { recordMessageChanges } from '../changes/changes.repository.js'
import { defineHandler } from '../queue/tasks.js'
import { commentActionTask } from './comment-action.task.js'
import { completeCommentAction, failCommentAction, findCommentAction } from './comment-actions.repository.js'

const actor = { type: 'system', id: 'comments' } as const

/**
 * Does one queued comment action on the platform. A refusal (the comment is gone, no permission) fails it at once
 * with the platform's words; a passing fault is retried with the queue's backoff, and fails it on the last try.
 */
export const commentActionHandler = defineHandler(commentActionTask, async (ctx, { actionId }, job) => {
  const action = await findCommentAction(ctx.db, actionId)
  if (!action || action.status !== 'queued') return
  const now = () => ctx.clock.now()
  const finish = (fn: (trx: typeof ctx.db) => Promise<void>) =>
    ctx.db.transaction().execute(async (trx) => {
      await fn(trx)
      await recordMessageChanges(trx, 'message.updated', [action.messageId], actor)
    })
  const channel = await cachedChannel(ctx, action.channelId)
  const perform = channel ? connectors[channel.row.kind as ChannelKind].commentAction : undefined
  if (!channel || !perform || !action.externalId) {
    return finish((trx) => failCommentAction(trx, actionId, 'This channel cannot act on comments.', now()))
  }
  try {
    await perform(action.action, { externalId: action.externalId }, channel.runtime)
  } catch (error) {
    // A retry of a delete whose first try may have gone through (it timed out, or this process died before
    // recording it) meets "no such object": the comment is gone, as asked.
    const goneAlready = action.action === 'delete' && job.attempts > 1 && error instanceof ConnectorError && error.platformCode === '100'
    if (goneAlready) return finish((trx) => completeCommentAction(trx, actionId, action.messageId, action.action, now()))
    const refused = error instanceof ConnectorError && !error.retryable
    if (refused || job.attempts >= job.maxAttempts) {
      const words = error instanceof ConnectorError ? error.message : 'The platform could not be reached.'
      return finish((trx) => failCommentAction(trx, actionId, words, now()))
    }
    throw error
  }
  await finish((trx) => completeCommentAction(trx, actionId, action.messageId, action.action, now()))
})
