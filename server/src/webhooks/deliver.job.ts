import type { Notification } from '@carebox/shared'
import { recordChanges } from '../changes/changes.repository.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { SafeFetchError } from '../media/safe-fetch.js'
import { enqueueInTx } from '../queue/queue.js'
import { defineHandler } from '../queue/tasks.js'
import { deliverWebhookTask, deliveryJobKey, deliveryQueue, maxWebhookAttempts, nextAttemptDelayMs, webhookFailingDisableAfterMs } from './deliver.task.js'
import { webhookSignature } from './signature.js'
import { postWebhook } from './webhook-post.js'
import {
  claimAttempt,
  findDelivery,
  findEarlierPending,
  findEndpointForDelivery,
  findNextPending,
  recordAttempt,
  type AttemptOutcome,
} from './webhooks.repository.js'

/** Spec: 15–30 s. */
export const webhookTimeoutMs = 15_000
export const responseExcerptBytes = 2048
/** Beyond the timeout, when a claimed attempt that never recorded its outcome is taken for dead. */
const staleClaimMs = webhookTimeoutMs + 15_000
/** How long a delivery waiting behind an earlier one of its conversation sleeps if nothing nudges it first. */
const orderWaitMs = 60_000
/** Statuses after which the receiver asks to be left alone for a while (Retry-After is honoured). */
const throttleStatuses = new Set([429, 502, 503, 504])

/** Attempts in flight per endpoint in this process: one slow receiver may hold only part of the platform slots. */
const inFlight = new Map<string, number>()

function enterEndpoint(endpointId: string, share: number): boolean {
  const n = inFlight.get(endpointId) ?? 0
  if (n >= share) return false
  inFlight.set(endpointId, n + 1)
  return true
}

function leaveEndpoint(endpointId: string): void {
  const n = (inFlight.get(endpointId) ?? 1) - 1
  if (n <= 0) inFlight.delete(endpointId)
  else inFlight.set(endpointId, n)
}

/** Retry-After in seconds or as an HTTP date, in ms from now. */
export function retryAfterMs(header: string | string[] | undefined, now: Date): number | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime())
}

type Delivery = NonNullable<Awaited<ReturnType<typeof findDelivery>>>
type Endpoint = NonNullable<Awaited<ReturnType<typeof findEndpointForDelivery>>>

async function enqueueAttempt(trx: Database, delivery: { id: string; endpointId: string; conversationId: string | null }, attempt: number, runAt?: Date) {
  await enqueueInTx(
    trx,
    deliverWebhookTask,
    { deliveryId: delivery.id, attempt },
    { jobKey: deliveryJobKey(delivery.id), queueName: deliveryQueue(delivery.endpointId, delivery.conversationId, delivery.id), runAt },
  )
}

/** Queues attempt 1 (or the next attempt) of deliveries, in the caller's transaction. */
export async function enqueueDeliveries(trx: Database, deliveries: { id: string; endpointId: string; conversationId: string | null }[]): Promise<void> {
  for (const delivery of deliveries) await enqueueAttempt(trx, delivery, 1)
}

/** The delivery waiting behind this one in its conversation goes now, instead of at the end of its wait. */
async function nudgeNext(trx: Database, delivery: Delivery): Promise<void> {
  const next = await findNextPending(trx, delivery)
  if (next) await enqueueAttempt(trx, next, next.attempts + 1)
}

/**
 * Sends one attempt of a delivery, signed per Standard Webhooks with the endpoint's secret (and the previous one
 * during a rotation), then records the answer and schedules what follows: the next attempt on the spec's schedule,
 * the endpoint disabled on 410 or after failing for days, or the next delivery of the conversation.
 */
export const deliverWebhookHandler = defineHandler(deliverWebhookTask, async (ctx, { deliveryId, attempt }) => {
  const delivery = await findDelivery(ctx.db, deliveryId)
  if (!delivery || delivery.status !== 'pending' || delivery.attempts > attempt) return
  const endpoint = await findEndpointForDelivery(ctx.db, delivery.endpointId)
  if (!endpoint) return
  const now = ctx.clock.now()
  if (!endpoint.enabled) {
    // Kept as failed, so "replay failed since…" after re-enabling sends it.
    await ctx.db.transaction().execute(async (trx) => {
      await recordAttempt(trx, delivery.id, { ...lastOf(delivery), status: 'failed', nextAttemptAt: null, lastError: 'The endpoint is disabled.' })
      await nudgeNext(trx, delivery)
    })
    return
  }
  const earlier = await findEarlierPending(ctx.db, delivery)
  if (earlier) {
    const wakeAt = Math.max(now.getTime() + orderWaitMs, (earlier.nextAttemptAt?.getTime() ?? 0) + 1000)
    await ctx.db.transaction().execute((trx) => enqueueAttempt(trx, delivery, attempt, new Date(wakeAt)))
    return
  }
  const share = Math.max(1, Math.floor(ctx.config.platformConcurrency / 2))
  if (!enterEndpoint(endpoint.id, share)) {
    await ctx.db.transaction().execute((trx) => enqueueAttempt(trx, delivery, attempt, new Date(now.getTime() + 1000)))
    return
  }
  try {
    if (!(await claimAttempt(ctx.db, delivery.id, attempt, now, new Date(now.getTime() - staleClaimMs)))) return
    const outcome = await attemptDelivery(ctx, delivery, endpoint, attempt)
    await settle(ctx, delivery, endpoint, attempt, outcome)
  } finally {
    leaveEndpoint(endpoint.id)
  }
})

