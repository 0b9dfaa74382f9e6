import { teamAudience } from '@carebox/shared'
import { sql } from 'kysely'
import { cachedChannel } from '../channels/channel-cache.js'
import { recordChannelError } from '../channels/channels.repository.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { enqueueInTx } from '../queue/queue.js'
import { defineHandler } from '../queue/tasks.js'
import { applyBatch, finishBatch, type ClaimedEvent } from './apply-batch.js'
import { findInboundEvent, markAttempt, markDead } from './inbound-events.repository.js'
import { ingestTask } from './ingest.task.js'

async function deadLetter(ctx: AppContext, eventId: string, channelId: string, reason: string): Promise<void> {
  await markDead(ctx.db, eventId, reason)
  await recordChannelError(ctx.db, channelId, reason, ctx.clock.now())
  ctx.log.warn({ eventId, channelId, reason }, 'inbound event dead-lettered')
  const cached = await cachedChannel(ctx, channelId)
  if (cached) ctx.realtime.publish('channel.updated', teamAudience(cached.row.teamId), { channelId })
}

/** How many more pending envelopes of the same channel a job takes on, beyond its own. */
const backlogBatch = 200

/**
 * Locks the still-pending envelopes among `ids` (another job holding one, e.g. a replay, keeps it), plus,
 * when `withBacklog`, the oldest other pending envelopes of their channel: under load a backlog then drains
 * in large batches, and the jobs of envelopes taken this way find nothing left to do.
 */
async function claim(trx: Database, ids: string[], withBacklog: boolean): Promise<ClaimedEvent[]> {
  // Claimed envelopes are marked processed at once: the same transaction applies them, so a failure rolls the
  // mark back with everything else, and it saves a round trip per batch.
  const { rows } = await sql<ClaimedEvent & { seq: number }>`
    with own as (
      select id, channel_id from inbound_events
      where id = any(${ids}::uuid[]) and status = 'pending'
      for update skip locked
    ),
    backlog as (
      select id from inbound_events
      where ${withBacklog} and status = 'pending' and channel_id = (select channel_id from own limit 1)
        and not (id = any(${ids}::uuid[]))
      order by seq
      limit ${backlogBatch}
      for update skip locked
    ),
    claimed as (
      update inbound_events e set status = 'processed', processed_at = now(), error = null
      from (select id from own union all select id from backlog) c
      where e.id = c.id
      returning e.id, e.channel_id, e.payload, e.seq
    )
    select id, channel_id as "channelId", payload, seq from claimed order by seq`.execute(trx)
  return rows
}

/**
 * Processes the envelopes stored together by one webhook write or one poll, in one transaction. If that
 * transaction fails, each envelope is retried in a transaction of its own, so one that keeps failing
 * (dead-lettered on the job's last attempt) never holds up the others.
 */
export const ingestHandler = defineHandler(ingestTask, async (ctx, { eventIds }, job) => {
  // A retry takes only its own envelopes. If the last attempt died with its process (killed, no catch ran), the
  // backlog it had claimed rolled back to pending while those envelopes' own jobs were already done: queue it again.
  if (job.attempts > 1) await requeueBacklog(ctx, eventIds)
  try {
    const stopTimer = ctx.metrics.ingestBatch.startTimer({ phase: 'apply' })
    const outcome = await ctx.db.transaction().execute(async (trx) => {
      const claimed = await claim(trx, eventIds, job.attempts === 1)
      ctx.metrics.ingestBatchSize.observe(claimed.length)
      return applyBatch(ctx, trx, claimed)
    })
    stopTimer()
    await finishBatch(ctx, outcome)
    return
  } catch (error) {
    // The envelopes of the channel's backlog this batch had claimed are pending again, but their own jobs may be
    // done (they found them claimed): a job of their own takes them on, so none is left waiting. Only a first
    // attempt claims a backlog (a retry queued it again before it began).
    if (job.attempts === 1) await requeueBacklog(ctx, eventIds)
    if (eventIds.length === 1) return retryOrDeadLetter(ctx, eventIds[0] as string, error as Error, job)
    ctx.log.warn({ err: error, count: eventIds.length }, 'ingest batch failed; retrying its envelopes one by one')
  }
  let failure: Error | undefined
  for (const id of eventIds) {
    try {
      const outcome = await ctx.db.transaction().execute(async (trx) => applyBatch(ctx, trx, await claim(trx, [id], false)))
      await finishBatch(ctx, outcome)
    } catch (error) {
      failure =
        (await retryOrDeadLetter(ctx, id, error as Error, job).then(
          () => undefined,
          (e: Error) => e,
        )) ?? failure
    }
  }
  if (failure) throw failure
})

/** A job for the pending envelopes of these envelopes' channels, other than these: what a failed batch let go of. */
async function requeueBacklog(ctx: AppContext, eventIds: string[]): Promise<void> {
  const { rows } = await sql<{ id: string }>`
    select e.id from inbound_events e
    where e.status = 'pending' and e.channel_id in (select channel_id from inbound_events where id = any(${eventIds}::uuid[]))
      and not (e.id = any(${eventIds}::uuid[]))
    order by e.seq limit ${backlogBatch}`.execute(ctx.db)
  if (rows.length > 0) await enqueueInTx(ctx.db, ingestTask, { eventIds: rows.map((r) => r.id) })
}

async function retryOrDeadLetter(ctx: AppContext, eventId: string, error: Error, job: { attempts: number; maxAttempts: number }): Promise<void> {
  const event = await findInboundEvent(ctx.db, eventId)
  if (!event || event.status !== 'pending') return
  if (job.attempts >= job.maxAttempts) return deadLetter(ctx, eventId, event.channelId, `Failed ${job.attempts} times: ${error.message}`)
  await markAttempt(ctx.db, eventId, error.message)
  throw error
}
