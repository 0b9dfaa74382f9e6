import { teamAudience, rooms } from '@carebox/shared'
import { sql } from 'kysely'
import type { AppContext } from '../context.js'
import type { AnyDatabase } from '../db/client.js'
import { findConversationSummaries } from '../conversations/conversations.repository.js'
import { toConversationSummary, toMessage } from '../conversations/conversations.service.js'
import { findMessages } from '../conversations/messages.repository.js'
import { JobBatch } from '../queue/queue.js'
import { syncReportsMany } from '../reports/report-sync.js'
import { ruleTimerKey, ruleTimerTask } from '../rules/rule-timer.task.js'
import type { RuleEffects, RuleRow } from '../rules/run-rules.js'
import { toCalendar, type PolicyRow } from '../sla/sla-policies.repository.js'
import { syncSlaMany, type SlaEnv, type SlaSyncResult } from '../sla/sla-sync.js'
import { assignJobKey, assignTask } from './assign.task.js'

/** Everything following up a change needs, read once for a batch of conversations. */
export interface FollowUpEnv extends SlaEnv {
  /** Every enabled rule, in order. */
  rules: RuleRow[]
  waitingRules: RuleRow[]
  silentRules: RuleRow[]
  autoAssignTeams: Set<string>
  /** Channels with an out-of-hours acknowledgement to send. */
  acknowledgingChannels: Set<string>
  /** Channels whose webhooks name nobody (Messenger, Instagram): new people's profiles are looked up. */
  profileChannels: Set<string>
}

/**
 * Policies, teams' clocks and rules, in one round trip: the ingest path reads them for every batch, and they are
 * a few rows. Read fresh each time, so an edit applies from the next message on, on every node.
 */
export async function loadFollowUpEnv(db: AnyDatabase, now: Date): Promise<FollowUpEnv> {
  const { rows } = await sql<{
    policies: (Omit<PolicyRow, 'updatedAt'> & { updatedAt: string })[] | null
    teams: { id: string; timeZone: string; businessHours: unknown; autoAssign: boolean }[] | null
    rules: RuleRow[] | null
    acknowledging: string[] | null
    profiled: string[] | null
  }>`
    select
      (select json_agg(json_build_object('id', id, 'position', position, 'name', name, 'enabled', enabled, 'conditions', conditions,
        'targets', targets, 'updatedAt', updated_at) order by position, created_at) from sla_policies) as policies,
      (select json_agg(json_build_object('id', id, 'timeZone', time_zone, 'businessHours', business_hours, 'autoAssign', auto_assign)) from teams) as teams,
      (select json_agg(json_build_object('id', id, 'teamId', team_id, 'name', name, 'trigger', trigger, 'afterMinutes', after_minutes,
        'conditions', conditions, 'actions', actions) order by position, created_at) from automation_rules where enabled) as rules,
      (select json_agg(id) from channels where out_of_hours_reply is not null) as acknowledging,
      (select json_agg(id) from channels where kind in ('facebook', 'instagram')) as profiled`.execute(db)
  const row = rows[0]
  const teams = row?.teams ?? []
  const rules = row?.rules ?? []
  return {
    now,
    policies: (row?.policies ?? []).map((p) => ({ ...p, updatedAt: new Date(p.updatedAt) })),
    calendars: new Map(teams.map((team) => [team.id, toCalendar(team)])),
    warnings: rules.some((r) => r.trigger === 'sla.warning'),
    needWaits: rules.some((r) => r.trigger === 'customer.waiting' || r.trigger === 'customer.silent'),
    rules,
    waitingRules: rules.filter((r) => r.trigger === 'customer.waiting'),
    silentRules: rules.filter((r) => r.trigger === 'customer.silent'),
    autoAssignTeams: new Set(teams.filter((t) => t.autoAssign).map((t) => t.id)),
    acknowledgingChannels: new Set(row?.acknowledging ?? []),
    profileChannels: new Set(row?.profiled ?? []),
  }
}

type Waits = Pick<SlaSyncResult, 'teamId' | 'waitingSince' | 'silentSince'>

/** The time-based rules that apply to the conversation's current wait, with the occasion they act on. */
export function waitRules(result: Waits, env: FollowUpEnv): { rules: { rule: RuleRow; at: Date }[]; occasion: string } | null {
  const anchor = result.waitingSince ?? result.silentSince
  if (!anchor) return null
  const trigger = result.waitingSince ? 'customer.waiting' : 'customer.silent'
  const rules = (result.waitingSince ? env.waitingRules : env.silentRules)
    .filter((r) => r.teamId === null || r.teamId === result.teamId)
    .map((rule) => ({ rule, at: new Date(anchor.getTime() + (rule.afterMinutes ?? 0) * 60_000) }))
  // One occasion per wait: the same wait never fires a rule twice, a new wait (after a reply) may.
  return { rules, occasion: `${trigger}@${anchor.toISOString()}` }
}

