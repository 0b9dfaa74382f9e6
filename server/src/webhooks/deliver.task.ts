import { Id, IsoDateTime } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/**
 * An endpoint's sender: makes every attempt that is due (first attempts and retries alike), many at once and in order
 * within each conversation, until none is left. One sends per endpoint across every node (it holds the endpoint's
 * lease; graphile-worker's local queue would not keep a named queue to one job at a time), so a
 * busy endpoint costs a job per batch, not one per delivery, and a failing one cannot fill the worker with retries.
 * `dueBy` is the time the job was scheduled for (the next retry, the end of a pause): what was due then is due.
 */
export const sendWebhooksTask = defineTask({
  name: 'webhook.send',
  capacity: 'platform',
  payload: Type.Object({ endpointId: Id, dueBy: Type.Optional(IsoDateTime) }),
  maxAttempts: 5,
})

/**
 * One attempt of one delivery, as jobs were queued before endpoints had senders. Such a job now hands its delivery
 * to the endpoint's sender; nothing enqueues it any more.
 */
export const deliverWebhookTask = defineTask({
  name: 'webhook.deliver',
  capacity: 'platform',
  payload: Type.Object({ deliveryId: Id, attempt: Type.Integer({ minimum: 1, maximum: 100 }) }),
  maxAttempts: 3,
})

/** Delays before attempts 2…10 (integrations spec §1.2); after the 10th the delivery has failed for good. */
export const webhookRetryDelaysMs = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 5 * 3600_000, 10 * 3600_000, 14 * 3600_000, 20 * 3600_000, 24 * 3600_000]
export const maxWebhookAttempts = webhookRetryDelaysMs.length + 1

/** An endpoint whose every attempt has failed for this long is disabled and the admins are told. */
export const webhookFailingDisableAfterMs = 3 * 24 * 3600_000

/** The delay before the attempt after `attempt`, with ±10 % jitter; null after the last one. */
export function nextAttemptDelayMs(attempt: number, random: () => number = Math.random): number | null {
  const base = webhookRetryDelaysMs[attempt - 1]
  if (base === undefined) return null
  return Math.round(base * (0.9 + 0.2 * random()))
}

/** The key of the sender woken by new deliveries: one waits while one runs. */
export function senderKey(endpointId: string): string {
  return `webhook-send:${endpointId}`
}

/** The key of the sender scheduled for the endpoint's next retry or the end of its pause. */
export function senderTimerKey(endpointId: string): string {
  return `webhook-send-at:${endpointId}`
}
