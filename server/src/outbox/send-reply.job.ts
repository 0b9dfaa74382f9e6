import { channelKindNames, teamAudience, type ChannelKind } from '@carebox/shared'
import { cachedChannel } from '../channels/channel-cache.js'
import { ConnectorError, type ChannelRuntime, type Connector, type OutboundMessage, type SendResult } from '../channels/connector.js'
import { connectors } from '../channels/connectors.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { enqueueInTx } from '../queue/queue.js'
import { defineHandler } from '../queue/tasks.js'
import { AppError } from '../errors.js'
import { outboundFileOf } from '../files/files.service.js'
import { findReplyToSend, findUnclaimedEcho, markFailed, markSent, markUnknown } from './outbox.repository.js'
import { enterChannel, leaveChannel, noteSendFailure, noteSendSuccess, noteThrottled, passCircuit } from './send-circuit.js'
import { maxSendAttempts, replyQueue, sendReplyTask, settleReplyTask } from './send-reply.task.js'

/** Beyond a connector's send timeout, the margin after which a claimed send that never finished is taken for dead. */
const claimMarginMs = 5_000

/** How long a send claimed by another job may still be running: its connector's timeout, and a margin. */
export function sendInFlightMs(connector: Pick<Connector, 'sendTimeoutMs'>): number {
  return connector.sendTimeoutMs + claimMarginMs
}

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

async function later(ctx: AppContext, reply: ReplyToSend, attempt: number, runAt: Date): Promise<void> {
  await ctx.db
    .transaction()
    .execute((trx) => enqueueInTx(trx, sendReplyTask, { messageId: reply.id, attempt }, { runAt, queueName: replyQueue(reply.conversationId) }))
}

/**
 * Sends a queued reply, at most once to the customer. The reply is claimed before the platform is called; if the
 * call never tells its outcome (a timeout, a dropped connection, a crash of this process), the platform may have
 * sent it, so it is not simply sent again: the connector's policy says whether a repeat is harmless (Mastodon,
 * Bluesky), whether the platform will report it (WhatsApp statuses and Messenger echoes carry Carebox's
 * reference), or whether only the agent can tell. Each channel also keeps its failures to itself (send-circuit.ts).
 */
export const sendReplyHandler = defineHandler(sendReplyTask, async (ctx, { messageId, attempt }) => {
  const reply = await findReplyToSend(ctx.db, messageId)
  if (!reply || reply.status !== 'queued') return
  const now = ctx.clock.now()
  // Replies reach the customer in the order they were written: one behind an earlier reply still queued (waiting
  // out a retry) waits too. The earlier one nudges it when it is sent or fails; the wait is the safety net.
  if (await earlierQueuedReply(ctx.db, reply)) return later(ctx, reply, attempt, new Date(now.getTime() + orderWaitMs))
  const channel = await cachedChannel(ctx, reply.channelId)
  if (!channel || !reply.channelEnabled) return failBeforeSending(ctx, reply, 'The channel is disabled: enable it in Settings → Channels, then retry.')
  const connector = connectors[channel.row.kind as ChannelKind]
  const outbound = toOutbound(reply)
  if (reply.sendStartedAt) {
    // An earlier call left its claim: if the platform's copy of the reply has come back meanwhile (an echo recorded
    // as written outside Carebox, since we did not know its id yet), that is the reply, and nothing is sent.
    if (await adoptEcho(ctx, reply, reply.sendStartedAt)) return
    const claimedFor = now.getTime() - reply.sendStartedAt.getTime()
    // Another job is calling the platform right now: look again once its call must have ended.
    if (claimedFor < sendInFlightMs(connector)) return later(ctx, reply, attempt, new Date(reply.sendStartedAt.getTime() + sendInFlightMs(connector)))
    // A call started and nobody recorded how it ended (its process died): its outcome is unknown.
    return settleUnknown(ctx, reply, connector, outbound, attempt, 'the attempt was interrupted')
  }
  if (!reply.recipientExternalId) return failBeforeSending(ctx, reply, 'Carebox does not know this customer on the channel.')
  const gate = await passCircuit(ctx.db, reply.channelId, now, sendInFlightMs(connector))
  if (!gate.open) return later(ctx, reply, attempt, gate.retryAt)
  const share = Math.max(1, Math.floor(ctx.config.platformConcurrency / 2))
  if (!enterChannel(reply.channelId, share)) return later(ctx, reply, attempt, new Date(now.getTime() + channelBusyWaitMs))
  try {
    // The file's bytes (up to 100 MB) are read only now, when the send will happen: not on every wait above.
    const file = await outboundFileOf(ctx, reply.attachments).catch((error: unknown) => {
      if (error instanceof AppError) return error
      throw error
    })
    if (file instanceof AppError) return await failBeforeSending(ctx, reply, file.message)
    if (file) outbound.file = file
    await sendClaimed(ctx, reply, connector, channel.runtime, outbound, attempt)
  } finally {
    leaveChannel(reply.channelId)
  }
})

