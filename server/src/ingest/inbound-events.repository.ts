import { sql } from 'kysely'
import type { AnyDatabase, Database } from '../db/client.js'
import { ingestTask } from './ingest.task.js'

export interface Envelope {
  dedupeKey: string
  payload: unknown
}

/**
 * Stores envelopes and enqueues one ingest job per new envelope, in one statement of the caller's
 * transaction. A duplicate dedupe key stores nothing and enqueues nothing. Returns how many were new.
 */
export async function storeEnvelopes(
  db: AnyDatabase,
  channelId: string,
  source: 'webhook' | 'poll',
  envelopes: Envelope[],
): Promise<number> {
  if (envelopes.length === 0) return 0
  const rows = envelopes.map((e) => sql`(${channelId}::uuid, ${e.dedupeKey}, ${source}, ${JSON.stringify(e.payload)}::jsonb)`)
  const { rows: created } = await sql<{ id: string }>`
    with inserted as (
      insert into inbound_events (channel_id, dedupe_key, source, payload)
      values ${sql.join(rows)}
      on conflict (channel_id, dedupe_key) do nothing
      returning id
    )
    select (graphile_worker.add_job(
      ${ingestTask.name}, json_build_object('eventId', inserted.id), max_attempts => ${ingestTask.maxAttempts}::int
    )).id as id
    from inserted`.execute(db)
  return created.length
}

export function findInboundEvent(db: Database, id: string) {
  return db
    .selectFrom('inboundEvents')
    .select(['id', 'channelId', 'payload', 'status', 'attempts', 'source'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export function markProcessed(db: Database, id: string, at: Date) {
  return db.updateTable('inboundEvents').set({ status: 'processed', processedAt: at, error: null }).where('id', '=', id).execute()
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
