import { sql } from 'kysely'
import type { Database } from '../db/client.js'

/** The latest arrival of each source, per channel: what came by webhook and what polling took, kept apart. */
export interface LatestArrivals {
  lastWebhookAt: Date | null
  lastPolledItemAt: Date | null
}

/**
 * Read from the inbound envelopes themselves (each is one arrival from the platform), not from a field a writer
 * keeps: a backward scan of inbound_events_channel_id_source_received_at_idx per channel and source.
 */
export async function listLatestArrivals(db: Database, channelIds: string[]): Promise<Map<string, LatestArrivals>> {
  if (channelIds.length === 0) return new Map()
  const { rows } = await sql<{ channelId: string; lastWebhookAt: Date | null; lastPolledItemAt: Date | null }>`
    select c.id as "channelId",
      (select max(e.received_at) from inbound_events e where e.channel_id = c.id and e.source = 'webhook') as "lastWebhookAt",
      (select max(e.received_at) from inbound_events e where e.channel_id = c.id and e.source = 'poll') as "lastPolledItemAt"
    from channels c
    where c.id = any(${channelIds}::uuid[])`.execute(db)
  return new Map(rows.map((row) => [row.channelId, { lastWebhookAt: row.lastWebhookAt, lastPolledItemAt: row.lastPolledItemAt }]))
}

/**
 * The distinct arrival times of each channel since `since`, newest first, at most `limit` per source (envelopes
 * stored by one statement share a time, and count as one arrival).
 */
export async function listRecentArrivals(db: Database, channelIds: string[], since: Date, limit: number): Promise<Map<string, Date[]>> {
  if (channelIds.length === 0) return new Map()
  const recent = (source: 'webhook' | 'poll') => sql`
    (select distinct e.received_at from inbound_events e
     where e.channel_id = c.id and e.source = ${source} and e.received_at >= ${since}
     order by e.received_at desc limit ${limit})`
  const { rows } = await sql<{ channelId: string; receivedAt: Date }>`
    select c.id as "channelId", r.received_at as "receivedAt"
    from channels c
    cross join lateral (${recent('webhook')} union all ${recent('poll')}) r
    where c.id = any(${channelIds}::uuid[])`.execute(db)
  const byChannel = new Map<string, Date[]>()
  for (const row of rows) {
    const times = byChannel.get(row.channelId)
    if (times) times.push(row.receivedAt)
    else byChannel.set(row.channelId, [row.receivedAt])
  }
  return byChannel
}
