import { enqueueInTx } from '../queue/queue.js'
import { surgeCheckDelayMs, surgeCheckKey, surgeCheckTask } from '../reports/surge-check.task.js'
import type { ChangeConsumer } from '../changes/consumer.js'
import { isCustomerMessage } from './rules.consumer.js'

/** New customer messages: their team's surge check runs within a minute (one pending per team, not moved by more). */
export const surgesConsumer: ChangeConsumer = {
  name: 'surges',
  mode: 'transaction',
  gatherMs: 100,
  batchSize: 1000,
  wants: (change) => isCustomerMessage(change) && change.teamId !== null,
  async handle(ctx, trx, changes) {
    const runAt = new Date(ctx.clock.now().getTime() + surgeCheckDelayMs)
    for (const teamId of new Set(changes.map((c) => c.teamId!))) {
      await enqueueInTx(trx, surgeCheckTask, { teamId }, { jobKey: surgeCheckKey(teamId), runAt, preserveRunAt: true })
    }
  },
}
