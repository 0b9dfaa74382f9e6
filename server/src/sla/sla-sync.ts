import { slaAmberMinutes, type Priority, type SlaTargetKind } from '@carebox/shared'
import { sql } from 'kysely'
import type { AnyDatabase } from '../db/client.js'
import { enqueueInTx, removeJobInTx } from '../queue/queue.js'
import type { BusinessCalendar } from './business-time.js'
import { loadCalendars, listPolicies, matchPolicy, type PolicyRow } from './sla-policies.repository.js'
import { planTargets, type CycleMessage, type PlannedTarget } from './sla-plan.js'
import { slaTimerKey, slaTimerTask } from './sla-timer.task.js'

/** What recomputing needs besides the conversation: read once for a batch of conversations. */
export interface SlaEnv {
  now: Date
  policies: PolicyRow[]
  calendars: Map<string, BusinessCalendar>
}

export async function loadSlaEnv(db: AnyDatabase, now: Date): Promise<SlaEnv> {
  const [policies, calendars] = await Promise.all([listPolicies(db), loadCalendars(db)])
  return { now, policies, calendars }
}

const alwaysClosed: BusinessCalendar = { timeZone: 'UTC', shifts: [], holidays: [] }

interface TargetRow {
  id: string
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

const targetColumns = ['id', 'kind', 'startedAt', 'status', 'dueAt', 'stoppedAt', 'breachedAt', 'targetMinutes', 'businessHours', 'pausedMinutes', 'policyId'] as const

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

/** The deadline's timers: the breach at the deadline, the warning 15 minutes before, if still ahead. */
async function scheduleTimers(trx: AnyDatabase, targetId: string, dueAt: Date, now: Date): Promise<void> {
  await enqueueInTx(trx, slaTimerTask, { targetId, moment: 'breach' }, { jobKey: slaTimerKey(targetId, 'breach'), runAt: dueAt })
  const warnAt = new Date(dueAt.getTime() - slaAmberMinutes * 60_000)
  if (warnAt > now) await enqueueInTx(trx, slaTimerTask, { targetId, moment: 'warning' }, { jobKey: slaTimerKey(targetId, 'warning'), runAt: warnAt })
  else await removeJobInTx(trx, slaTimerKey(targetId, 'warning'))
}

async function cancelTimers(trx: AnyDatabase, targetId: string): Promise<void> {
  await removeJobInTx(trx, slaTimerKey(targetId, 'breach'))
  await removeJobInTx(trx, slaTimerKey(targetId, 'warning'))
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

/**
 * Brings a conversation's SLA targets, their timers and its badge in line with its messages, status and the
 * policy that now applies. Idempotent: call it after anything that could change the answer, inside the
 * transaction that changed it, so the targets and the timers commit with the change.
 */
export async function syncSla(trx: AnyDatabase, conversationId: string, env: SlaEnv): Promise<SlaSyncResult> {
  const conversation = await trx
    .selectFrom('conversations as c')
    .innerJoin('channels as ch', 'ch.id', 'c.channelId')
    .select(['c.id', 'c.status', 'c.priority', 'c.tags', 'c.channelId', 'c.resolvedAt', 'c.slaDueAt', 'c.slaState', 'c.slaPolicyId'])
    .select(sql<string>`coalesce(c.team_id, ch.team_id)`.as('teamId'))
    .where('c.id', '=', conversationId)
    .forUpdate('c')
    .executeTakeFirst()
  if (!conversation) return { changed: false, breached: [], teamId: null, waitingSince: null, silentSince: null }
  const existing: TargetRow[] = await trx
    .selectFrom('slaTargets')
    .select(targetColumns)
    .where('conversationId', '=', conversationId)
    .where((eb) => eb.or([eb('stoppedAt', 'is', null), eb('startedAt', '>=', conversation.resolvedAt ?? new Date(0))]))
    .execute()
  const running = existing.filter((t) => t.stoppedAt === null)

  if (conversation.status === 'resolved') {
    // Resolving meets every running target that has not breached (as Zendesk: solving fulfils them).
    const resolvedAt = conversation.resolvedAt ?? env.now
    for (const target of running) {
      const breached = target.status === 'breached' || (target.dueAt !== null && target.dueAt < resolvedAt)
      await trx
        .updateTable('slaTargets')
        .set({ stoppedAt: resolvedAt, status: breached ? 'breached' : 'achieved', breachedAt: breached ? (target.breachedAt ?? target.dueAt) : null, updatedAt: env.now })
        .where('id', '=', target.id)
        .execute()
      await cancelTimers(trx, target.id)
    }
    return { ...(await setBadge(trx, conversation, null, null, [])), teamId: conversation.teamId, waitingSince: null, silentSince: null }
  }

  const policy = matchPolicy(env.policies, { channelId: conversation.channelId, teamId: conversation.teamId, priority: conversation.priority as Priority, tags: conversation.tags })
  const goals = policy?.targets[conversation.priority as Priority] ?? {}
  const rows = await trx
    .selectFrom('messages')
    .select(['sentAt', 'direction', 'authorKind', 'automated', 'status'])
    .where('conversationId', '=', conversationId)
    .where('kind', '=', 'message')
    .where('deletedAt', 'is', null)
    .$if(conversation.resolvedAt !== null, (q) => q.where('sentAt', '>', conversation.resolvedAt as Date))
    .orderBy('sentAt')
    .orderBy('id')
    .execute()
  const messages: CycleMessage[] = []
  for (const row of rows) {
    if (row.direction === 'inbound') messages.push({ at: row.sentAt, from: 'customer' })
    // A reply by a person: ours from Carebox, or one written on the platform itself; never an automated or failed one.
    else if (!row.automated && row.status !== 'failed') messages.push({ at: row.sentAt, from: 'human' })
  }
  const plans = planTargets({ messages, goals, calendar: env.calendars.get(conversation.teamId) ?? alwaysClosed, now: env.now })

  const keyOf = (kind: string, startedAt: Date) => `${kind}@${startedAt.getTime()}`
  const byKey = new Map(existing.map((t) => [keyOf(t.kind, t.startedAt), t]))
  const kept = new Set<string>()
  const breached: string[] = []
  const live: { id: string; plan: PlannedTarget }[] = []
  for (const plan of plans) {
    const row = byKey.get(keyOf(plan.kind, plan.startedAt))
    let id = row?.id ?? ''
    if (!row || !unchanged(row, plan, policy?.id ?? null)) {
      const values = {
        policyId: policy?.id ?? null,
        targetMinutes: plan.goal.minutes,
        businessHours: plan.goal.businessHours,
        pausedMinutes: plan.pausedMinutes,
        status: plan.status,
        dueAt: plan.dueAt,
        stoppedAt: plan.stoppedAt,
        breachedAt: plan.breachedAt,
        updatedAt: env.now,
      }
      const saved = await trx
        .insertInto('slaTargets')
        .values({ conversationId, kind: plan.kind as SlaTargetKind, cycleStartedAt: messages.find((m) => m.from === 'customer')!.at, startedAt: plan.startedAt, ...values })
        .onConflict((oc) => oc.constraint('sla_targets_conversation_kind_start_key').doUpdateSet(values))
        .returning('id')
        .executeTakeFirstOrThrow()
      id = saved.id
      if (plan.status === 'breached' && row?.status !== 'breached') breached.push(id)
      if (plan.status === 'active' && plan.dueAt) await scheduleTimers(trx, id, plan.dueAt, env.now)
      else if (row && row.stoppedAt === null) await cancelTimers(trx, id)
    }
    kept.add(id)
    if (plan.stoppedAt === null) live.push({ id, plan })
  }
  // Running targets the facts no longer call for (the policy stopped applying, a message was deleted): gone.
  const stale = running.filter((t) => !kept.has(t.id)).map((t) => t.id)
  if (stale.length > 0) {
    await trx.deleteFrom('slaTargets').where('id', 'in', stale).execute()
    for (const id of stale) await cancelTimers(trx, id)
  }
  const badge = await setBadge(trx, conversation, policy?.id ?? null, nearest(live.map((l) => l.plan)), breached)
  return { ...badge, teamId: conversation.teamId, ...waits(messages, conversation.status) }
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
function nearest(plans: PlannedTarget[]): { state: 'active' | 'paused' | 'breached'; dueAt: Date | null } | null {
  const byDue = (a: PlannedTarget, b: PlannedTarget) => (a.dueAt?.getTime() ?? 0) - (b.dueAt?.getTime() ?? 0)
  const breached = plans.filter((p) => p.status === 'breached').sort(byDue)[0]
  if (breached) return { state: 'breached', dueAt: breached.dueAt }
  const active = plans.filter((p) => p.status === 'active' && p.dueAt).sort(byDue)[0]
  if (active) return { state: 'active', dueAt: active.dueAt }
  return plans.some((p) => p.status === 'paused') ? { state: 'paused', dueAt: null } : null
}

async function setBadge(
  trx: AnyDatabase,
  conversation: { id: string; slaDueAt: Date | null; slaState: string | null; slaPolicyId: string | null },
  policyId: string | null,
  badge: { state: 'active' | 'paused' | 'breached'; dueAt: Date | null } | null,
  breached: string[],
): Promise<Pick<SlaSyncResult, 'changed' | 'breached'>> {
  const state = badge?.state ?? null
  const dueAt = badge?.dueAt ?? null
  if (conversation.slaState === state && sameInstant(conversation.slaDueAt, dueAt) && conversation.slaPolicyId === policyId) return { changed: false, breached }
  await trx.updateTable('conversations').set({ slaState: state, slaDueAt: dueAt, slaPolicyId: policyId }).where('id', '=', conversation.id).execute()
  return { changed: conversation.slaState !== state || !sameInstant(conversation.slaDueAt, dueAt), breached }
}
