import { defineHandler } from '../queue/tasks.js'
import { recordConversationsUpdated } from '../changes/changes.repository.js'
import { followUpMany, loadFollowUpEnv, openConversationIds } from './follow-up.js'
import { slaActor } from '../sla/sla-actor.js'
import { slaRecomputeTask } from '../sla/sla-recompute.task.js'

const batchSize = 500

/**
 * Walks every open conversation in batches of its own transactions, recomputing deadlines and timers under
 * the policies and hours as they are now. Consoles hear of each conversation whose badge moved.
 */
export const slaRecomputeHandler = defineHandler(slaRecomputeTask, async (ctx) => {
  const env = await loadFollowUpEnv(ctx.db, ctx.clock.now())
  let after: string | null = null
  for (;;) {
    const ids = await openConversationIds(ctx.db, after, batchSize)
    if (ids.length === 0) break
    await ctx.db.transaction().execute(async (trx) => {
      const results = await followUpMany(trx, ids, env)
      await recordConversationsUpdated(
        trx,
        [...results].filter(([, r]) => r.changed).map(([id]) => id),
        ['sla'],
        slaActor,
      )
    })
    after = ids.at(-1) ?? null
  }
})
