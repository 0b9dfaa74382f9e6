import { teamAudience, type ChannelKind } from '@carebox/shared'
import { cachedChannel } from '../channels/channel-cache.js'
import { recordChannelError, recordChannelEvent } from '../channels/channels.repository.js'
import { connectors } from '../channels/connectors.js'
import type { InboundEvent } from '../channels/connector.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { hasPendingEnvelopes, insertApplied, markDead, type Envelope } from './inbound-events.repository.js'
import { applyEvents, type AppliedEvents } from './ingest.service.js'

/** An envelope taken to be applied: claimed by an ingest job, or stored by the webhook that applies it. */
export interface ClaimedEvent {
  id: string
  channelId: string
  payload: unknown
}

export interface BatchOutcome {
  applied: AppliedEvents
  deadLettered: { id: string; channelId: string; reason: string }[]
  /** Channels that received something readable. */
  activeChannelIds: string[]
  /** Taps on answer buttons the platform wants acknowledged once stored (Telegram's callback queries). */
  taps: { channelId: string; event: InboundEvent }[]
}

/**
 * Applies claimed envelopes in the caller's transaction. Envelopes whose payload cannot be read are dead-lettered
 * inside it (parsing is deterministic: what fails once fails every time); the rest become messages, recorded as
 * changes with them: routing, SLA, reports and the consoles follow from that record (see consumers/consumers.ts).
 */
export async function applyBatch(ctx: AppContext, trx: Database, claimed: ClaimedEvent[]): Promise<BatchOutcome> {
  const applied: AppliedEvents = { createdMessageIds: [], updatedMessageIds: [] }
  const deadLettered: BatchOutcome['deadLettered'] = []
  const now = ctx.clock.now()
  const activeChannelIds: string[] = []
  const taps: BatchOutcome['taps'] = []
  const byChannel = new Map<string, ClaimedEvent[]>()
  for (const event of claimed) byChannel.set(event.channelId, [...(byChannel.get(event.channelId) ?? []), event])
  // Channels in one order for every batch: two batches sharing channels wait for each other instead of deadlocking.
  for (const [channelId, envelopes] of [...byChannel].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const cached = await cachedChannel(ctx, channelId, trx)
    if (!cached) continue
    const connector = connectors[cached.row.kind as ChannelKind]
    const events: InboundEvent[] = []
    const readable: string[] = []
    for (const envelope of envelopes) {
      try {
        events.push(...connector.parse(envelope.payload, cached.runtime))
        readable.push(envelope.id)
      } catch (error) {
        deadLettered.push({ id: envelope.id, channelId, reason: `Could not read the payload: ${(error as Error).message}` })
      }
    }
    if (connector.acknowledge) for (const event of events) if (event.type === 'message' && event.choice) taps.push({ channelId, event })
    const result = await applyEvents(trx, cached.row, events)
    applied.createdMessageIds.push(...result.createdMessageIds)
    applied.updatedMessageIds.push(...result.updatedMessageIds)
    if (readable.length > 0) activeChannelIds.push(channelId)
  }
  for (const letter of deadLettered) {
    await markDead(trx, letter.id, letter.reason)
    await recordChannelError(trx, letter.channelId, letter.reason, now)
  }
  return { applied, deadLettered, activeChannelIds, taps }
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

/** What follows a committed batch outside the database: logs, channel activity, tap acknowledgements. */
export async function finishBatch(ctx: AppContext, outcome: BatchOutcome): Promise<void> {
  for (const letter of outcome.deadLettered) {
    ctx.log.warn({ eventId: letter.id, channelId: letter.channelId, reason: letter.reason }, 'inbound event dead-lettered')
    const cached = await cachedChannel(ctx, letter.channelId)
    if (cached) ctx.realtime.publish('channel.updated', teamAudience(cached.row.teamId), { channelId: letter.channelId })
  }
  for (const channelId of outcome.activeChannelIds) await noteChannelActivity(ctx, channelId)
  // After the commit, and without holding the ingest slot: a platform that is slow to answer delays nothing here. A
  // lost acknowledgement costs the customer a spinner; a second tap then finds the survey answered already.
  for (const { channelId, event } of outcome.taps) void acknowledgeTap(ctx, channelId, event)
}

async function acknowledgeTap(ctx: AppContext, channelId: string, event: InboundEvent): Promise<void> {
  try {
    const cached = await cachedChannel(ctx, channelId)
    if (cached) await connectors[cached.row.kind as ChannelKind].acknowledge?.(event, cached.runtime)
  } catch (error) {
    ctx.log.warn({ err: error, channelId }, 'could not acknowledge a tapped answer on the platform')
  }
}

/**
 * The fast path of a webhook delivery: its envelopes are stored as processed and applied in ONE transaction, so
 * the message, its conversation and its changes commit together with the envelope, and the consoles hear of it
 * as soon as that commits. Duplicates (the same dedupe key) store and apply nothing. If the transaction fails (a
 * deadlock with another batch, a payload that breaks the apply) nothing of it stays, and the caller stores the
 * envelopes for the ingest job instead, which retries them and dead-letters one that keeps failing.
 *
 * Returns null, having done nothing, when a channel of the batch has envelopes waiting for the ingest job (after
 * such a failure, or a poll): applied now, these would overtake them, and an edit, a deletion or a reaction that
 * overtakes its message finds nothing to change. The caller queues them behind, and the job takes them in order.
 */
export async function storeAndApply(ctx: AppContext, envelopes: Envelope[]): Promise<BatchOutcome | null> {
  if (await hasPendingEnvelopes(ctx.db, [...new Set(envelopes.map((e) => e.channelId))])) return null
  const stopTimer = ctx.metrics.ingestBatch.startTimer({ phase: 'inline' })
  const { outcome, stored } = await ctx.db.transaction().execute(async (trx) => {
    const rows = await insertApplied(trx, envelopes)
    return { outcome: await applyBatch(ctx, trx, rows), stored: rows.length }
  })
  stopTimer()
  ctx.metrics.ingestBatchSize.observe(stored)
  return outcome
}
