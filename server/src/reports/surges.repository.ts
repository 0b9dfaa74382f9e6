import type { SurgeAlert } from '@carebox/shared'
import type { Database } from '../db/client.js'

type SurgeRow = {
  id: string
  teamId: string | null
  scope: string
  key: string
  label: string
  reasons: string[]
  windowStart: Date
  windowEnd: Date
  inbound: number
  baseline: number
  negativeShare: number
  baselineNegativeShare: number
  conversationIds: string[]
  createdAt: Date
}

export function toSurgeAlert(row: SurgeRow): SurgeAlert {
  return {
    ...row,
    scope: row.scope as SurgeAlert['scope'],
    reasons: row.reasons as SurgeAlert['reasons'],
    windowStart: row.windowStart.toISOString(),
    windowEnd: row.windowEnd.toISOString(),
    createdAt: row.createdAt.toISOString(),
  }
}

/** The last 7 days' alerts of some teams, newest first. */
export async function recentSurges(db: Database, teamIds: string[], now: Date): Promise<SurgeAlert[]> {
  if (teamIds.length === 0) return []
  const rows = await db
    .selectFrom('surgeAlerts')
    .selectAll()
    .where('teamId', 'in', teamIds)
    .where('createdAt', '>', new Date(now.getTime() - 7 * 86_400_000))
    .orderBy('createdAt', 'desc')
    .limit(100)
    .execute()
  return rows.map(toSurgeAlert)
}
