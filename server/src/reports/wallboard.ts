import { slaAmberMinutes, type Wallboard } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { localDay } from './local-time.js'
import { startOfLocalDay } from './report-period.js'

/** The wall screen's figures for some teams, now: live state plus today's response rate from the rollup. */
export async function wallboard(db: Database, teamIds: string[], timeZone: string, now: Date): Promise<Wallboard> {
  const soon = new Date(now.getTime() + slaAmberMinutes * 60_000)
  const dayStart = startOfLocalDay(localDay(timeZone, now), timeZone)
  const { rows } = await sql<{
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
      where status = 'open' and team_id = any(${teamIds}::uuid[])) b`.execute(db)
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
  }
}
