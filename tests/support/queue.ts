import { sql } from 'kysely'
import type pg from 'pg'
import type { AppContext } from '../../server/src/context.js'
import { taskHandlers } from '../../server/src/queue/handlers.js'
import { startWorker } from '../../server/src/queue/queue.js'

/** Jobs that are due now and not finished: waiting, running, or failed with attempts left and due to retry. */
async function dueJobs(ctx: AppContext): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from graphile_worker.jobs
    where attempts < max_attempts and run_at <= now()`.execute(ctx.db)
  return rows[0]?.n ?? 0
}

/** Runs the real worker until every due job is done (jobs scheduled for later, like the next poll, stay). */
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