/** When the rule timer should next run: now if a due rule has not acted on this wait yet, else the next rule's time. */
async function nextRuleRun(trx: AnyDatabase, conversationId: string, result: Waits, env: FollowUpEnv): Promise<Date | null> {
  const waits = waitRules(result, env)
  if (!waits) return null
  const due = waits.rules.filter((r) => r.at <= env.now).map((r) => r.rule.id)
  if (due.length > 0) {
    const ran = await trx
      .selectFrom('automationRuns')
      .select('ruleId')
      .where('conversationId', '=', conversationId)
      .where('occasion', '=', waits.occasion)
      .where('ruleId', 'in', due)
      .execute()
    if (ran.length < due.length) return env.now
  }
  const later = waits.rules.filter((r) => r.at > env.now).map((r) => r.at.getTime())
  return later.length > 0 ? new Date(Math.min(...later)) : null
}

/**
 * After anything that changes conversations (a message, a reply, a status, priority, tags, assignee, team),
 * inside the same transaction: their SLA targets and timers, their time-based rule timers, and a nudge to their
 * teams' auto-assignment, and the reports' rollups. Timers that fall due after the commit fire as jobs; nothing sweeps.
 */
export async function followUpMany(trx: AnyDatabase, conversationIds: string[], env: FollowUpEnv): Promise<Map<string, SlaSyncResult>> {
  const results = await syncSlaMany(trx, conversationIds, env)
  // After the SLA: a target met or breached just now is counted with the change that decided it.
  await syncReportsMany(trx, conversationIds, env)
  const jobs = new JobBatch()
  const timed = env.waitingRules.length + env.silentRules.length > 0
  for (const [conversationId, result] of results) {
    const next = timed ? await nextRuleRun(trx, conversationId, result, env) : null
    if (next) jobs.add(ruleTimerTask, { conversationId }, { jobKey: ruleTimerKey(conversationId), runAt: next })
    // With no waiting rule at all, a timer left from one deleted finds nothing to do: no need to chase it.
    else if (timed) jobs.remove(ruleTimerKey(conversationId))
  }
  for (const teamId of new Set([...results.values()].map((r) => r.teamId))) {
    if (teamId && env.autoAssignTeams.has(teamId)) jobs.add(assignTask, { teamId }, { jobKey: assignJobKey(teamId) })
  }
  await jobs.flush(trx)
  return results
}

export async function followUp(trx: AnyDatabase, conversationId: string, env: FollowUpEnv): Promise<SlaSyncResult> {
  return (
    (await followUpMany(trx, [conversationId], env)).get(conversationId) ?? {
      changed: false,
      breached: [],
      teamId: null,
      waitingSince: null,
      silentSince: null,
    }
  )
}

/** Tells consoles, after the commit, what rules and routing did: changed conversations, new events, notifications. */
export async function publishEffects(ctx: AppContext, effects: RuleEffects, alsoChanged: Iterable<string> = []): Promise<void> {
  const ids = new Set([...effects.changed, ...alsoChanged])
  const events = await findMessages(ctx.db, effects.eventIds)
  for (const event of events) ids.add(event.conversationId)
  const summaries = new Map((await findConversationSummaries(ctx.db, [...ids])).map((row) => [row.id, toConversationSummary(row)]))
  for (const summary of summaries.values()) ctx.realtime.publish('conversation.updated', teamAudience(summary.teamId), { conversation: summary })
  for (const event of events) {
    const summary = summaries.get(event.conversationId)
    if (summary) ctx.realtime.publish('message.created', teamAudience(summary.teamId), { conversation: summary, message: toMessage(event) })
  }
  for (const { userId, notification } of effects.notifications) ctx.realtime.publish('notification.created', rooms.user(userId), notification)
}

/** Open conversations, in id order from `after`: what a recomputation walks through in batches. */
export async function openConversationIds(db: AnyDatabase, after: string | null, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('conversations')
    .select('id')
    .where('status', 'in', ['open', 'snoozed'])
    .$if(after !== null, (q) => q.where('id', '>', after as string))
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}

/** followUp for one conversation changed by a person, inside their transaction. */
export async function followUpOne(trx: AnyDatabase, conversationId: string, now: Date): Promise<SlaSyncResult> {
  return followUp(trx, conversationId, await loadFollowUpEnv(trx, now))
}
