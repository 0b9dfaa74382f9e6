import { loadFollowUpEnv } from '../timers/follow-up.js'
import { routeMessages } from '../routing/route.job.js'
import { recordRuleEffects } from '../rules/rule-effects.js'
import { cancelFollowUpsOnCustomerMessages } from '../follow-ups/cancel-on-reply.js'
import type { Change } from '../changes/changes.repository.js'
import type { ChangeConsumer } from '../changes/consumer.js'

/** A customer's new message, the only change the message.received rules and the acknowledgement act on. */
/**
 * A customer's message that asks for something. One that closes the loop (a survey's rating or its comment, a
 * short thanks after a resolve) is not: no rule, no automatic reply, no surge count.
 */
export function isCustomerMessage(change: Change): boolean {
  return change.type === 'message.created' && change.data.direction === 'inbound' && change.data.kind === 'message' && !change.data.closesLoop
}

/**
 * What a customer's message sets off: the message.received rules (priority, tags, a notification), the team's
 * out-of-hours acknowledgement, profile lookups for people who wrote without a name, and the end of a follow-up the
 * customer answered first.
 */
export const rulesConsumer: ChangeConsumer = {
  name: 'rules',
  mode: 'transaction',
  gatherMs: 100,
  batchSize: 100,
  wants: isCustomerMessage,
  async handle(ctx, trx, changes) {
    const effects = await routeMessages(
      trx,
      changes.map((c) => c.messageId!),
      await loadFollowUpEnv(trx, ctx.clock.now()),
    )
    await recordRuleEffects(trx, effects, { type: 'system', id: 'rules' })
    await cancelFollowUpsOnCustomerMessages(
      trx,
      changes.map((c) => c.messageId!),
      ctx.clock.now(),
    )
  },
}
