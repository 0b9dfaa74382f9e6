import { randomUUID } from 'node:crypto'
import type { AppContext } from '../context.js'
import { defineHandler } from '../queue/tasks.js'
import { attemptDelivery, batchWindowMs, signingSecrets, staleClaimMs, type Answer, type SigningEndpoint } from './attempt.js'
import { sendWebhooksTask } from './deliver.task.js'
import { settleAttempts, type MadeAttempt } from './settle.js'
import { scheduleSender, wakeSender } from './wake-sender.js'
import { claimDue, failPending, nextDueAfter, releaseClaims, releaseSenderLease, takeSenderLease, type ClaimedDelivery } from './webhooks.repository.js'

/** Deliveries claimed per round: one settling statement each. */
const batchSize = 100
/** Requests in flight to one endpoint from its sender: a receiver sees a bounded number of connections. */
const parallelPosts = 8
/** After this long, the sender hands its worker slot back and carries on as a new job behind the others. */
const runBudgetMs = 20_000
/** How soon a sender that found another one sending looks again (that one may be finishing as new work came). */
const leaseBusyRetryMs = 1_000

/**
 * Posts the claimed deliveries, at most `parallelPosts` at a time, starting none after the batch window; each posted
 * one gets an answer, whatever happens to another. Returns what was posted and what was not.
 */
async function postAll(ctx: AppContext, endpoint: SigningEndpoint, claimed: ClaimedDelivery[]): Promise<{ made: MadeAttempt[]; unposted: ClaimedDelivery[] }> {
  const secrets = signingSecrets(ctx, endpoint, ctx.clock.now())
  const made: MadeAttempt[] = []
  const windowEnds = performance.now() + batchWindowMs
  let next = 0
  const lane = async () => {
    while (next < claimed.length && performance.now() < windowEnds) {
      const delivery = claimed[next++]!
      const started = performance.now()
      const answer = await attemptDelivery(ctx, endpoint, secrets, delivery).catch((error: Error): Answer => {
        ctx.log.error({ err: error, deliveryId: delivery.id }, 'a webhook attempt failed inside Carebox')
        return { status: null, latencyMs: Math.round(performance.now() - started), excerpt: null, error: `Carebox could not send it: ${error.message}` }
      })
      made.push({ delivery, attempt: delivery.attempts, answer })
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallelPosts, claimed.length) }, lane))
  return { made, unposted: claimed.slice(next) }
}

/**
 * An endpoint's sender: claims what is due (the oldest waiting first, one at a time per conversation), posts it in
 * parallel, settles the batch in one transaction, and goes on until nothing is due; then it schedules itself for the
 * next retry. It sends only while it holds the endpoint's lease, renewed every batch with a fresh read of the
 * endpoint, so two senders never send to one endpoint and a disabled or re-pointed endpoint is seen at the next
 * batch. A paused endpoint (Retry-After) waits for the end of its pause; a disabled one fails what is pending.
 */
export const sendWebhooksHandler = defineHandler(sendWebhooksTask, async (ctx, { endpointId, dueBy }) => {
  const leaseId = randomUUID()
  const started = performance.now()
  // A job scheduled for a time may run a little early (or, in tests, be told its time has come): what was due at
  // that time is due now.
  const dueAt = () => new Date(Math.max(ctx.clock.now().getTime(), dueBy ? Date.parse(dueBy) : 0))
  const lease = () => takeSenderLease(ctx.db, endpointId, leaseId, ctx.clock.now(), new Date(ctx.clock.now().getTime() + staleClaimMs))
  let endpoint = await lease()
  if (!endpoint) {
    const exists = await ctx.db.selectFrom('webhookEndpoints').select('id').where('id', '=', endpointId).executeTakeFirst()
    if (exists) await ctx.db.transaction().execute((trx) => wakeSender(trx, endpointId, new Date(ctx.clock.now().getTime() + leaseBusyRetryMs)))
    return
  }
  try {
    while (endpoint.enabled) {
      if (endpoint.pausedUntil && endpoint.pausedUntil > dueAt()) {
        const until = endpoint.pausedUntil
        await ctx.db.transaction().execute((trx) => scheduleSender(trx, endpointId, until))
        return
      }
      const now = ctx.clock.now()
      const claimed = await claimDue(ctx.db, endpointId, dueAt(), batchSize, now, new Date(now.getTime() - staleClaimMs))
      if (claimed.length === 0) {
        const next = await nextDueAfter(ctx.db, endpointId, dueAt(), staleClaimMs)
        if (next) await ctx.db.transaction().execute((trx) => scheduleSender(trx, endpointId, next))
        return
      }
      const { made, unposted } = await postAll(ctx, endpoint, claimed)
      const state = endpoint
      await ctx.db.transaction().execute(async (trx) => {
        await settleAttempts(trx, state, made, ctx.clock.now())
        await releaseClaims(trx, unposted)
      })
      if (performance.now() - started > runBudgetMs) {
        // The lease goes first, or the next job would find it still taken and wait a second for nothing.
        await releaseSenderLease(ctx.db, endpointId, leaseId)
        await ctx.db.transaction().execute((trx) => wakeSender(trx, endpointId))
        return
      }
      const renewed = await lease()
      if (!renewed) return
      endpoint = renewed
    }
    await failPending(ctx.db, endpointId, 'The endpoint is disabled.')
  } finally {
    await releaseSenderLease(ctx.db, endpointId, leaseId)
  }
})
