import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { defineHandler } from '../queue/tasks.js'
import { loadReportEnv, syncReportsMany } from './report-sync.js'
import { reportsTeamResyncTask } from './team-resync.task.js'

/**
 * Recomputes every conversation of a team against the team's clock as it is now. Each sync subtracts what the
 * conversation added under the zone and hours it was last counted with, so past days move to the new local days
 * batch by batch, and the totals stay whole in between.
 */
export async function resyncTeamReports(db: Database, teamId: string, now: Date, batchSize = 500): Promise<number> {
  let after = '00000000-0000-0000-0000-000000000000'
  let done = 0
  for (;;) {
    const { rows } = await sql<{ id: string }>`
      select c.id from conversations c join channels ch on ch.id = c.channel_id
      where c.id > ${after}::uuid and c.team_id = ${teamId}::uuid
      order by c.id limit ${batchSize}`.execute(db)
    if (rows.length === 0) return done
    const ids = rows.map((r) => r.id)
    // The clocks as they are at each batch: an edit made meanwhile applies from the next batch on.
    await db.transaction().execute(async (trx) => syncReportsMany(trx, ids, await loadReportEnv(trx, now)))
    after = ids.at(-1) as string
    done += ids.length
  }
}

export const reportsTeamResyncHandler = defineHandler(reportsTeamResyncTask, async (ctx, { teamId }) => {
  const conversations = await resyncTeamReports(ctx.db, teamId, ctx.clock.now())
  ctx.log.info({ teamId, conversations }, 'report rollups moved to the team’s new clock')
})
