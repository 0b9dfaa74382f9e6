import type { ChangeConsumer } from '../changes/consumer.js'
import type { AppContext } from '../context.js'
import { insertStreamEvents, pruneStreamEvents } from '../event-stream/stream-events.repository.js'
import { isWebhookEventType, webhookBody } from '../webhooks/webhook-event.js'

/** Old events are pruned at most this often, by whichever process runs this consumer. */
const pruneEveryMs = 60_000
let lastPruneAt = 0
let pruning: Promise<void> | undefined

/** Deletes what is past the retention, in bounded batches, outside the consumer's transaction. */
async function pruneAll(ctx: AppContext): Promise<void> {
  try {
    while ((await pruneStreamEvents(ctx.db, ctx.config.changeRetentionDays)) > 0);
  } catch (error) {
    ctx.log.warn({ err: error }, 'pruning the event stream failed; trying again later')
  } finally {
    pruning = undefined
  }
}

/**
 * Appends the catalogue's events to the live event stream, in the order this consumer reads the changes (commit
 * order), one batch per transaction: their positions grow in that order, so a client resuming from a position
 * never misses an event that committed late. The body is the webhook's, so an event has one shape everywhere.
 */
export const streamConsumer: ChangeConsumer = {
  name: 'stream',
  mode: 'transaction',
  gatherMs: 20,
  batchSize: 1000,
  wants: (change) => isWebhookEventType(change.type),
  async handle(ctx, trx, changes) {
    await insertStreamEvents(
      trx,
      changes.map((change) => ({ changeSeq: change.seq, type: change.type, teamId: change.teamId, body: webhookBody(change) })),
    )
    if (!pruning && Date.now() - lastPruneAt > pruneEveryMs) {
      lastPruneAt = Date.now()
      pruning = pruneAll(ctx)
    }
  },
}