/** A reply that cannot be sent at all: failed with the reason, and the next one of the conversation goes now. */
async function failBeforeSending(ctx: AppContext, reply: ReplyToSend, reason: string): Promise<void> {
  await markFailed(ctx.db, reply.id, reason, ctx.clock.now())
  await ctx.db.transaction().execute((trx) => nudgeNextReply(trx, reply))
}

async function sendClaimed(
  ctx: AppContext,
  reply: ReplyToSend,
  connector: Connector,
  runtime: ChannelRuntime,
  outbound: OutboundMessage,
  attempt: number,
): Promise<void> {
  const now = ctx.clock.now()
  // Claimed before the call, atomically: a second job for the same reply (the worker may run two at once) finds
  // it claimed and waits. If we never learn the outcome, the claim stays, and whoever looks next settles it.
  const claimed = await ctx.db
    .updateTable('messages')
    .set({ sendStartedAt: now })
    .where('id', '=', reply.id)
    .where('status', '=', 'queued')
    .where('sendStartedAt', 'is', null)
    .returning('id')
    .executeTakeFirst()
  if (!claimed) return later(ctx, reply, attempt, new Date(now.getTime() + sendInFlightMs(connector)))
  let result: SendResult
  try {
    result = await connector.send(outbound, runtime)
  } catch (error) {
    return sendFailed(ctx, reply, connector, outbound, attempt, error)
  }
  // The platform has the reply. Recording that is outside the try: a database error here (the platform's echo
  // racing in under the same id) must not call the reply failed, which would invite a second send. The job
  // fails instead and runs again, and that run sees the claim and settles it (the echo or the reference tells).
  await ctx.db.transaction().execute(async (trx) => {
    await markSent(trx, reply.id, result.externalId, reply.channelId, ctx.clock.now())
    await nudgeNextReply(trx, reply)
  })
  if (await noteSendSuccess(ctx.db, reply.channelId)) {
    ctx.log.info({ channelId: reply.channelId }, 'sending through the channel works again')
    ctx.realtime.publish('channel.updated', teamAudience(reply.teamId), { channelId: reply.channelId })
  }
  ctx.metrics.replies.inc({ kind: connector.kind, outcome: 'sent' })
}

