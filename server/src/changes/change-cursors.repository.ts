import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import type { Change } from './changes.repository.js'

export interface Cursor {
  tx: string
  seq: number
}

// tx is read as text (a JavaScript number cannot hold every xid8). An ORDER BY must then name changes.tx: a bare
// \`tx\` would sort by that text, which puts transaction 1001 before 938.
const changeColumns = sql`seq, tx::text as tx, type, occurred_at as "occurredAt", team_id as "teamId", conversation_id as "conversationId",
  message_id as "messageId", contact_id as "contactId", actor, data`

/** A consumer's cursor; a new consumer starts from the changes recorded from now on. */
export async function loadCursor(db: Database, consumer: string): Promise<Cursor> {
  const { rows } = await sql<Cursor>`select tx::text as tx, seq from change_consumers where name = ${consumer}`.execute(db)
  if (rows[0]) return rows[0]
  await sql`
    insert into change_consumers (name, tx, seq)
    select ${consumer}, coalesce(max(tx), '0'), coalesce(max(seq), 0) from changes
    on conflict (name) do nothing`.execute(db)
  return loadCursor(db, consumer)
}

/** How many changes there are and the latest: a cheap way to tell that nothing was recorded since a last look. */
export async function recordHead(db: Database): Promise<string> {
  const { rows } = await sql<{ head: string }>`select count(*) || ':' || coalesce(max(seq), 0) as head from changes`.execute(db)
  return rows[0]?.head ?? ''
}

/**
 * The next changes after the cursor that are safe to move past: written by transactions older than every one
 * still running, so no change can still commit behind them.
 */
export async function readCommitted(db: Database, after: Cursor, limit: number): Promise<Change[]> {
  const { rows } = await sql<Change>`
    select ${changeColumns} from changes
    where (tx, seq) > (${after.tx}::xid8, ${after.seq}::bigint) and tx < pg_snapshot_xmin(pg_current_snapshot())
    order by changes.tx, changes.seq limit ${limit}`.execute(db)
  return rows
}

type WithCursor<T> = T & { cursorTx: string; cursorSeq: number }

/** Splits rows of a cursor left-joined with the changes after it; null when the consumer has no cursor yet. */
function split<T extends { seq: number | null }>(rows: WithCursor<T>[]): { cursor: Cursor; changes: T[] } | null {
  const first = rows[0]
  if (!first) return null
  const changes = rows.filter((row) => row.seq !== null).map(({ cursorTx: _tx, cursorSeq: _seq, ...change }) => change as unknown as T)
  return { cursor: { tx: first.cursorTx, seq: first.cursorSeq }, changes }
}

/**
 * The consumer's cursor and the next changes `readCommitted` would give, in one round trip: most looks find
 * nothing new, and on a busy machine each round trip costs more than the query. Null: no cursor yet (loadCursor
 * makes it).
 */
export async function readNextCommitted(db: Database, consumer: string, limit: number): Promise<{ cursor: Cursor; changes: Change[] } | null> {
  const { rows } = await sql<WithCursor<Change>>`
    select c.tx::text as "cursorTx", c.seq as "cursorSeq", x.* from change_consumers c
    left join lateral (
      select ${changeColumns} from changes
      where (tx, seq) > (c.tx, c.seq) and tx < pg_snapshot_xmin(pg_current_snapshot())
      order by changes.tx, changes.seq limit ${limit}
    ) x on true
    where c.name = ${consumer}`.execute(db)
  return split(rows)
}

/**
 * The consumer's cursor and everything committed after it, including changes behind which an older transaction may
 * yet commit (what the fast path publishes at once), with the horizon below which all has committed, in one round
 * trip. `skip` are the ones it already published. Null: no cursor yet (loadCursor makes it).
 */
export async function readNextLatest(
  db: Database,
  consumer: string,
  skip: number[],
  limit: number,
): Promise<{ cursor: Cursor; changes: Change[]; horizon: string } | null> {
  const { rows } = await sql<WithCursor<Change & { horizon: string }>>`
    select c.tx::text as "cursorTx", c.seq as "cursorSeq", pg_snapshot_xmin(pg_current_snapshot())::text as horizon, x.*
    from change_consumers c
    left join lateral (
      select ${changeColumns} from changes
      where (tx, seq) > (c.tx, c.seq) and not (seq = any(${skip}::bigint[]))
      -- In cursor order, so the (tx, seq) index finds them: by seq, the plan walks every change from the first.
      order by changes.tx, changes.seq limit ${limit}
    ) x on true
    where c.name = ${consumer}`.execute(db)
  const next = split(rows)
  if (!next) return null
  return { cursor: next.cursor, changes: next.changes.map(({ horizon: _horizon, ...change }) => change), horizon: rows[0]!.horizon }
}

