import type { Notification } from '@carebox/shared'
import { recordChanges } from '../changes/changes.repository.js'
import type { Database } from '../db/client.js'
import type { Answer } from './attempt.js'
import { maxWebhookAttempts, nextAttemptDelayMs, webhookFailingDisableAfterMs } from './deliver.task.js'
import { promoteNextInConversations, recordOutcomes, type AttemptOutcome } from './webhooks.repository.js'

/** The longest a Retry-After may pause an endpoint. */
export const maxPauseMs = 5 * 60_000

/** An attempt made, waiting to be written down with what follows from it. */
export interface MadeAttempt {
  delivery: { id: string; conversationId: string | null; claimedAt: Date }
  attempt: number
  answer: Answer
}

/** The endpoint as settling changes it. */
export interface EndpointState {
  id: string
  url: string
  enabled: boolean
  failingSince: Date | null
  pausedUntil: Date | null
}

/**
 * Writes down a batch of attempts to one endpoint in one statement and decides what follows each: nothing after a
 * 2xx; the next attempt on the spec's schedule (or after Retry-After) after a failure; failed for good after the last
 * attempt. A delivery that settles lets the next one of its conversation go. A 410, or failing for days, disables the
 * endpoint (once) and tells the admins; a Retry-After pauses it. Returns the state the endpoint is left in.
 */
export async function settleAttempts(trx: Database, endpoint: EndpointState, attempts: MadeAttempt[], now: Date): Promise<EndpointState> {
  const state = { ...endpoint }
  const outcomes: (AttemptOutcome & { id: string; claimedAt: Date })[] = []
  const settledConversations = new Set<string>()
  let disableReason: string | null = null
  const settle = (delivery: MadeAttempt['delivery'], outcome: AttemptOutcome) => {
    outcomes.push({ id: delivery.id, claimedAt: delivery.claimedAt, ...outcome })
    if (outcome.status !== 'pending' && delivery.conversationId) settledConversations.add(delivery.conversationId)
  }
  for (const { delivery, attempt, answer } of attempts) {
    const last = { lastStatus: answer.status, lastLatencyMs: answer.latencyMs, lastError: answer.error, lastResponseExcerpt: answer.excerpt }
    if (answer.status !== null && answer.status >= 200 && answer.status < 300) {
      settle(delivery, { ...last, status: 'succeeded', nextAttemptAt: null })
      state.failingSince = null
      continue
    }
    if (answer.status === 410) {
      settle(delivery, { ...last, status: 'failed', nextAttemptAt: null, lastError: 'The endpoint answered 410 Gone: it was disabled.' })
      disableReason ??= 'The endpoint answered 410 Gone.'
      continue
    }
    state.failingSince ??= now
    if (now.getTime() - state.failingSince.getTime() >= webhookFailingDisableAfterMs) {
      disableReason ??= `Every attempt failed for ${Math.round(webhookFailingDisableAfterMs / (24 * 3600_000))} days.`
    }
    const delay = attempt < maxWebhookAttempts && !disableReason ? nextAttemptDelayMs(attempt) : null
    if (delay === null) {
      settle(delivery, { ...last, status: 'failed', nextAttemptAt: null })
      continue
    }
    if (answer.retryAfterMs) {
      const until = new Date(now.getTime() + Math.min(answer.retryAfterMs, maxPauseMs))
      if (!state.pausedUntil || state.pausedUntil < until) state.pausedUntil = until
    }
    settle(delivery, { ...last, status: 'pending', nextAttemptAt: new Date(now.getTime() + Math.max(delay, answer.retryAfterMs ?? 0)) })
  }
  await recordOutcomes(trx, outcomes)
  await promoteNextInConversations(trx, endpoint.id, [...settledConversations], now)
  if (state.failingSince?.getTime() !== endpoint.failingSince?.getTime() || state.pausedUntil?.getTime() !== endpoint.pausedUntil?.getTime()) {
    await trx.updateTable('webhookEndpoints').set({ failingSince: state.failingSince, pausedUntil: state.pausedUntil }).where('id', '=', endpoint.id).execute()
  }
  if (disableReason) {
    await disableEndpoint(trx, endpoint, disableReason, now)
    state.enabled = false
  }
  return state
}

/** Disables an endpoint (once) and tells every admin in the console. */
export async function disableEndpoint(trx: Database, endpoint: { id: string; url: string }, reason: string, now: Date): Promise<void> {
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
