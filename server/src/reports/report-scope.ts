import type { ReportQuery } from '@carebox/shared'
import { visibleTeamIds, type Identity } from '../auth/identity.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { resolvePeriod, type ResolvedPeriod } from './report-period.js'

/** What a report covers: the teams the caller may see (narrowed by the filter), the period in their zone, filters. */
export interface ReportScope {
  teamIds: string[]
  period: ResolvedPeriod
  channelId: string | null
  agentId: string | null
  tag: string | null
}

/**
 * Resolves a report's query for the caller. Days are the team's: the filtered team's zone, else the zone of the
 * caller's first team (by name). A team or channel the caller may not see is not found, as if it did not exist.
 */
export async function reportScope(db: Database, identity: Identity, query: ReportQuery, now: Date): Promise<ReportScope> {
  if (query.agentId && query.tag) throw new AppError('validation_failed', 'Filter by an agent or by a tag, not both.')
  const visible = visibleTeamIds(identity)
  let teams = await db.selectFrom('teams').select(['id', 'timeZone']).orderBy('name').orderBy('id').execute()
  if (visible) teams = teams.filter((team) => visible.includes(team.id))
  if (query.teamId) {
    teams = teams.filter((team) => team.id === query.teamId)
    if (teams.length === 0) throw new AppError('not_found', 'No such team.')
  }
  if (query.channelId) {
    const channel = await db.selectFrom('channels').select('teamId').where('id', '=', query.channelId).executeTakeFirst()
    if (!channel || (visible && !visible.includes(channel.teamId))) throw new AppError('not_found', 'No such channel.')
  }
  const timeZone = teams[0]?.timeZone ?? 'UTC'
  return {
    teamIds: teams.map((team) => team.id),
    period: resolvePeriod(query, timeZone, now),
    channelId: query.channelId ?? null,
    agentId: query.agentId ?? null,
    tag: query.tag?.toLowerCase() ?? null,
  }
}