/** The positions after the cursor below the horizon, in cursor order: how far the fast path may move its cursor. */
export async function committedPositions(db: Database, after: Cursor, horizon: string, limit: number): Promise<Cursor[]> {
  const { rows } = await sql<Cursor>`
    select tx::text as tx, seq from changes
    where (tx, seq) > (${after.tx}::xid8, ${after.seq}::bigint) and tx < ${horizon}::xid8
    order by changes.tx, changes.seq limit ${limit}`.execute(db)
  return rows
}

/**
 * Moves the cursor from `from` to `to`. Only if nobody moved it meanwhile: a second process that believed it ran
 * this consumer (it lost its lock without noticing) rolls back instead of applying a batch twice.
 */
export async function moveCursor(db: Database, consumer: string, from: Cursor, to: Cursor, count: number): Promise<void> {
  const { rows } = await sql`
    update change_consumers set tx = ${to.tx}::xid8, seq = ${to.seq}, processed = processed + ${count}, updated_at = now()
    where name = ${consumer} and tx = ${from.tx}::xid8 and seq = ${from.seq}
    returning 1`.execute(db)
  if (rows.length === 0) throw new CursorMoved(consumer)
}

export class CursorMoved extends Error {
  constructor(consumer: string) {
    super(`the cursor of consumer ${consumer} was moved by another process`)
  }
}

/** Counts one more failed attempt at a change; returns how many there have been. */
export async function noteFailure(db: Database, consumer: string, seq: number, error: string): Promise<number> {
  const { rows } = await sql<{ attempts: number }>`
    insert into change_failures (consumer, seq, attempts, error) values (${consumer}, ${seq}, 1, ${error})
    on conflict (consumer, seq) do update set attempts = change_failures.attempts + 1, error = excluded.error, last_failed_at = now(),
      replayed_at = null
    returning attempts`.execute(db)
  return rows[0]?.attempts ?? 1
}

export async function parkFailure(db: Database, consumer: string, seq: number): Promise<void> {
  await sql`update change_failures set parked_at = now() where consumer = ${consumer} and seq = ${seq}`.execute(db)
}

/** A change processed after failing before (a retry that worked): its failure is forgotten. */
export async function clearFailure(db: Database, consumer: string, seqs: number[]): Promise<void> {
  if (seqs.length === 0) return
  await sql`delete from change_failures where consumer = ${consumer} and seq = any(${seqs}::bigint[]) and parked_at is null`.execute(db)
}

export async function readChange(db: Database, seq: number): Promise<Change | undefined> {
  const { rows } = await sql<Change>`select ${changeColumns} from changes where seq = ${seq}`.execute(db)
  return rows[0]
}

export interface ConsumerState {
  name: string
  seq: number
  processed: number
  updatedAt: Date
  /** Changes recorded after the cursor (committed ones). */
  behind: number
  deadLetters: number
}

export async function consumerStates(db: Database): Promise<{ head: number; consumers: ConsumerState[] }> {
  const { rows } = await sql<ConsumerState>`
    select c.name, c.seq, c.processed, c.updated_at as "updatedAt",
      (select count(*) from changes x where (x.tx, x.seq) > (c.tx, c.seq))::int as behind,
      (select count(*) from change_failures f where f.consumer = c.name and f.parked_at is not null and f.replayed_at is null)::int as "deadLetters"
    from change_consumers c order by c.name`.execute(db)
  const { rows: head } = await sql<{ head: number }>`select coalesce(max(seq), 0) as head from changes`.execute(db)
  return { head: head[0]?.head ?? 0, consumers: rows }
}

/**
 * Removes changes older than the retention that every consumer has moved past, keeping any a dead letter still
 * names (its replay needs it).
 */
export async function pruneChanges(db: Database, retentionDays: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with pruned as (
      delete from changes x
      where x.occurred_at < now() - make_interval(days => ${retentionDays})
        and not exists (select 1 from change_consumers c where (x.tx, x.seq) > (c.tx, c.seq))
        and not exists (select 1 from change_failures f where f.seq = x.seq and f.replayed_at is null)
      returning 1
    )
    select count(*)::int as n from pruned`.execute(db)
  return rows[0]?.n ?? 0
}
