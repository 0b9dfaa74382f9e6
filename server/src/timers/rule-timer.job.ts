import { defineHandler } from '../queue/tasks.js'
import { recordChanges } from '../changes/changes.repository.js'
import { loadFollowUpEnv, waitRules } from './follow-up.js'
import { recordRuleEffects } from '../rules/rule-effects.js'
import { syncSla } from '../sla/sla-sync.js'
import { loadRuleSubject, noEffects, runRules } from '../rules/run-rules.js'
import { ruleTimerTask } from '../rules/rule-timer.task.js'

/**
 * Runs the time-based rules whose time has come for the conversation's current wait, each once per wait, then
 * has the next scheduled: the SLA consumer, which owns the rule timers, follows the change recorded here.
 */
export const ruleTimerHandler = defineHandler(ruleTimerTask, async (ctx, { conversationId }) => {
  const now = ctx.clock.now()
  const env = await loadFollowUpEnv(ctx.db, now)
  const effects = noEffects()
  await ctx.db.transaction().execute(async (trx) => {
    const state = await syncSla(trx, conversationId, env)
    const waits = waitRules(state, env)
    const due = waits?.rules.filter((r) => r.at <= now).map((r) => r.rule) ?? []
    if (waits && due.length > 0) {
      const subject = await loadRuleSubject(trx, conversationId)
      if (subject) await runRules(trx, due, subject, waits.occasion, now, effects)
    }
    await recordRuleEffects(trx, effects, { type: 'rule' })
    await recordChanges(trx, [{ type: 'conversation.updated', conversationId, actor: { type: 'system', id: 'rule-timer' }, data: { fields: ['rules'] } }])
  })
})
