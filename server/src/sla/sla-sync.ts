import { slaAmberMinutes, type Priority, type SlaTargetKind } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { JobBatch } from '../queue/queue.js'
import type { BusinessCalendar } from './business-time.js'
import { matchPolicy, type PolicyRow } from './sla-policies.repository.js'
import { planTargets, type CycleMessage, type PlannedTarget } from './sla-plan.js'
import { slaTimerKey, slaTimerTask } from './sla-timer.task.js'

/** What recomputing needs besides the conversations: read once for a batch of them (see loadFollowUpEnv). */
export interface SlaEnv {
  now: Date
  policies: PolicyRow[]
  calendars: Map<string, BusinessCalendar>
  /** Whether any sla.warning rule is on: warning timers exist only for someone to act on them. */
  warnings: boolean
  /** Whether any waiting rule is on: who waits on whom is worked out only then. */
  needWaits: boolean
}

const alwaysClosed: BusinessCalendar = { timeZone: 'UTC', shifts: [], holidays: [] }

interface ConversationRow {
  id: string
  status: string
  priority: string
  tags: string[]
  channelId: string
  resolvedAt: Date | null
  slaDueAt: Date | null
  slaState: string | null
  slaPolicyId: string | null
  teamId: string
}

interface TargetRow {
  id: string
  conversationId: string
  kind: string
  startedAt: Date
  status: string
  dueAt: Date | null
  stoppedAt: Date | null
  breachedAt: Date | null
  targetMinutes: number
  businessHours: boolean
  pausedMinutes: number
  policyId: string | null
}

interface MessageRow {
  conversationId: string
  sentAt: Date
  direction: string
  automated: boolean
  status: string
}

export interface SlaSyncResult {
  /** The conversation's badge (nearest deadline or state) changed. */
  changed: boolean
  /** Targets that became breached in this recomputation. */
  breached: string[]
  /** The team whose queue the conversation is in. */
  teamId: string | null
  /** While open: since when the customer has waited for a reply (their oldest unanswered message)… */
  waitingSince: Date | null
  /** …or since when we have waited for them (our reply is the latest public message). */
  silentSince: Date | null
}

function sameInstant(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null)
}

function unchanged(row: TargetRow, plan: PlannedTarget, policyId: string | null): boolean {
  return (
    row.status === plan.status &&
    sameInstant(row.dueAt, plan.dueAt) &&
    sameInstant(row.stoppedAt, plan.stoppedAt) &&
    sameInstant(row.breachedAt, plan.breachedAt) &&
    row.targetMinutes === plan.goal.minutes &&
    row.businessHours === plan.goal.businessHours &&
    Math.abs(row.pausedMinutes - plan.pausedMinutes) < 0.01 &&
    row.policyId === policyId
  )
}

function groupBy<T extends { conversationId: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) groups.set(row.conversationId, [...(groups.get(row.conversationId) ?? []), row])
  return groups
}

/** A public message of the cycle, as the plan counts it: the customer's, or a reply by a person. */
function cycleMessages(rows: MessageRow[], resolvedAt: Date | null): CycleMessage[] {
  const messages: CycleMessage[] = []
  for (const row of rows) {
    if (resolvedAt !== null && row.sentAt <= resolvedAt) continue
    if (row.direction === 'inbound') messages.push({ at: row.sentAt, from: 'customer' })
    // Ours from Carebox, or written on the platform itself; never an automated or a failed one.
    else if (!row.automated && row.status !== 'failed') messages.push({ at: row.sentAt, from: 'human' })
  }
  return messages
}

/** Who waits on whom now, from the cycle's public messages: what time-based rules count from. */
function waits(messages: CycleMessage[], status: string): { waitingSince: Date | null; silentSince: Date | null } {
  const last = messages.at(-1)
  if (status !== 'open' || !last) return { waitingSince: null, silentSince: null }
  if (last.from === 'human') return { waitingSince: null, silentSince: last.at }
  let i = messages.length - 1
  while (i > 0 && messages[i - 1]!.from === 'customer') i--
  return { waitingSince: messages[i]!.at, silentSince: null }
}

