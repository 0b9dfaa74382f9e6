import { slaAmberMinutes, type Wallboard, type WallboardTeam } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { localDay } from './local-time.js'
import { startOfLocalDay } from './report-period.js'

/** The wall screen's figures for some teams, now: live state plus today's response rate from the rollup. */
export async function wallboard(db: Database, teamIds: string[], timeZone: string, now: Date): Promise<Wallboard> {
  const soon = new Date(now.getTime() + slaAmberMinutes * 60_000)
  const dayStart = startOfLocalDay(localDay(timeZone, now), timeZone)
  // The teams' lines on a connection of their own, beside the totals: a wall screen asks every few seconds.
  const [{ rows }, teams] = await Promise.all([
    sql<{
      waiting: number
      oldest: Date | null
      atRisk: number
      online: number
      inbound: number
      answered: number
      ratings: number
      satisfied: number
    }>`
    select
      b.waiting, b.oldest,
      (select count(*)::int from surveys s join conversations c on c.id = s.conversation_id
        where s.answered_at >= ${dayStart} and s.rating is not null and c.team_id = any(${teamIds}::uuid[])) as ratings,
      (select count(*)::int from surveys s join conversations c on c.id = s.conversation_id
        where s.answered_at >= ${dayStart} and s.rating >= 4 and c.team_id = any(${teamIds}::uuid[])) as satisfied,
      -- A breached badge keeps its deadline, in the past: one range on the open deadlines' index finds both.
      (select count(*)::int from conversations c join channels ch on ch.id = c.channel_id
        where c.status = 'open' and c.sla_due_at is not null and c.sla_due_at <= ${soon} and c.sla_state in ('active', 'breached')
          and c.team_id = any(${teamIds}::uuid[])) as "atRisk",
      (select count(distinct u.id)::int from users u join team_members m on m.user_id = u.id
        where u.active and u.presence = 'online' and m.team_id = any(${teamIds}::uuid[])) as online,
      (select coalesce(sum(count), 0)::int from report_daily
        where span = 1 and day = ${localDay(timeZone, now)}::date and team_id = any(${teamIds}::uuid[]) and metric = 'conversations' and bucket = -1) as inbound,
      (select coalesce(sum(count), 0)::int from report_daily
        where span = 1 and day = ${localDay(timeZone, now)}::date and team_id = any(${teamIds}::uuid[]) and metric = 'conversations_answered' and bucket = -1) as answered
    -- Those waiting are open: one pass over the open backlog's index counts them and finds the longest wait.
    from (select count(waiting_since)::int as waiting, min(waiting_since) as oldest from report_conversations
      where status = 'open' and team_id = any(${teamIds}::uuid[])) b`.execute(db),
    wallboardTeams(db, teamIds),
  ])
  const row = rows[0] ?? { waiting: 0, oldest: null, atRisk: 0, online: 0, inbound: 0, answered: 0, ratings: 0, satisfied: 0 }
  return {
    at: now.toISOString(),
    waitingNow: row.waiting,
    oldestWaitingSince: row.oldest?.toISOString() ?? null,
    atRisk: row.atRisk,
    agentsOnline: row.online,
    todayInbound: row.inbound,
    todayAnswered: row.answered,
    todayResponseRate: row.inbound > 0 ? row.answered / row.inbound : null,
    todayRatings: row.ratings,
    todaySatisfaction: row.ratings > 0 ? Math.round((row.satisfied / row.ratings) * 1000) / 10 : null,
    teams,
  }
}

/** Each team's active members by presence and its customers waiting, by name: who is there for whom, now. */
async function wallboardTeams(db: Database, teamIds: string[]): Promise<WallboardTeam[]> {
  const { rows } = await sql<WallboardTeam>`
    select t.id, t.name,
      count(u.id) filter (where u.presence = 'online')::int as online,
      count(u.id) filter (where u.presence = 'away')::int as away,
      count(u.id) filter (where u.presence = 'offline')::int as offline,
      -- The open backlog's index holds waiting_since: counted from the index, as the total above is.
      (select count(r.waiting_since)::int from report_conversations r where r.status = 'open' and r.team_id = t.id) as waiting
    from teams t
    left join team_members m on m.team_id = t.id
    -- A deactivated account is nobody's colleague any more: not even offline.
    left join users u on u.id = m.user_id and u.active
    where t.id = any(${teamIds}::uuid[])
    group by t.id
    order by t.name, t.id`.execute(db)
  return rows
}
