import { teamAudience, type ChannelKind } from '@carebox/shared'
import { cachedChannel } from '../channels/channel-cache.js'
import { ConnectorError, type OutboundMessage, type SendResult } from '../channels/connector.js'
import { connectors } from '../channels/connectors.js'
import type { AppContext } from '../context.js'
import type { AnyDatabase } from '../db/client.js'
import { toMessage } from '../conversations/conversations.service.js'
import { findMessages } from '../conversations/messages.repository.js'
import { enqueueInTx } from '../queue/queue.js'
import { defineHandler } from '../queue/tasks.js'
import { findReplyToSend, findUnclaimedEcho, markFailed, markSent } from './outbox.repository.js'
import { maxSendAttempts, replyQueue, sendReplyTask } from './send-reply.task.js'

/** How long a send attempt may take before another may start: beyond the connectors' request timeouts. */
export const sendInFlightMs = 60_000

/** Exponential: 2 s, 4 s, 8 s … capped at 5 minutes; a platform's retry-after wins when it asks for longer. */
export function retryDelayMs(attempt: number, retryAfterMs?: number): number {
  const backoff = Math.min(2 ** attempt * 1000, 5 * 60_000)
  return Math.max(backoff, retryAfterMs ?? 0)
}

/**
 * What an agent reads when a send fails: the platform's words, without a stack or a status dump. When the
 * last attempt fails, the connector's promise of a retry no longer holds: say that we gave up instead.
 */
export function plainError(error: unknown, attempt = 1): string {
  if (!(error instanceof ConnectorError)) return 'The platform could not be reached.'
  if (!error.retryable) return error.message
  const words = error.message.replace(/;? the reply will be retried\./, '.')
  return `Gave up after ${attempt} attempts: ${words}`
}

async function publishReply(ctx: AppContext, messageId: string, teamId: string): Promise<void> {
  const [row] = await findMessages(ctx.db, [messageId])
  if (row) ctx.realtime.publish('message.updated', teamAudience(teamId), { message: toMessage(row) })
}

/**
 * Sends a queued reply once. Before sending again after an attempt whose outcome is unknown (it started but
 * never finished: a timeout, a crash), it looks for the platform's echo of that attempt and adopts it instead.
 * Mastodon gets the reply's id as its Idempotency-Key, so a repeated send is one post there too.
 */
