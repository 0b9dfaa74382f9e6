import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { JobBatch } from '../queue/queue.js'
import { ruleTimerKey, ruleTimerTask } from '../rules/rule-timer.task.js'
import type { RuleRow } from '../rules/run-rules.js'
import { toCalendar, type PolicyRow } from '../sla/sla-policies.repository.js'
import { syncSlaMany, type SlaEnv, type SlaSyncResult } from '../sla/sla-sync.js'

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
export async function loadFollowUpEnv(db: Database, now: Date): Promise<FollowUpEnv> {
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
async function nextRuleRun(trx: Database, conversationId: string, result: Waits, env: FollowUpEnv): Promise<Date | null> {
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
 * The SLA consumer's work for a batch of changed conversations (and the SLA timers' own): their SLA targets and
 * timers, and their time-based rule timers. Timers that fall due after the commit fire as jobs; nothing sweeps.
 */
export async function followUpMany(trx: Database, conversationIds: string[], env: FollowUpEnv): Promise<Map<string, SlaSyncResult>> {
  const results = await syncSlaMany(trx, conversationIds, env)
  const jobs = new JobBatch()
  const timed = env.waitingRules.length + env.silentRules.length > 0
  for (const [conversationId, result] of results) {
    const next = timed ? await nextRuleRun(trx, conversationId, result, env) : null
    if (next) jobs.add(ruleTimerTask, { conversationId }, { jobKey: ruleTimerKey(conversationId), runAt: next })
    // With no waiting rule at all, a timer left from one deleted finds nothing to do: no need to chase it.
    else if (timed) jobs.remove(ruleTimerKey(conversationId))
  }
  await jobs.flush(trx)
  return results
}

export async function followUp(trx: Database, conversationId: string, env: FollowUpEnv): Promise<SlaSyncResult> {
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

/** Open conversations, in id order from `after`: what a recomputation walks through in batches. */
export async function openConversationIds(db: Database, after: string | null, limit: number): Promise<string[]> {
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