async function sendFailed(
  ctx: AppContext,
  reply: ReplyToSend,
  connector: Connector,
  outbound: OutboundMessage,
  attempt: number,
  error: unknown,
): Promise<void> {
  const now = ctx.clock.now()
  const failure =
    error instanceof ConnectorError ? error : new ConnectorError(`Unexpected error: ${(error as Error).message}`, { retryable: false, outcome: 'unknown' })
  // The platform's trouble, not the reply's: it counts towards pausing the whole channel.
  const isPlatformTrouble = failure.outcome !== 'rejected' || failure.retryable
  if (failure.status === 429) {
    await noteThrottled(ctx.db, reply.channelId, new Date(now.getTime() + retryDelayMs(attempt, failure.retryAfterMs)))
  } else if (isPlatformTrouble) {
    const pausedUntil = await noteSendFailure(ctx.db, reply.channelId, failure.message, now)
    if (pausedUntil) {
      ctx.log.warn({ channelId: reply.channelId, pausedUntil, reason: failure.message }, 'sending through the channel is paused after failures in a row')
      ctx.realtime.publish('channel.updated', teamAudience(reply.teamId), { channelId: reply.channelId })
    }
  }
  if (failure.outcome === 'unknown') return settleUnknown(ctx, reply, connector, outbound, attempt, failure.message)
  // The platform answered, or the request never left: nothing reached the customer, so a retry is safe.
  await ctx.db.updateTable('messages').set({ sendStartedAt: null }).where('id', '=', reply.id).execute()
  const isRetryable = failure.retryable && attempt < maxSendAttempts
  ctx.metrics.replies.inc({ kind: connector.kind, outcome: isRetryable ? 'retried' : 'failed' })
  if (isRetryable) {
    const delay = retryDelayMs(attempt, failure.retryAfterMs)
    ctx.log.info({ messageId: reply.id, attempt, delayMs: delay, err: failure }, 'reply send will be retried')
    return later(ctx, reply, attempt + 1, new Date(now.getTime() + delay))
  }
  await markFailed(ctx.db, reply.id, plainError(failure, attempt), now)
  ctx.log.warn({ messageId: reply.id, err: failure }, 'reply failed')
  await ctx.db.transaction().execute((trx) => nudgeNextReply(trx, reply))
}

/** A call whose outcome we never learned: repeat it only where that is harmless; otherwise wait for word, or ask. */
async function settleUnknown(
  ctx: AppContext,
  reply: ReplyToSend,
  connector: Connector,
  outbound: OutboundMessage,
  attempt: number,
  what: string,
): Promise<void> {
  const channel = await cachedChannel(ctx, reply.channelId)
  if (!channel) return
  const policy = connector.unknownOutcome(outbound, channel.runtime)
  const now = ctx.clock.now()
  ctx.metrics.replies.inc({ kind: connector.kind, outcome: 'unknown' })
  if (policy.kind === 'repeat') {
    // The platform deduplicates on a key the reply carries: sending again cannot reach the customer twice.
    await ctx.db.updateTable('messages').set({ sendStartedAt: null }).where('id', '=', reply.id).execute()
    if (attempt < maxSendAttempts) {
      ctx.log.info({ messageId: reply.id, attempt, reason: what }, 'reply outcome unknown; repeating it, which the platform makes harmless')
      return later(ctx, reply, attempt + 1, new Date(now.getTime() + retryDelayMs(attempt)))
    }
    await markFailed(ctx.db, reply.id, `Gave up after ${attempt} attempts: ${what}.`, now)
    await ctx.db.transaction().execute((trx) => nudgeNextReply(trx, reply))
    return
  }
  if (policy.kind === 'confirm') {
    const startedAt = reply.sendStartedAt ?? now
    const settleAt = new Date(Math.max(now.getTime(), startedAt.getTime() + connector.sendTimeoutMs + policy.waitMs))
    ctx.log.warn({ messageId: reply.id, reason: what, settleAt }, 'reply outcome unknown; waiting for the platform to report it')
    await ctx.db.transaction().execute((trx) => enqueueInTx(trx, settleReplyTask, { messageId: reply.id }, { runAt: settleAt, jobKey: `settle:${reply.id}` }))
    return
  }
  // The console says that the platform never answered; the reply carries what to check there. The cause (a
  // timeout, a reset) is for the log.
  ctx.log.info({ messageId: reply.id, reason: what }, 'reply outcome unknown and the platform offers no way to check')
  await declareUnknown(ctx, reply, policy.check)
}

async function declareUnknown(ctx: AppContext, reply: ReplyToSend, explanation: string): Promise<void> {
  if (!(await markUnknown(ctx.db, reply.id, explanation, ctx.clock.now()))) return
  ctx.log.warn({ messageId: reply.id }, 'reply delivery unknown; the agent decides')
  // Later replies of the conversation wait behind this one no longer: it is settled, for now, as the agent's call.
  await ctx.db.transaction().execute((trx) => nudgeNextReply(trx, reply))
}