export const sendReplyHandler = defineHandler(sendReplyTask, async (ctx, { messageId, attempt }) => {
  const reply = await findReplyToSend(ctx.db, messageId)
  if (!reply || reply.status !== 'queued') return
  const now = ctx.clock.now()
  // Replies reach the customer in the order they were written: one behind an earlier reply still queued (waiting
  // out a retry) waits too. The earlier one nudges it when it is sent or fails; the wait is the safety net.
  if (await earlierQueuedReply(ctx.db, reply)) {
    await ctx.db.transaction().execute((trx) =>
      enqueueInTx(trx, sendReplyTask, { messageId, attempt }, { runAt: new Date(now.getTime() + orderWaitMs), queueName: replyQueue(reply.conversationId) }),
    )
    return
  }
  if (reply.sendStartedAt) {
    const echo = await findUnclaimedEcho(ctx.db, { conversationId: reply.conversationId, text: reply.text, since: reply.sendStartedAt })
    if (echo?.externalId) {
      await ctx.db.transaction().execute(async (trx) => {
        await markSent(trx, reply.id, echo.externalId as string, reply.channelId, now)
        await nudgeNextReply(trx, reply)
      })
      ctx.log.info({ messageId, externalId: echo.externalId }, 'reply reconciled with its echo instead of being sent again')
      return publishReply(ctx, messageId, reply.teamId)
    }
  }
  const channel = await cachedChannel(ctx, reply.channelId)
  if (!channel || !reply.channelEnabled) {
    await markFailed(ctx.db, messageId, 'The channel is disabled: enable it in Settings → Channels, then retry.', now)
    return publishReply(ctx, messageId, reply.teamId)
  }
  if (!reply.recipientExternalId) {
    await markFailed(ctx.db, messageId, 'Carebox does not know this customer on the channel.', now)
    return publishReply(ctx, messageId, reply.teamId)
  }
  const options = (reply.replyContext ?? {}) as { visibility?: 'public' | 'private'; tag?: 'HUMAN_AGENT' }
  const outbound: OutboundMessage = {
    id: reply.id,
    conversationKind: reply.conversationKind as OutboundMessage['conversationKind'],
    threadKey: reply.threadKey,
    recipient: {
      externalId: reply.recipientExternalId,
      ...(reply.recipientAliases.length > 0 && { aliases: reply.recipientAliases }),
      name: reply.recipientName ?? undefined,
      handle: reply.recipientHandle ?? undefined,
    },
    text: reply.text,
    ...(reply.replyToExternalId && { replyToExternalId: reply.replyToExternalId }),
    ...(reply.threadReplyContext && { replyContext: reply.threadReplyContext }),
    ...(options.visibility && { visibility: options.visibility }),
    ...(options.tag && { tag: options.tag }),
  }
  // Claimed before the call, atomically: a second job for the same reply (the worker may run two at once) finds
  // it claimed and waits. If we never learn the outcome, the claim stays, and a later attempt reconciles first.
  const claimed = await ctx.db
    .updateTable('messages')
    .set({ sendStartedAt: now })
    .where('id', '=', messageId)
    .where('status', '=', 'queued')
    .where((eb) => eb.or([eb('sendStartedAt', 'is', null), eb('sendStartedAt', '<', new Date(now.getTime() - sendInFlightMs))]))
    .returning('id')
    .executeTakeFirst()
  if (!claimed) {
    await ctx.db.transaction().execute((trx) =>
      enqueueInTx(trx, sendReplyTask, { messageId, attempt }, { runAt: new Date(now.getTime() + sendInFlightMs), queueName: replyQueue(reply.conversationId) }),
    )
    return
  }
  let result: SendResult
  try {
    result = await connectors[channel.row.kind as ChannelKind].send(outbound, channel.runtime)
  } catch (error) {
    const isRetryable = error instanceof ConnectorError && error.retryable && attempt < maxSendAttempts
    // The platform answered: it did not take the reply, so there is nothing to reconcile before retrying.
    const platformAnswered = error instanceof ConnectorError && error.status !== undefined
    if (platformAnswered) await ctx.db.updateTable('messages').set({ sendStartedAt: null }).where('id', '=', messageId).execute()
    ctx.metrics.replies.inc({ kind: channel.row.kind, outcome: isRetryable ? 'retried' : 'failed' })
    if (isRetryable) {
      const delay = retryDelayMs(attempt, error.retryAfterMs)
      ctx.log.info({ messageId, attempt, delayMs: delay, err: error }, 'reply send will be retried')
      await ctx.db.transaction().execute((trx) =>
        enqueueInTx(trx, sendReplyTask, { messageId, attempt: attempt + 1 }, { runAt: new Date(ctx.clock.now().getTime() + delay), queueName: replyQueue(reply.conversationId) }),
      )
      return
    }
    // With no answer from the platform the outcome stays unknown: the claim stays too, so a retry reconciles first.
    await markFailed(ctx.db, messageId, plainError(error, attempt), ctx.clock.now(), { keepClaim: !platformAnswered })
    ctx.log.warn({ messageId, err: error }, 'reply failed')
    await ctx.db.transaction().execute((trx) => nudgeNextReply(trx, reply))
    return publishReply(ctx, messageId, reply.teamId)
  }
  // The platform has the reply. Recording that is outside the try: a database error here (the platform's echo
  // racing in under the same id) must not call the reply failed, which would invite a second send. The job
  // fails instead and runs again, and that run finds the echo, or sees sendStartedAt and reconciles.
  await ctx.db.transaction().execute(async (trx) => {
    await markSent(trx, messageId, result.externalId, reply.channelId, ctx.clock.now())
    await nudgeNextReply(trx, reply)
  })
  ctx.metrics.replies.inc({ kind: channel.row.kind, outcome: 'sent' })
  await publishReply(ctx, messageId, reply.teamId)
})

/** How long a reply behind an earlier one waits before looking again, if no nudge came first. */
const orderWaitMs = 30_000

type ReplyToSend = NonNullable<Awaited<ReturnType<typeof findReplyToSend>>>

/** An earlier reply of the same conversation that has not left yet (queued: sending, or waiting to retry). */
async function earlierQueuedReply(db: AnyDatabase, reply: ReplyToSend): Promise<boolean> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('conversationId', '=', reply.conversationId)
    .where('direction', '=', 'outbound')
    .where('kind', '=', 'message')
    .where('status', '=', 'queued')
    .where('id', '<>', reply.id)
    .where((eb) => eb.or([eb('sentAt', '<', reply.sentAt), eb.and([eb('sentAt', '=', reply.sentAt), eb('createdAt', '<', reply.createdAt)])]))
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

/** The next reply waiting behind this one goes now, instead of at the end of its wait. */
async function nudgeNextReply(trx: AnyDatabase, reply: ReplyToSend): Promise<void> {
  const next = await trx
    .selectFrom('messages')
    .select('id')
    .where('conversationId', '=', reply.conversationId)
    .where('direction', '=', 'outbound')
    .where('kind', '=', 'message')
    .where('status', '=', 'queued')
    .where('id', '<>', reply.id)
    .orderBy('sentAt')
    .orderBy('createdAt')
    .limit(1)
    .executeTakeFirst()
  // A second job for a reply is harmless: the send is claimed atomically, and a sent reply is skipped.
  if (next) await enqueueInTx(trx, sendReplyTask, { messageId: next.id, attempt: 1 }, { queueName: replyQueue(reply.conversationId) })
}
