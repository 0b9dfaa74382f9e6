import { insertEvent } from '../conversations/messages.repository.js'
import { defineHandler } from '../queue/tasks.js'
import { recordChanges } from '../changes/changes.repository.js'
import { loadFollowUpEnv } from './follow-up.js'
import { recordRuleEffects } from '../rules/rule-effects.js'
import { loadRuleSubject, noEffects, runRules } from '../rules/run-rules.js'
import { wakeTask } from '../conversations/wake.task.js'

/**
 * Reopens the conversation if it is still snoozed and its time has come, then runs the snooze.ended rules
 * (tell the assignee, raise the priority…). A conversation reopened, resolved or snoozed again since is left
 * alone: the job only acts on the snooze it was scheduled for.
 */
export const wakeHandler = defineHandler(wakeTask, async (ctx, { conversationId }) => {
  const now = ctx.clock.now()
  const effects = noEffects()
  const env = await loadFollowUpEnv(ctx.db, now)
  const rules = env.rules.filter((r) => r.trigger === 'snooze.ended')
  await ctx.db.transaction().execute(async (trx) => {
    const woken = await trx
      .updateTable('conversations')
      .set({ status: 'open', snoozedUntil: null, updatedAt: now })
      .where('id', '=', conversationId)
      .where('status', '=', 'snoozed')
      .where('snoozedUntil', '<=', now)
      .returning(['channelId', 'snoozedUntil'])
      .executeTakeFirst()
    if (!woken) return
    effects.eventIds.push(
      await insertEvent(trx, { conversationId, channelId: woken.channelId, text: 'The snooze ended: the conversation is open again', at: now }),
    )
    const subject = await loadRuleSubject(trx, conversationId)
    if (subject && rules.length > 0) await runRules(trx, rules, subject, `snooze:${now.toISOString()}`, now, effects)
    const actor = { type: 'system', id: 'snooze' } as const
    await recordChanges(trx, [
      { type: 'conversation.status_changed', conversationId, actor, data: { from: 'snoozed', to: 'open', reason: 'unsnoozed', snoozedUntil: null } },
    ])
    await recordRuleEffects(trx, effects, { type: 'rule' })
  })
})