/**
 * The platform had its time to report a send whose answer we lost. A status or echo carrying the reply's reference
 * has adopted it already (ingest); an echo of its text adopts it here; otherwise the agent decides.
 */
export const settleReplyHandler = defineHandler(settleReplyTask, async (ctx, { messageId }) => {
  const reply = await findReplyToSend(ctx.db, messageId)
  if (!reply || reply.status !== 'queued' || !reply.sendStartedAt) return
  const channel = await cachedChannel(ctx, reply.channelId)
  if (!channel) return
  const connector = connectors[channel.row.kind as ChannelKind]
  if (await adoptEcho(ctx, reply, reply.sendStartedAt)) return
  const policy = connector.unknownOutcome(toOutbound(reply), channel.runtime)
  const check = policy.kind === 'repeat' ? '' : ` ${policy.check}`
  const waited = policy.kind === 'confirm' ? Math.round(policy.waitMs / 60_000) : 0
  await declareUnknown(ctx, reply, `${channelKindNames[connector.kind]} reported no such message within ${waited} min.${check}`)
})

/** Takes the platform's echo of this reply's text, written since the call began, as the reply itself. */
async function adoptEcho(ctx: AppContext, reply: ReplyToSend, since: Date): Promise<boolean> {
  // A file sent without words has no text to recognise its echo by: any other file's echo would match.
  if (reply.text === '') return false
  const echo = await findUnclaimedEcho(ctx.db, { conversationId: reply.conversationId, text: reply.text, since })
  if (!echo?.externalId) return false
  await ctx.db.transaction().execute(async (trx) => {
    await markSent(trx, reply.id, echo.externalId as string, reply.channelId, ctx.clock.now())
    await nudgeNextReply(trx, reply)
  })
  ctx.log.info({ messageId: reply.id, externalId: echo.externalId }, 'reply reconciled with its echo instead of being sent again')
  return true
}

function toOutbound(reply: ReplyToSend): OutboundMessage {
  const options = (reply.replyContext ?? {}) as { visibility?: 'public' | 'private'; tag?: 'HUMAN_AGENT'; template?: string; choices?: string }
  return {
    id: reply.id,
    conversationKind: reply.conversationKind as OutboundMessage['conversationKind'],
    threadKey: reply.threadKey,
    recipient: {
      externalId: reply.recipientExternalId ?? '',
      ...(reply.recipientAliases.length > 0 && { aliases: reply.recipientAliases }),
      name: reply.recipientName ?? undefined,
      handle: reply.recipientHandle ?? undefined,
    },
    text: reply.text,
    ...(reply.replyToExternalId && { replyToExternalId: reply.replyToExternalId }),
    ...(reply.threadReplyContext && { replyContext: reply.threadReplyContext }),
    ...(options.visibility && { visibility: options.visibility }),
    ...(options.tag && { tag: options.tag }),
    // A WhatsApp template send: stored as JSON text, since a reply context holds strings (see queueTemplateReply).
    ...(options.template && { template: JSON.parse(options.template) as NonNullable<OutboundMessage['template']> }),
    // A satisfaction survey's answer buttons, stored as JSON text for the same reason (see survey-offer.job.ts).
    ...(options.choices && { choices: JSON.parse(options.choices) as NonNullable<OutboundMessage['choices']> }),
  }
}

/** How long a reply behind an earlier one waits before looking again, if no nudge came first. */
const orderWaitMs = 30_000
/** How long a send waits when its channel already holds its share of this process's platform slots. */
const channelBusyWaitMs = 1_000

type ReplyToSend = NonNullable<Awaited<ReturnType<typeof findReplyToSend>>>

/** An earlier reply of the same conversation that has not left yet (queued: sending, or waiting to retry). */
async function earlierQueuedReply(db: Database, reply: ReplyToSend): Promise<boolean> {
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
async function nudgeNextReply(trx: Database, reply: ReplyToSend): Promise<void> {
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
