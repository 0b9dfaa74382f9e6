import type { BusinessHours, Priority, SlaConditions, SlaPolicy, SlaTargets } from '@carebox/shared'
import type { AnyDatabase } from '../db/client.js'
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

export async function listPolicies(db: AnyDatabase): Promise<PolicyRow[]> {
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
