import { recordChanges, recordConversationsUpdated } from '../changes/changes.repository.js'
import { followUpMany, loadFollowUpEnv } from '../timers/follow-up.js'
import { slaActor } from '../sla/sla-actor.js'
import type { ChangeConsumer } from '../changes/consumer.js'

/**
 * SLA targets, deadlines and their timers, and the time-based rules' timers, recomputed once per conversation
 * per batch from the conversation as it now is. A deadline that moved goes to the consoles as an update; a
 * target found breached is recorded as sla.breached.
 */
export const slaConsumer: ChangeConsumer = {
  name: 'sla',
  mode: 'transaction',
  gatherMs: 100,
  batchSize: 250,
  wants: (change) => change.conversationId !== null && change.type !== 'notification.created' && change.actor?.id !== slaActor.id,
  async handle(ctx, trx, changes) {
    const ids = [...new Set(changes.map((c) => c.conversationId!))]
    const results = await followUpMany(trx, ids, await loadFollowUpEnv(trx, ctx.clock.now()))
    const moved = [...results].filter(([, r]) => r.changed).map(([id]) => id)
    await recordConversationsUpdated(trx, moved, ['sla'], slaActor)
    await recordChanges(
      trx,
      [...results].flatMap(([conversationId, r]) =>
        r.breached.map((targetId) => ({ type: 'sla.breached' as const, conversationId, actor: slaActor, data: { targetId } })),
      ),
    )
  },
}
