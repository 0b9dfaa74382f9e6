import os from 'node:os'
import { sql } from 'kysely'
import type { AnyDatabase, Database } from '../db/client.js'

/**
 * Liveness of job workers, so that jobs held by a dead one do not wait out graphile-worker's four-hour lock timeout.
 * Every running worker pool writes a heartbeat under the id it locks jobs with; any live process unlocks the jobs
 * of pools whose heartbeat went stale (their process was killed, or lost its database for good).
 */

/** How often a live pool says so. */
export const heartbeatIntervalMs = 5_000
/**
 * A pool silent this long is taken for dead. Well above the interval, so that a busy event loop or a short
 * database restart does not unlock the jobs of a pool that is still running them.
 */
export const staleAfterMs = 30_000

export async function writeHeartbeats(db: Database, pools: { id: string; capacity: string }[]): Promise<void> {
  if (pools.length === 0) return
  await db
    .insertInto('workerHeartbeats')
    .values(pools.map((p) => ({ workerId: p.id, capacity: p.capacity, host: os.hostname(), pid: process.pid })))
    .onConflict((oc) => oc.column('workerId').doUpdateSet({ heartbeatAt: sql`now()` }))
    .execute()
}

/** A pool that stopped cleanly unlocked its jobs itself; its heartbeat goes with it. */
export async function deleteHeartbeats(db: Database, poolIds: string[]): Promise<void> {
  if (poolIds.length === 0) return
  await db.deleteFrom('workerHeartbeats').where('workerId', 'in', poolIds).execute()
}

/**
 * Unlocks the jobs (and named queues) locked by pools with no fresh heartbeat, and forgets heartbeats gone stale
 * long ago. Returns the pools unlocked. Locks younger than the staleness window are left alone: a pool that just
 * started may not have written its first heartbeat yet.
 */
export async function unlockDeadWorkers(db: AnyDatabase): Promise<string[]> {
  const staleSeconds = staleAfterMs / 1000
  const { rows } = await sql<{ lockedBy: string }>`
    select distinct locked_by as "lockedBy" from (
      select locked_by, locked_at from graphile_worker._private_jobs where locked_by is not null
      union all
      select locked_by, locked_at from graphile_worker._private_job_queues where locked_by is not null
    ) locks
    where locked_at < now() - make_interval(secs => ${staleSeconds})
      and not exists (
        select 1 from worker_heartbeats h
        where h.worker_id = locks.locked_by and h.heartbeat_at > now() - make_interval(secs => ${staleSeconds})
      )`.execute(db)
  const dead = rows.map((r) => r.lockedBy)
  if (dead.length > 0) await sql`select graphile_worker.force_unlock_workers(${dead}::text[])`.execute(db)
  await sql`delete from worker_heartbeats where heartbeat_at < now() - interval '1 day'`.execute(db)
  return dead
}

export interface QueueCounts {
  /** Waiting for their time or a free slot. */
  pending: number
  /** Locked by a live worker: running now, or fetched into its local queue. */
  running: number
  /** Locked by a worker that stopped saying it is alive: held until they are unlocked for the others. */
  held: number
  /** No attempts left. */
  failed: number
}

export async function countJobs(db: AnyDatabase): Promise<QueueCounts> {
  const staleSeconds = staleAfterMs / 1000
  const { rows } = await sql<QueueCounts>`
    select
      count(*) filter (where j.locked_at is null and j.attempts < j.max_attempts)::int as pending,
      count(*) filter (where j.locked_at is not null and h.worker_id is not null)::int as running,
      count(*) filter (where j.locked_at is not null and h.worker_id is null)::int as held,
      count(*) filter (where j.locked_at is null and j.attempts >= j.max_attempts)::int as failed
    from graphile_worker._private_jobs j
    left join worker_heartbeats h
      on h.worker_id = j.locked_by and h.heartbeat_at > now() - make_interval(secs => ${staleSeconds})`.execute(db)
  return rows[0] ?? { pending: 0, running: 0, held: 0, failed: 0 }
}