/** The badge: a breached target still unmet outranks the nearest running deadline, which outranks a pause. */
function badgeOf(plans: PlannedTarget[]): { state: 'active' | 'paused' | 'breached'; dueAt: Date | null } | null {
  const byDue = (a: PlannedTarget, b: PlannedTarget) => (a.dueAt?.getTime() ?? 0) - (b.dueAt?.getTime() ?? 0)
  const running = plans.filter((p) => p.stoppedAt === null)
  const breached = running.filter((p) => p.status === 'breached').sort(byDue)[0]
  if (breached) return { state: 'breached', dueAt: breached.dueAt }
  const active = running.filter((p) => p.status === 'active' && p.dueAt).sort(byDue)[0]
  if (active) return { state: 'active', dueAt: active.dueAt }
  return running.some((p) => p.status === 'paused') ? { state: 'paused', dueAt: null } : null
}

/** Everything one recomputation writes, gathered so a batch of conversations costs a few statements. */
class Writes {
  readonly upserts: {
    conversationId: string
    cycleStartedAt: Date
    plan: PlannedTarget
    policyId: string | null
    wasBreached: boolean
    wasRunning: boolean
  }[] = []
  readonly stops: { id: string; stoppedAt: Date; status: string; breachedAt: Date | null }[] = []
  readonly deletes: string[] = []
  readonly badges: { id: string; state: string | null; dueAt: Date | null; policyId: string | null }[] = []
  readonly jobs = new JobBatch()
}

function scheduleTimers(writes: Writes, targetId: string, dueAt: Date, env: SlaEnv): void {
  writes.jobs.add(slaTimerTask, { targetId, moment: 'breach' }, { jobKey: slaTimerKey(targetId, 'breach'), runAt: dueAt })
  const warnAt = new Date(dueAt.getTime() - slaAmberMinutes * 60_000)
  if (env.warnings && warnAt > env.now)
    writes.jobs.add(slaTimerTask, { targetId, moment: 'warning' }, { jobKey: slaTimerKey(targetId, 'warning'), runAt: warnAt })
  else writes.jobs.remove(slaTimerKey(targetId, 'warning'))
}

function cancelTimers(writes: Writes, targetId: string): void {
  writes.jobs.remove(slaTimerKey(targetId, 'breach'))
  writes.jobs.remove(slaTimerKey(targetId, 'warning'))
}

/**
 * Brings conversations' SLA targets, their timers and their badges in line with their messages, status and the
 * policy that now applies. Idempotent: call it after anything that could change the answer, inside the
 * transaction that changed it, so the targets and the timers commit with the change. Reads and writes are
 * batched across the conversations given.
 */
