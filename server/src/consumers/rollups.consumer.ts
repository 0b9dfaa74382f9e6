import { loadReportEnv, syncReportsMany } from '../reports/report-sync.js'
import type { ChangeConsumer } from '../changes/consumer.js'

/**
 * The reports' rollups: each conversation changed in a batch is recomputed once, as a whole, and the
 * difference from what it contributed before is applied: the same computation a full rebuild makes.
 */
export const rollupsConsumer: ChangeConsumer = {
  name: 'rollups',
  mode: 'transaction',
  gatherMs: 100,
  batchSize: 250,
  wants: (change) => change.conversationId !== null && change.type !== 'notification.created',
  async handle(ctx, trx, changes) {
    await syncReportsMany(
      trx,
      changes.map((c) => c.conversationId!),
      await loadReportEnv(trx, ctx.clock.now()),
    )
  },
}
