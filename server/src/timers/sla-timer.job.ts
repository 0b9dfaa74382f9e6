import { slaAmberMinutes } from '@carebox/shared'
import { defineHandler } from '../queue/tasks.js'
import { enqueueInTx } from '../queue/queue.js'
import { recordChanges, recordConversationsUpdated } from '../changes/changes.repository.js'
import { followUp, loadFollowUpEnv } from './follow-up.js'
import { recordRuleEffects } from '../rules/rule-effects.js'
import { slaActor } from '../sla/sla-actor.js'
import { loadRuleSubject, noEffects, runRules } from '../rules/run-rules.js'
import { slaTimerKey, slaTimerTask } from '../sla/sla-timer.task.js'

/**
 * At a deadline: recomputing marks the target breached (the same computation as everywhere else), then the
 * sla.breached rules act once for it. Fifteen minutes before: the sla.warning rules. A timer for a target met,
 * moved or gone since it was scheduled finds nothing to do.
 */
export const slaTimerHandler = defineHandler(slaTimerTask, async (ctx, { targetId, moment }) => {
  const now = ctx.clock.now()
  const target = await ctx.db.selectFrom('slaTargets').select(['conversationId', 'dueAt', 'stoppedAt', 'status']).where('id', '=', targetId).executeTakeFirst()
  if (!target || target.stoppedAt !== null || target.dueAt === null) return
  const at = moment === 'breach' ? target.dueAt : new Date(target.dueAt.getTime() - slaAmberMinutes * 60_000)
  if (now < at) {
    // Early (the database's clock ahead of ours): come back at the time.
    await enqueueInTx(ctx.db, slaTimerTask, { targetId, moment }, { jobKey: slaTimerKey(targetId, moment), runAt: at })
    return
  }
  ctx.metrics.slaTimerLag.observe((now.getTime() - at.getTime()) / 1000)
  const effects = noEffects()
  const env = await loadFollowUpEnv(ctx.db, now)
  const rules = env.rules.filter((r) => r.trigger === (moment === 'breach' ? 'sla.breached' : 'sla.warning'))
  await ctx.db.transaction().execute(async (trx) => {
    const result = await followUp(trx, target.conversationId, env)
    // A warning changes no deadline but turns the badge amber: the consoles hear of it either way.
    if (result.changed || moment === 'warning') await recordConversationsUpdated(trx, [target.conversationId], ['sla'], slaActor)
    await recordChanges(
      trx,
      result.breached.map((id) => ({ type: 'sla.breached' as const, conversationId: target.conversationId, actor: slaActor, data: { targetId: id } })),
    )
    const current = await trx.selectFrom('slaTargets').select(['status', 'stoppedAt']).where('id', '=', targetId).executeTakeFirst()
    const stillDue = current && current.stoppedAt === null && (moment === 'breach' ? current.status === 'breached' : current.status === 'active')
    if (stillDue && rules.length > 0) {
      const subject = await loadRuleSubject(trx, target.conversationId)
      if (subject) await runRules(trx, rules, subject, `${moment}:${targetId}`, now, effects)
    }
    await recordRuleEffects(trx, effects, { type: 'rule' })
  })
})
