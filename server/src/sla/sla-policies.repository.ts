import type { BusinessHours, Priority, SlaConditions, SlaPolicy, SlaTarget, SlaTargets } from '@carebox/shared'
import type { Database } from '../db/client.js'
import type { BusinessCalendar } from './business-time.js'

export interface PolicyRow {
  id: string
  position: number
  name: string
  enabled: boolean
  conditions: SlaConditions
  targets: SlaTargets
  updatedAt: Date
}

const columns = ['id', 'position', 'name', 'enabled', 'conditions', 'targets', 'updatedAt'] as const

export async function listPolicies(db: Database): Promise<PolicyRow[]> {
  const rows = await db.selectFrom('slaPolicies').select(columns).orderBy('position').orderBy('createdAt').execute()
  return rows as PolicyRow[]
}

export function toSlaPolicy(row: PolicyRow): SlaPolicy {
  return { ...row, updatedAt: row.updatedAt.toISOString() }
}

/** What a policy's conditions are tested against. */
export interface PolicySubject {
  channelId: string
  teamId: string
  priority: Priority
  tags: string[]
}

/** The first enabled policy whose every stated condition holds (Zendesk's rule: order decides). */
export function matchPolicy(policies: readonly PolicyRow[], subject: PolicySubject): PolicyRow | null {
  for (const policy of policies) {
    if (!policy.enabled) continue
    const c = policy.conditions
    if (c.channelIds?.length && !c.channelIds.includes(subject.channelId)) continue
    if (c.teamIds?.length && !c.teamIds.includes(subject.teamId)) continue
    if (c.priorities?.length && !c.priorities.includes(subject.priority)) continue
    if (c.tags?.length && !c.tags.some((tag) => subject.tags.includes(tag))) continue
    return policy
  }
  return null
}

export function toCalendar(team: { timeZone: string; businessHours: unknown }): BusinessCalendar {
  const hours = team.businessHours as BusinessHours
  return { timeZone: team.timeZone, shifts: hours.shifts as BusinessCalendar['shifts'], holidays: hours.holidays }
}

/** A conversation's targets, newest cycle first: what its Service level panel lists. */
export async function listSlaTargets(db: Database, conversationId: string): Promise<SlaTarget[]> {
  const rows = await db
    .selectFrom('slaTargets as t')
    .leftJoin('slaPolicies as p', 'p.id', 't.policyId')
    .select([
      't.id',
      't.kind',
      't.status',
      'p.name as policyName',
      't.targetMinutes',
      't.businessHours',
      't.startedAt',
      't.dueAt',
      't.stoppedAt',
      't.breachedAt',
    ])
    .where('t.conversationId', '=', conversationId)
    .orderBy('t.cycleStartedAt', 'desc')
    .orderBy('t.startedAt', 'desc')
    .limit(200)
    .execute()
  return rows.map((r) => ({
    ...r,
    kind: r.kind as SlaTarget['kind'],
    status: r.status as SlaTarget['status'],
    startedAt: r.startedAt.toISOString(),
    dueAt: r.dueAt?.toISOString() ?? null,
    stoppedAt: r.stoppedAt?.toISOString() ?? null,
    breachedAt: r.breachedAt?.toISOString() ?? null,
  }))
}
