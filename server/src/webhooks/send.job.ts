import type { AppContext } from '../context.js'
import { defineHandler } from '../queue/tasks.js'
import { attemptDelivery, signingSecrets, staleClaimMs, type SigningEndpoint } from './attempt.js'
import { sendWebhooksTask } from './deliver.task.js'
import { settleAttempts, type EndpointState, type MadeAttempt } from './settle.js'
import { scheduleSender, wakeSender } from './wake-sender.js'
import { claimDue, failPending, findEndpointForDelivery, nextDueAfter, type ClaimedDelivery } from './webhooks.repository.js'

/** Deliveries claimed per round: one settling statement each. */
const batchSize = 100
/** Requests in flight to one endpoint from its sender: a receiver sees a bounded number of connections. */
const parallelPosts = 8
/** After this long, the sender hands its worker slot back and carries on as a new job behind the others. */
const runBudgetMs = 20_000

/** Posts every claimed delivery, at most `parallelPosts` at a time. */
async function postAll(ctx: AppContext, endpoint: SigningEndpoint, claimed: ClaimedDelivery[]): Promise<MadeAttempt[]> {
  const secrets = signingSecrets(ctx, endpoint, ctx.clock.now())
  const made: MadeAttempt[] = []
  let next = 0
  const lane = async () => {
    while (next < claimed.length) {
      const delivery = claimed[next++]!
      made.push({ delivery, attempt: delivery.attempts, answer: await attemptDelivery(ctx, endpoint, secrets, delivery) })
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallelPosts, claimed.length) }, lane))
  return made
}

/**
 * An endpoint's sender: claims what is due (the oldest waiting first, one at a time per conversation), posts it in
 * parallel, settles the batch in one transaction, and goes on until nothing is due; then it schedules itself for the
 * next retry. A paused endpoint (Retry-After) waits for the end of its pause; a disabled one fails what is pending.
 */
export const sendWebhooksHandler = defineHandler(sendWebhooksTask, async (ctx, { endpointId, dueBy }) => {
  const endpoint = await findEndpointForDelivery(ctx.db, endpointId)
  if (!endpoint) return
  let state: EndpointState = endpoint
  const started = performance.now()
  // A job scheduled for a time may run a little early (or, in tests, be told its time has come): what was due at
  // that time is due now.
  const dueAt = () => new Date(Math.max(ctx.clock.now().getTime(), dueBy ? Date.parse(dueBy) : 0))
  while (state.enabled) {
    if (state.pausedUntil && state.pausedUntil > dueAt()) {
      await ctx.db.transaction().execute((trx) => scheduleSender(trx, endpointId, state.pausedUntil!))
      return
    }
    const now = ctx.clock.now()
    const claimed = await claimDue(ctx.db, endpointId, dueAt(), batchSize, now, new Date(now.getTime() - staleClaimMs))
    if (claimed.length === 0) {
      const next = await nextDueAfter(ctx.db, endpointId, dueAt(), staleClaimMs)
      if (next) await ctx.db.transaction().execute((trx) => scheduleSender(trx, endpointId, next))
      return
    }
    const made = await postAll(ctx, endpoint, claimed)
    state = await ctx.db.transaction().execute((trx) => settleAttempts(trx, state, made, ctx.clock.now()))
    if (performance.now() - started > runBudgetMs) {
      await ctx.db.transaction().execute((trx) => wakeSender(trx, endpointId))
      return
    }
  }
  await failPending(ctx.db, endpointId, 'The endpoint is disabled.')
})