function lastOf(delivery: Delivery): Omit<AttemptOutcome, 'status' | 'nextAttemptAt'> {
  return {
    lastStatus: delivery.lastStatus,
    lastLatencyMs: delivery.lastLatencyMs,
    lastError: delivery.lastError,
    lastResponseExcerpt: delivery.lastResponseExcerpt,
  }
}

interface Answer {
  status: number | null
  latencyMs: number
  excerpt: string | null
  error: string | null
  retryAfterMs?: number
}

async function attemptDelivery(ctx: AppContext, delivery: Delivery, endpoint: Endpoint, attempt: number): Promise<Answer> {
  const now = ctx.clock.now()
  const secrets = [ctx.secrets.open<string>(endpoint.secretCiphertext)]
  if (endpoint.previousSecretCiphertext && endpoint.previousSecretUntil && endpoint.previousSecretUntil > now) {
    secrets.push(ctx.secrets.open<string>(endpoint.previousSecretCiphertext))
  }
  const timestamp = Math.floor(now.getTime() / 1000)
  const headers = {
    'content-type': 'application/json',
    'webhook-id': delivery.eventId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': webhookSignature(secrets, delivery.eventId, timestamp, delivery.payload),
  }
  const started = performance.now()
  try {
    const response = await postWebhook(endpoint.url, delivery.payload, {
      allowPrivateNetwork: endpoint.allowPrivateNetwork,
      timeoutMs: webhookTimeoutMs,
      excerptBytes: responseExcerptBytes,
      headers,
    })
    const latencyMs = Math.round(performance.now() - started)
    return {
      status: response.status,
      latencyMs,
      excerpt: response.excerpt,
      error: null,
      retryAfterMs: throttleStatuses.has(response.status) ? retryAfterMs(response.headers['retry-after'], now) : undefined,
    }
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started)
    if (!(error instanceof SafeFetchError)) throw error
    ctx.log.debug({ err: error, deliveryId: delivery.id, attempt }, 'webhook attempt got no answer')
    return { status: null, latencyMs, excerpt: null, error: error.message }
  }
}

async function settle(ctx: AppContext, delivery: Delivery, endpoint: Endpoint, attempt: number, answer: Answer): Promise<void> {
  const now = ctx.clock.now()
  const last = { lastStatus: answer.status, lastLatencyMs: answer.latencyMs, lastError: answer.error, lastResponseExcerpt: answer.excerpt }
  const succeeded = answer.status !== null && answer.status >= 200 && answer.status < 300
  await ctx.db.transaction().execute(async (trx) => {
    if (succeeded) {
      await recordAttempt(trx, delivery.id, { ...last, status: 'succeeded', nextAttemptAt: null })
      if (endpoint.failingSince) await trx.updateTable('webhookEndpoints').set({ failingSince: null }).where('id', '=', endpoint.id).execute()
      await nudgeNext(trx, delivery)
      return
    }
    if (answer.status === 410) {
      await recordAttempt(trx, delivery.id, { ...last, status: 'failed', nextAttemptAt: null, lastError: 'The endpoint answered 410 Gone: it was disabled.' })
      await disableEndpoint(trx, endpoint, 'The endpoint answered 410 Gone.', now)
      await nudgeNext(trx, delivery)
      return
    }
    const failingSince = endpoint.failingSince ?? now
    if (!endpoint.failingSince) await trx.updateTable('webhookEndpoints').set({ failingSince: now }).where('id', '=', endpoint.id).execute()
    if (now.getTime() - failingSince.getTime() >= webhookFailingDisableAfterMs) {
      await recordAttempt(trx, delivery.id, { ...last, status: 'failed', nextAttemptAt: null })
      const days = Math.round(webhookFailingDisableAfterMs / (24 * 3600_000))
      await disableEndpoint(trx, endpoint, `Every attempt failed for ${days} days.`, now)
      await nudgeNext(trx, delivery)
      return
    }
    const delay = attempt < maxWebhookAttempts ? nextAttemptDelayMs(attempt) : null
    if (delay === null) {
      await recordAttempt(trx, delivery.id, { ...last, status: 'failed', nextAttemptAt: null })
      await nudgeNext(trx, delivery)
      return
    }
    const nextAttemptAt = new Date(now.getTime() + Math.max(delay, answer.retryAfterMs ?? 0))
    await recordAttempt(trx, delivery.id, { ...last, status: 'pending', nextAttemptAt })
    await enqueueAttempt(trx, delivery, attempt + 1, nextAttemptAt)
  })
}

/** Disables an endpoint (once) and tells every admin in the console. */
async function disableEndpoint(trx: Database, endpoint: Endpoint, reason: string, now: Date): Promise<void> {
  const disabled = await trx
    .updateTable('webhookEndpoints')
    .set({ enabled: false, disabledReason: reason, disabledAt: now, updatedAt: now })
    .where('id', '=', endpoint.id)
    .where('enabled', '=', true)
    .returning('id')
    .executeTakeFirst()
  if (!disabled) return
  const admins = await trx.selectFrom('users').select('id').where('role', '=', 'admin').where('active', '=', true).execute()
  // No conversation to open: recorded without one (recordNotifications would take the empty id for a conversation).
  const notification: Notification = { kind: 'webhook_disabled', conversationId: '', by: null, preview: `${endpoint.url}: ${reason}` }
  await recordChanges(
    trx,
    admins.map(({ id }) => ({
      type: 'notification.created',
      conversationId: null,
      actor: { type: 'system', id: 'webhooks' },
      data: { userId: id, notification },
    })),
  )
}
