import { defineHandler } from '../queue/tasks.js'
import { followUpMany, loadFollowUpEnv, openConversationIds, publishEffects } from '../routing/follow-up.js'
import { noEffects } from '../rules/run-rules.js'
import { slaRecomputeTask } from './sla-recompute.task.js'

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
    const changed = await ctx.db.transaction().execute(async (trx) => {
      const results = await followUpMany(trx, ids, env)
      return [...results].filter(([, r]) => r.changed).map(([id]) => id)
    })
    if (ctx.realtime.hasListeners() && changed.length > 0) await publishEffects(ctx, noEffects(), changed)
    after = ids.at(-1) ?? null
  }
})
