import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/**
 * One attempt of one webhook delivery. The handler schedules the next attempt itself, on the Standard Webhooks
 * schedule (graphile-worker's own backoff differs); graphile-worker's retries only cover a crash. `attempt` says
 * which attempt this job is: a job for an attempt already made (a duplicate, a stale nudge) does nothing.
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

/** One job per delivery: a nudge replaces the pending job instead of adding a second. */
export function deliveryJobKey(deliveryId: string): string {
  return `webhook:${deliveryId}`
}

/** Deliveries of one conversation to one endpoint run one at a time; other endpoints and conversations are not held. */
export function deliveryQueue(endpointId: string, conversationId: string | null, deliveryId: string): string {
  return `webhook:${endpointId}:${conversationId ?? deliveryId}`
}