export async function syncSlaMany(trx: Database, conversationIds: string[], env: SlaEnv): Promise<Map<string, SlaSyncResult>> {
  const results = new Map<string, SlaSyncResult>()
  if (conversationIds.length === 0) return results
  const ids = [...new Set(conversationIds)].sort()
  // Locked in id order, so two batches that overlap wait for each other instead of deadlocking.
  const { rows: conversations } = await sql<ConversationRow>`
    select c.id, c.status, c.priority, c.tags, c.channel_id as "channelId", c.resolved_at as "resolvedAt",
      c.sla_due_at as "slaDueAt", c.sla_state as "slaState", c.sla_policy_id as "slaPolicyId", c.team_id as "teamId"
    from conversations c join channels ch on ch.id = c.channel_id
    where c.id = any(${ids}::uuid[])
    order by c.id
    for no key update of c`.execute(trx)
  const { rows: targetRows } = await sql<TargetRow>`
    select t.id, t.conversation_id as "conversationId", t.kind, t.started_at as "startedAt", t.status, t.due_at as "dueAt",
      t.stopped_at as "stoppedAt", t.breached_at as "breachedAt", t.target_minutes as "targetMinutes",
      t.business_hours as "businessHours", t.paused_minutes as "pausedMinutes", t.policy_id as "policyId"
    from sla_targets t join conversations c on c.id = t.conversation_id
    where t.conversation_id = any(${ids}::uuid[])
      and (t.stopped_at is null or t.started_at > coalesce(c.resolved_at, '-infinity'))`.execute(trx)
  // Messages are read only where a target or a waiting rule needs them: with no policy for it, a busy ingest
  // pays for nothing but the look at the conversation and its targets.
  const goalsOf = new Map(
    conversations.map((c) => {
      const policy = matchPolicy(env.policies, { channelId: c.channelId, teamId: c.teamId, priority: c.priority as Priority, tags: c.tags })
      return [c.id, { policy, goals: policy?.targets[c.priority as Priority] ?? {} }] as const
    }),
  )
  const reading = conversations
    .filter((c) => c.status !== 'resolved' && (env.needWaits || Object.keys(goalsOf.get(c.id)?.goals ?? {}).length > 0))
    .map((c) => c.id)
  const { rows: messageRows } =
    reading.length === 0
      ? { rows: [] as MessageRow[] }
      : await sql<MessageRow>`
          select m.conversation_id as "conversationId", m.sent_at as "sentAt", m.direction, m.automated, m.status
          from messages m join conversations c on c.id = m.conversation_id
          where m.conversation_id = any(${reading}::uuid[]) and m.kind = 'message' and m.deleted_at is null
            and m.sent_at > coalesce(c.resolved_at, '-infinity')
            -- A rating or a thanks after the resolve asks nothing: no clock starts for it.
            and m.closes_loop is null
          order by m.conversation_id, m.sent_at, m.id`.execute(trx)
  const targetsOf = groupBy(targetRows)
  const messagesOf = groupBy(messageRows)
  const writes = new Writes()

  for (const conversation of conversations) {
    const existing = targetsOf.get(conversation.id) ?? []
    const running = existing.filter((t) => t.stoppedAt === null)
    if (conversation.status === 'resolved') {
      // Resolving meets every running target that has not breached (as Zendesk: solving fulfils them).
      const resolvedAt = conversation.resolvedAt ?? env.now
      for (const target of running) {
        const breached = target.status === 'breached' || (target.dueAt !== null && target.dueAt < resolvedAt)
        writes.stops.push({
          id: target.id,
          stoppedAt: resolvedAt,
          status: breached ? 'breached' : 'achieved',
          breachedAt: breached ? (target.breachedAt ?? target.dueAt) : null,
        })
        cancelTimers(writes, target.id)
      }
      if (conversation.slaState !== null || conversation.slaDueAt !== null)
        writes.badges.push({ id: conversation.id, state: null, dueAt: null, policyId: conversation.slaPolicyId })
      results.set(conversation.id, {
        changed: conversation.slaState !== null,
        breached: [],
        teamId: conversation.teamId,
        waitingSince: null,
        silentSince: null,
      })
      continue
    }
    const { policy, goals } = goalsOf.get(conversation.id) ?? { policy: null, goals: {} }
    const messages = cycleMessages(messagesOf.get(conversation.id) ?? [], conversation.resolvedAt)
    const plans = planTargets({ messages, goals, calendar: env.calendars.get(conversation.teamId) ?? alwaysClosed, now: env.now })
    const cycleStartedAt = messages.find((m) => m.from === 'customer')?.at
    const byKey = new Map(existing.map((t) => [`${t.kind}@${t.startedAt.getTime()}`, t]))
    const planned = new Set<string>()
    for (const plan of plans) {
      const row = byKey.get(`${plan.kind}@${plan.startedAt.getTime()}`)
      if (row) planned.add(row.id)
      if (row && unchanged(row, plan, policy?.id ?? null)) continue
      writes.upserts.push({
        conversationId: conversation.id,
        cycleStartedAt: cycleStartedAt ?? plan.startedAt,
        plan,
        policyId: policy?.id ?? null,
        wasBreached: row?.status === 'breached',
        wasRunning: row?.stoppedAt === null,
      })
    }
    // Running targets the facts no longer call for (the policy stopped applying, a message was deleted): gone.
    for (const target of running) {
      if (planned.has(target.id)) continue
      writes.deletes.push(target.id)
      cancelTimers(writes, target.id)
    }
    const badge = badgeOf(plans)
    const state = badge?.state ?? null
    const dueAt = badge?.dueAt ?? null
    const moved = conversation.slaState !== state || !sameInstant(conversation.slaDueAt, dueAt)
    if (moved || conversation.slaPolicyId !== (policy?.id ?? null)) writes.badges.push({ id: conversation.id, state, dueAt, policyId: policy?.id ?? null })
    results.set(conversation.id, { changed: moved, breached: [], teamId: conversation.teamId, ...waits(messages, conversation.status) })
  }
  await apply(trx, writes, env, results)
  return results
}

