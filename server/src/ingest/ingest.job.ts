import { rooms } from '@carebox/shared'
import { sql } from 'kysely'
import { cachedChannel } from '../channels/channel-cache.js'
import { recordChannelError, recordChannelEvent } from '../channels/channels.repository.js'
import { connectors } from '../channels/connectors.js'
import type { InboundEvent } from '../channels/connector.js'
import type { AppContext } from '../context.js'
import { findConversationSummaries } from '../conversations/conversations.repository.js'
import { toConversationSummary, toMessage } from '../conversations/conversations.service.js'
import { findMessages } from '../conversations/messages.repository.js'
import { defineHandler } from '../queue/tasks.js'
import { findInboundEvent, markAttempt, markDead } from './inbound-events.repository.js'
import { applyEvents, type AppliedEvents } from './ingest.service.js'
import { ingestTask } from './ingest.task.js'

async function deadLetter(ctx: AppContext, eventId: string, channelId: string, reason: string): Promise<void> {
  await markDead(ctx.db, eventId, reason)
  await recordChannelError(ctx.db, channelId, reason, ctx.clock.now())
  ctx.log.warn({ eventId, channelId, reason }, 'inbound event dead-lettered')
  ctx.realtime.publish('channel.updated', rooms.inbox(), { channelId })
}

/** Pushes what changed to the console, after the commit that made it real. */
async function publishApplied(ctx: AppContext, applied: AppliedEvents): Promise<void> {
  const messages = await findMessages(ctx.db, [...applied.createdMessageIds, ...applied.updatedMessageIds])
  const conversationIds = [...new Set(messages.map((m) => m.conversationId))]
  const summaries = new Map((await findConversationSummaries(ctx.db, conversationIds)).map((row) => [row.id, toConversationSummary(row)]))
  const created = new Set(applied.createdMessageIds)
  for (const row of messages) {
    const conversation = summaries.get(row.conversationId)
    if (!conversation) continue
    if (created.has(row.id)) ctx.realtime.publish('message.created', rooms.inbox(), { conversation, message: toMessage(row) })
    else ctx.realtime.publish('message.updated', rooms.inbox(), { message: toMessage(row) })
  }
}

// Activity is recorded at most once a second per channel and process: per event, it would serialise every
// ingest transaction on the channel's row.
const lastNoted = new Map<string, number>()
async function noteChannelActivity(ctx: AppContext, channelId: string): Promise<void> {
  const now = ctx.clock.now()
  if (now.getTime() - (lastNoted.get(channelId) ?? 0) < 1000) return
  lastNoted.set(channelId, now.getTime())
  await recordChannelEvent(ctx.db, channelId, now)
}

/** Envelopes of one channel applied per transaction: at webhook rates, a transaction per envelope is the bottleneck. */
const batchSize = 100

interface ClaimedEvent {
  id: string
  channelId: string
  payload: unknown
}

/**
 * Processes this job's envelope together with other pending envelopes of its channel, in one transaction.
 * The rows are locked with SKIP LOCKED, so concurrent jobs take disjoint batches, and a job whose envelope
 * is already taken by another batch ends at once. A payload that cannot be read is dead-lettered within
 * the batch; a database failure rolls the batch back and this job retries its own envelope alone.
 */
export const ingestHandler = defineHandler(ingestTask, async (ctx, { eventId }, job) => {
  let applied: AppliedEvents
  let unreadable: { event: ClaimedEvent; reason: string }[] = []
  let channelId: string | undefined
  try {
    const result = await ctx.db.transaction().execute(async (trx) => {
      // This job's own envelope first: if another batch holds it or it is done, there is nothing to do.
      const own = await sql<ClaimedEvent>`
        select id, channel_id as "channelId", payload from inbound_events
        where id = ${eventId} and status = 'pending'
        for update skip locked`.execute(trx)
      const first = own.rows[0]
      if (!first) return undefined
      // A retry works on its own envelope only, so one poison payload cannot keep failing a whole batch.
      const others =
        job.attempts > 1
          ? []
          : (
              await sql<ClaimedEvent>`
                select id, channel_id as "channelId", payload from inbound_events
                where status = 'pending' and channel_id = ${first.channelId} and id <> ${eventId}
                order by received_at, id
                limit ${batchSize - 1}
                for update skip locked`.execute(trx)
            ).rows
      const batch = [first, ...others]
      if (batch.length === 0) return undefined
      const cached = await cachedChannel(ctx, batch[0]!.channelId)
      if (!cached) return undefined
      const connector = connectors[cached.row.kind as keyof typeof connectors]
      const events: InboundEvent[] = []
      const bad: { event: ClaimedEvent; reason: string }[] = []
      const readable: string[] = []
      for (const envelope of batch) {
        try {
          events.push(...connector.parse(envelope.payload, cached.runtime))
          readable.push(envelope.id)
        } catch (error) {
          // Parsing is deterministic: a payload that fails once fails every time, so it is dead-lettered now.
          bad.push({ event: envelope, reason: `Could not read the payload: ${(error as Error).message}` })
        }
      }
      const result = await applyEvents(trx, cached.row, events)
      const now = ctx.clock.now()
      if (readable.length > 0) {
        await trx.updateTable('inboundEvents').set({ status: 'processed', processedAt: now, error: null }).where('id', 'in', readable).execute()
      }
      for (const { event, reason } of bad) await markDead(trx, event.id, reason)
      if (bad.length > 0) await recordChannelError(trx, cached.row.id, bad[0]!.reason, now)
      return { result, bad, channelId: cached.row.id }
    })
    if (!result) return
    applied = result.result
    unreadable = result.bad
    channelId = result.channelId
  } catch (error) {
    const message = (error as Error).message
    const event = await findInboundEvent(ctx.db, eventId)
    if (!event || event.status !== 'pending') throw error
    if (job.attempts >= job.maxAttempts) {
      await deadLetter(ctx, eventId, event.channelId, `Failed ${job.attempts} times: ${message}`)
      return
    }
    await markAttempt(ctx.db, eventId, message)
    throw error
  }
  for (const { event, reason } of unreadable) ctx.log.warn({ eventId: event.id, channelId, reason }, 'inbound event dead-lettered')
  if (unreadable.length > 0 && channelId) ctx.realtime.publish('channel.updated', rooms.inbox(), { channelId })
  if (channelId) await noteChannelActivity(ctx, channelId)
  if (ctx.realtime.hasListeners()) await publishApplied(ctx, applied)
})
