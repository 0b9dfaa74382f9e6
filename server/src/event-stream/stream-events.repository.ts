import { sql } from 'kysely'
import type { Database } from '../db/client.js'

export interface NewStreamEvent {
  changeSeq: number
  type: string
  teamId: string | null
  body: string
}

export interface StreamEventRow {
  position: number
  type: string
  teamId: string | null
  body: string
}

/** Appends events in the caller's transaction; a change already streamed is skipped (it is unique). */
export async function insertStreamEvents(trx: Database, events: NewStreamEvent[]): Promise<void> {
  if (events.length === 0) return
  // One appender at a time, whoever it is (the consumer, or an admin replaying a parked change): positions are then
  // handed out in commit order, which is what lets a client resume from one without missing a late commit.
  await sql`select pg_advisory_xact_lock(hashtext('carebox.stream.append'))`.execute(trx)
  await trx
    .insertInto('streamEvents')
    .values(events.map((e) => ({ changeSeq: e.changeSeq, type: e.type, teamId: e.teamId, body: e.body })))
    .onConflict((oc) => oc.column('changeSeq').doNothing())
    .execute()
}

export interface StreamFilter {
  /** Exact types; empty: every type. */
  types: string[]
  /** Type prefixes (`conversation.` for `conversation.*`). */
  prefixes: string[]
  /** Only these teams' events; null: every team's. */
  teamIds: string[] | null
}

/** The events after `position` that pass the filter, oldest first. */
export async function listStreamEventsAfter(db: Database, position: number, filter: StreamFilter, limit: number): Promise<StreamEventRow[]> {
  let query = db.selectFrom('streamEvents').select(['position', 'type', 'teamId', 'body']).where('position', '>', position).orderBy('position').limit(limit)
  if (filter.types.length > 0 || filter.prefixes.length > 0) {
    query = query.where((eb) =>
      eb.or([
        ...(filter.types.length > 0 ? [eb('type', 'in', filter.types)] : []),
        ...filter.prefixes.map((prefix) => eb('type', 'like', `${prefix.replace(/[\\%_]/g, '\\$&')}%`)),
      ]),
    )
  }
  if (filter.teamIds !== null) {
    if (filter.teamIds.length === 0) return []
    query = query.where('teamId', 'in', filter.teamIds)
  }
  return query.execute()
}

/** The newest position handed out (0 before the first event), and how far pruning has gone. */
export async function readStreamBounds(db: Database): Promise<{ head: number; prunedThrough: number }> {
  const { rows } = await sql<{ head: string | null; prunedThrough: string }>`
    select greatest((select max(position) from stream_events), pruned_through) as head, pruned_through as "prunedThrough" from stream_state`.execute(db)
  const row = rows[0]
  return { head: Number(row?.head ?? 0), prunedThrough: Number(row?.prunedThrough ?? 0) }
}

/** The newest position only: cheap enough to ask several times a second (the primary key's last entry). */
export async function readStreamHead(db: Database): Promise<number> {
  const row = await db.selectFrom('streamEvents').select('position').orderBy('position', 'desc').limit(1).executeTakeFirst()
  return row?.position ?? 0
}

/**
 * Deletes events older than the retention, a bounded number at a time, and records how far it went: a client
 * asking to resume from before that point is told its cursor expired.
 */
export async function pruneStreamEvents(db: Database, retentionDays: number, limit = 5000): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with doomed as (
      select position from stream_events
      where created_at < now() - make_interval(days => ${retentionDays})
      order by position
      limit ${limit}
    ),
    pruned as (
      delete from stream_events s using doomed d where s.position = d.position returning s.position
    ),
    moved as (
      update stream_state set pruned_through = greatest(pruned_through, (select max(position) from pruned))
      where exists (select 1 from pruned)
      returning 1
    )
    select (select count(*) from pruned)::int as n`.execute(db)
  return rows[0]?.n ?? 0
}
