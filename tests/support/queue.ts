import { sql } from 'kysely'
import type pg from 'pg'
import { drainChanges } from '../../server/src/changes/change-runner.js'
import { changeConsumers } from '../../server/src/consumers/consumers.js'
import type { AppContext } from '../../server/src/context.js'
import { taskHandlers } from '../../server/src/queue/handlers.js'
import { startWorker } from '../../server/src/queue/queue.js'

/**
 * Ingest jobs that are due and not finished. Polls are left out: they reschedule themselves forever, and
 * tests run them by hand. Jobs of a named queue count too: the worker runs them one at a time, in order.
 */
async function dueJobs(ctx: AppContext, includeScheduled = false): Promise<number> {
  // With runScheduled, a job scheduled for later counts too: one that fails between the reschedule and this count
  // (its retry set in the future) would otherwise end the run early.
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from graphile_worker.jobs
    where task_identifier <> 'channel.poll' and attempts < max_attempts and (${includeScheduled} or run_at <= now())`.execute(ctx.db)
  return rows[0]?.n ?? 0
}

/**
 * Makes every job scheduled for later (a retry's backoff, a platform's retry-after) due now, as if its time had
 * come, and wakes the worker, which otherwise only looks for them every poll interval.
 */
async function runScheduledNow(ctx: AppContext): Promise<void> {
  const { rows } = await sql<{ id: string }>`
    update graphile_worker._private_jobs j set run_at = now()
    from graphile_worker._private_tasks t
    where t.id = j.task_id and t.identifier <> 'channel.poll' and j.locked_at is null
      and j.attempts < j.max_attempts and j.run_at > now()
    returning j.id`.execute(ctx.db)
  if (rows.length > 0) await sql`select pg_notify('jobs:insert', ${JSON.stringify({ count: rows.length })})`.execute(ctx.db)
}

export interface ProcessQueueOptions {
  timeoutMs?: number
  /** Also run jobs scheduled for later, and the ones they schedule in turn, until none is left (polls excepted). */
  runScheduled?: boolean
}

/** Runs every consumer of the record of changes in this process until none has anything left to do. */
export async function drainAllChanges(ctx: AppContext): Promise<number> {
  return drainChanges(ctx, [...changeConsumers])
}

/**
 * Runs the real worker until every due job but polls is done, and the consumers of changes until they have caught
 * up with what the jobs changed. Jobs scheduled for later stay, unless `runScheduled` says to run them now. A
 * number is the timeout, as before.
 */
export async function processQueue(ctx: AppContext, pool: pg.Pool, options: number | ProcessQueueOptions = {}): Promise<void> {
  const { timeoutMs = 20_000, runScheduled = false } = typeof options === 'number' ? { timeoutMs: options } : options
  const worker = await startWorker(ctx, pool, taskHandlers, 4)
  const deadline = Date.now() + timeoutMs
  try {
    for (;;) {
      if (runScheduled) await runScheduledNow(ctx)
      const changed = await drainAllChanges(ctx)
      if (changed === 0 && (await dueJobs(ctx, runScheduled)) === 0) break
      if (Date.now() > deadline) throw new Error('the queue did not drain in time')
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  } finally {
    await worker.stop()
  }
}