async function apply(trx: Database, writes: Writes, env: SlaEnv, results: Map<string, SlaSyncResult>): Promise<void> {
  if (writes.stops.length > 0) {
    const values = writes.stops.map((s) => sql`(${s.id}::uuid, ${s.stoppedAt}::timestamptz, ${s.status}::text, ${s.breachedAt}::timestamptz)`)
    await sql`
      update sla_targets t set stopped_at = v.stopped_at, status = v.status, breached_at = v.breached_at, updated_at = ${env.now}
      from (values ${sql.join(values)}) as v(id, stopped_at, status, breached_at) where t.id = v.id`.execute(trx)
  }
  if (writes.deletes.length > 0) await trx.deleteFrom('slaTargets').where('id', 'in', writes.deletes).execute()
  if (writes.upserts.length > 0) {
    const values = writes.upserts.map(
      (u) => sql`(
        ${u.conversationId}::uuid, ${u.policyId}::uuid, ${u.plan.kind}::text, ${u.cycleStartedAt}::timestamptz, ${u.plan.startedAt}::timestamptz,
        ${u.plan.goal.minutes}::int, ${u.plan.goal.businessHours}::boolean, ${u.plan.pausedMinutes}::float8, ${u.plan.status}::text,
        ${u.plan.dueAt}::timestamptz, ${u.plan.stoppedAt}::timestamptz, ${u.plan.breachedAt}::timestamptz, ${env.now}::timestamptz
      )`,
    )
    const { rows } = await sql<{ id: string; conversationId: string; kind: SlaTargetKind; startedAt: Date }>`
      insert into sla_targets (conversation_id, policy_id, kind, cycle_started_at, started_at, target_minutes, business_hours, paused_minutes,
                               status, due_at, stopped_at, breached_at, updated_at)
      values ${sql.join(values)}
      on conflict on constraint sla_targets_conversation_kind_start_key do update set
        policy_id = excluded.policy_id, target_minutes = excluded.target_minutes, business_hours = excluded.business_hours,
        paused_minutes = excluded.paused_minutes, status = excluded.status, due_at = excluded.due_at, stopped_at = excluded.stopped_at,
        breached_at = excluded.breached_at, updated_at = excluded.updated_at
      returning id, conversation_id as "conversationId", kind, started_at as "startedAt"`.execute(trx)
    const idOf = new Map(rows.map((r) => [`${r.conversationId}/${r.kind}@${r.startedAt.getTime()}`, r.id]))
    for (const u of writes.upserts) {
      const id = idOf.get(`${u.conversationId}/${u.plan.kind}@${u.plan.startedAt.getTime()}`)
      if (!id) continue
      if (u.plan.status === 'active' && u.plan.dueAt) scheduleTimers(writes, id, u.plan.dueAt, env)
      else if (u.wasRunning) cancelTimers(writes, id)
      if (u.plan.status === 'breached' && !u.wasBreached) results.get(u.conversationId)?.breached.push(id)
    }
  }
  if (writes.badges.length > 0) {
    const values = writes.badges.map((b) => sql`(${b.id}::uuid, ${b.state}::text, ${b.dueAt}::timestamptz, ${b.policyId}::uuid)`)
    await sql`
      update conversations c set sla_state = v.state, sla_due_at = v.due_at, sla_policy_id = v.policy_id
      from (values ${sql.join(values)}) as v(id, state, due_at, policy_id) where c.id = v.id`.execute(trx)
  }
  await writes.jobs.flush(trx)
}

/** syncSlaMany for one conversation. */
export async function syncSla(trx: Database, conversationId: string, env: SlaEnv): Promise<SlaSyncResult> {
  return (
    (await syncSlaMany(trx, [conversationId], env)).get(conversationId) ?? { changed: false, breached: [], teamId: null, waitingSince: null, silentSince: null }
  )
}
