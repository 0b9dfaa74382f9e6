import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { ingestTask } from './ingest.task.js'

export interface Envelope {
  channelId: string
  dedupeKey: string
  payload: unknown
}

/** JSON that PostgreSQL can also read as jsonb or text later: U+0000, which JSON allows, becomes U+FFFD. */
function storable(payload: unknown): string {
  const text = JSON.stringify(payload)
  if (!text.includes('\\u0000')) return text
  return JSON.stringify(payload, (_key, value: unknown) => (typeof value === 'string' ? value.replaceAll('\u0000', '\ufffd') : value))
}

/**
 * Stores envelopes and enqueues one ingest job per new envelope in ONE statement: atomic on its own (no
 * BEGIN/COMMIT round trips on the webhook's hot path), or part of the caller's transaction when given one.
 * A duplicate dedupe key stores nothing and enqueues nothing. Returns how many were new.
 */
export async function storeEnvelopes(db: Database, source: 'webhook' | 'poll', envelopes: Envelope[]): Promise<number> {
  if (envelopes.length === 0) return 0
  const values = envelopeValues(source, envelopes)
  // One job for the whole set: one NOTIFY and one job to run, however many envelopes. (PostgreSQL serialises
  // the commits of notifying transactions, and per-envelope jobs cost more than the envelopes themselves.)
  const { rows } = await sql<{ created: number }>`
    with inserted as (
      insert into inbound_events (channel_id, dedupe_key, source, payload)
      values ${sql.join(values)}
      on conflict (channel_id, dedupe_key) do nothing
      returning id
    ),
    batch as (select json_agg(id) as ids, count(*)::int as created from inserted),
    job as (
      select graphile_worker.add_job(${ingestTask.name}, json_build_object('eventIds', batch.ids), max_attempts => ${ingestTask.maxAttempts}::int)
      from batch where batch.created > 0
    )
    select batch.created from batch left join job on true`.execute(db)
  return rows[0]?.created ?? 0
}

function envelopeValues(source: 'webhook' | 'poll', envelopes: Envelope[]) {
  return envelopes.map((e) => sql`(${e.channelId}::uuid, ${e.dedupeKey}, ${source}, ${storable(e.payload)}::json)`)
}

/**
 * Stores webhook envelopes already marked processed, for the caller's transaction to apply (no job): returns the
 * new ones in arrival order, with the payload as PostgreSQL stored it. A duplicate dedupe key stores nothing.
 */
export async function insertApplied(trx: Database, envelopes: Envelope[]): Promise<{ id: string; channelId: string; payload: unknown }[]> {
  if (envelopes.length === 0) return []
  const { rows } = await sql<{ id: string; channelId: string; payload: unknown }>`
    with inserted as (
      insert into inbound_events (channel_id, dedupe_key, source, payload, status, processed_at)
      select channel_id, dedupe_key, source, payload, 'processed', now()
      from (values ${sql.join(envelopeValues('webhook', envelopes))}) v (channel_id, dedupe_key, source, payload)
      on conflict (channel_id, dedupe_key) do nothing
      returning id, channel_id, payload, seq
    )
    select id, channel_id as "channelId", payload, seq from inserted order by seq`.execute(trx)
  return rows
}

/** Whether any of these channels has envelopes waiting for the ingest job. */
export async function hasPendingEnvelopes(db: Database, channelIds: string[]): Promise<boolean> {
  if (channelIds.length === 0) return false
  const { rows } = await sql<{ waiting: boolean }>`
    select exists (select 1 from inbound_events where status = 'pending' and channel_id = any(${channelIds}::uuid[])) as waiting`.execute(db)
  return rows[0]?.waiting === true
}

export function findInboundEvent(db: Database, id: string) {
  return db.selectFrom('inboundEvents').select(['id', 'channelId', 'payload', 'status', 'attempts', 'source']).where('id', '=', id).executeTakeFirst()
}

export function markAttempt(db: Database, id: string, error: string) {
  return db
    .updateTable('inboundEvents')
    .set({ attempts: sql`attempts + 1`, error: error.slice(0, 2000) })
    .where('id', '=', id)
    .execute()
}

export function markDead(db: Database, id: string, error: string) {
  return db
    .updateTable('inboundEvents')
    .set({ status: 'dead', attempts: sql`attempts + 1`, error: error.slice(0, 2000) })
    .where('id', '=', id)
    .execute()
}

export function listDeadLetters(db: Database, channelId: string) {
  return db
    .selectFrom('inboundEvents')
    .select(['id', 'channelId', 'source', 'error', 'attempts', 'receivedAt', 'payload'])
    .where('channelId', '=', channelId)
    .where('status', '=', 'dead')
    .orderBy('receivedAt', 'desc')
    .limit(200)
    .execute()
}
