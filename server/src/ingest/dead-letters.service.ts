import { recordAudit, type AuditRecord } from '../audit/audit.repository.js'
import type { DeadLetter, DeadLetterReplayOutcome } from '@carebox/shared'
import { sql } from 'kysely'
import type { AppContext } from '../context.js'
import { AppError } from '../errors.js'
import { listDeadLetters as listDeadLetterRows } from './inbound-events.repository.js'
import { ingestTask } from './ingest.task.js'
import { enqueueInTx } from '../queue/queue.js'
import { findChannel } from '../channels/channels.repository.js'

export async function listDeadLetters(ctx: AppContext, channelId: string): Promise<DeadLetter[]> {
  if (!(await findChannel(ctx.db, channelId))) throw new AppError('not_found', 'No such channel')
  const rows = await listDeadLetterRows(ctx.db, channelId)
  return rows.map((row) => ({
    id: row.id,
    channelId: row.channelId,
    source: row.source as DeadLetter['source'],
    error: row.error ?? 'Unknown error',
    attempts: row.attempts,
    receivedAt: row.receivedAt.toISOString(),
    payload: row.payload,
  }))
}

/** How long a replay waits for its ingest job: a payload that fails again usually does so within a second. */
const replayWaitMs = 8_000

/**
 * Puts a dead letter back in the queue (after a fix or a channel change): it is parsed and applied afresh, by
 * whichever node's worker takes the job. The answer waits for that (a few seconds at most), so the admin sees
 * whether it went through or failed again, and why, rather than a letter that merely left the list for a moment.
 */
export async function replayDeadLetter(ctx: AppContext, channelId: string, eventId: string, actor: AuditRecord['actor']): Promise<DeadLetterReplayOutcome> {
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('inboundEvents')
      .set({ status: 'pending', error: null, attempts: sql`0` })
      .where('id', '=', eventId)
      .where('channelId', '=', channelId)
      .where('status', '=', 'dead')
      .returning('id')
      .executeTakeFirst()
    if (!updated) throw new AppError('not_found', 'No such dead letter')
    await enqueueInTx(trx, ingestTask, { eventIds: [eventId] })
    await recordAudit(trx, { action: 'channel.dead_letter_replayed', actor, target: { type: 'channel', id: channelId }, details: { eventId } })
  })
  const outcome = await waitForOutcome(ctx, eventId)
  ctx.log.info({ channelId, eventId, outcome: outcome.status }, 'dead letter replayed')
  return outcome
}

async function waitForOutcome(ctx: AppContext, eventId: string): Promise<DeadLetterReplayOutcome> {
  const deadline = Date.now() + replayWaitMs
  for (let pause = 25; ; pause = Math.min(pause * 2, 400)) {
    const row = await ctx.db.selectFrom('inboundEvents').select(['status', 'error']).where('id', '=', eventId).executeTakeFirst()
    // Gone with its channel meanwhile: nothing was taken in.
    if (!row) return { status: 'failed', error: 'The channel was deleted meanwhile' }
    if (row.status === 'processed') return { status: 'processed' }
    if (row.status === 'dead') return { status: 'failed', error: row.error ?? 'Unknown error' }
    if (Date.now() + pause > deadline) return { status: 'queued', error: row.error }
    await new Promise((resolve) => setTimeout(resolve, pause))
  }
}
