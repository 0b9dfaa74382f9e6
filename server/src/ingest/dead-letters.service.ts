import { recordAudit, type AuditRecord } from '../audit/audit.repository.js'
import type { DeadLetter } from '@carebox/shared'
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

/** Puts a dead letter back in the queue (after a fix or a channel change): it is parsed and applied afresh. */
export async function replayDeadLetter(ctx: AppContext, channelId: string, eventId: string, actor: AuditRecord['actor']): Promise<{ status: 'queued' }> {
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
  ctx.log.info({ channelId, eventId }, 'dead letter replayed')
  return { status: 'queued' }
}
