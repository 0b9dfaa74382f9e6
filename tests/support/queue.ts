import { sql } from 'kysely'
import type pg from 'pg'
import type { AppContext } from '../../server/src/context.js'
import { taskHandlers } from '../../server/src/queue/handlers.js'
import { startWorker } from '../../server/src/queue/queue.js'

/**
 * Ingest jobs that are due and not finished. Polls are left out: they reschedule themselves forever, and
 * tests run them by hand.
 */
async function dueJobs(ctx: AppContext): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from graphile_worker.jobs
    where task_identifier <> 'channel.poll' and attempts < max_attempts and run_at <= now()`.execute(ctx.db)
  return rows[0]?.n ?? 0
}

/** Runs the real worker until every due job but polls is done (jobs scheduled for later stay). */
export async function processQueue(ctx: AppContext, pool: pg.Pool, timeoutMs = 20_000): Promise<void> {
  const worker = await startWorker(ctx, pool, taskHandlers, 4)
  const deadline = Date.now() + timeoutMs
  try {
    while ((await dueJobs(ctx)) > 0) {
      if (Date.now() > deadline) throw new Error('the queue did not drain in time')
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  } finally {
    await worker.stop()
  }
}
