import { sql } from 'kysely'
import type { AppContext } from '../context.js'
import { enqueueInTx } from '../queue/queue.js'
import { defineHandler } from '../queue/tasks.js'
import { reportsBackfillKey, reportsBackfillTask } from './backfill.task.js'
import { rebuildReports } from './rebuild.js'

/**
 * At startup: conversations but no rollups (an installation upgraded to a version with reports) means the
 * rollups are computed once, in the background, by the same rebuild `pnpm rollups:rebuild` runs.
 */
export async function scheduleReportBackfill(ctx: AppContext): Promise<boolean> {
  const { rows } = await sql<{ needed: boolean }>`
    select exists (select 1 from conversations) and not exists (select 1 from report_conversations) as needed`.execute(ctx.db)
  if (!rows[0]?.needed) return false
  await enqueueInTx(ctx.db, reportsBackfillTask, {}, { jobKey: reportsBackfillKey })
  return true
}

export const reportsBackfillHandler = defineHandler(reportsBackfillTask, async (ctx) => {
  const { conversations } = await rebuildReports(ctx.db, ctx.clock.now())
  ctx.log.info({ conversations }, 'report rollups computed for the conversations from before reports existed')
})
