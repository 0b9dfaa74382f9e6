import type { SatisfactionFigures, SatisfactionReport } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import type { ReportScope } from '../reports/report-scope.js'

interface Counter {
  offered: number
  answered: number
  satisfied: number
  distribution: [number, number, number, number, number]
}

const emptyCounter = (): Counter => ({ offered: 0, answered: 0, satisfied: 0, distribution: [0, 0, 0, 0, 0] })

function count(counter: Counter, row: { status: string; rating: number | null }): void {
  if (row.status === 'offered' || row.status === 'answered') counter.offered += 1
  if (row.rating === null) return
  counter.answered += 1
  counter.distribution[row.rating - 1] = (counter.distribution[row.rating - 1] ?? 0) + 1
  if (row.rating >= 4) counter.satisfied += 1
}

function figures(counter: Counter): SatisfactionFigures {
  return {
    ...counter,
    distribution: [...counter.distribution],
    score: counter.answered > 0 ? Math.round((counter.satisfied / counter.answered) * 1000) / 10 : null,
    responseRate: counter.offered > 0 ? counter.answered / counter.offered : null,
  }
}

/**
 * Satisfaction as metrics.md defines it, over the surveys of the period (by when they were offered, or due for
 * those never offered): CSAT score, response rate, the distribution, by day, agent, channel and tag, and the
 * latest comments and low ratings with their conversations. Surveys are one per resolve, so they are read and
 * counted here rather than kept in rollups.
 */
export async function satisfactionReport(db: Database, scope: ReportScope): Promise<SatisfactionReport> {
  const { from, to, info } = scope.period
  const when = sql`coalesce(s.offered_at, s.due_at)`
  const filters = sql`c.team_id = any(${scope.teamIds}::uuid[]) and ${when} >= ${from} and ${when} < ${to}
    ${scope.channelId ? sql`and c.channel_id = ${scope.channelId}` : sql``}
    ${scope.agentId ? sql`and s.agent_id = ${scope.agentId}` : sql``}
    ${scope.tag ? sql`and ${scope.tag} = any(c.tags)` : sql``}`
  const [{ rows }, { rows: comments }, { rows: names }] = await Promise.all([
    sql<{ status: string; rating: number | null; reason: string | null; agentId: string | null; channelId: string; tags: string[]; day: string }>`
      select s.status, s.rating, s.reason, s.agent_id as "agentId", c.channel_id as "channelId", c.tags,
        to_char(${when} at time zone ${info.timeZone}, 'YYYY-MM-DD') as day
      from surveys s join conversations c on c.id = s.conversation_id
      where ${filters}`.execute(db),
    sql<{ conversationId: string; rating: number; comment: string | null; answeredAt: Date; customer: string | null; channel: string; agent: string | null }>`
      select s.conversation_id as "conversationId", s.rating, s.comment, s.answered_at as "answeredAt",
        coalesce(ct.name, ct.handle) as customer, ch.name as channel, u.name as agent
      from surveys s join conversations c on c.id = s.conversation_id join channels ch on ch.id = c.channel_id
      left join contacts ct on ct.id = c.contact_id left join users u on u.id = s.agent_id
      where ${filters} and s.rating is not null and (s.comment is not null or s.rating <= 2)
      order by s.answered_at desc limit 50`.execute(db),
    sql<{ kind: 'agent' | 'channel'; id: string; name: string }>`
      select 'agent' as kind, id::text, name from users
      union all select 'channel', id::text, name from channels where team_id = any(${scope.teamIds}::uuid[])`.execute(db),
  ])
  const nameOf = new Map(names.map((n) => [`${n.kind}:${n.id}`, n.name]))
  const totals = emptyCounter()
  const byDay = new Map<string, Counter>()
  const byAgent = new Map<string | null, Counter>()
  const byChannel = new Map<string, Counter>()
  const byTag = new Map<string, Counter>()
  const notOffered = new Map<string, number>()
  const into = <K>(map: Map<K, Counter>, key: K) => map.get(key) ?? map.set(key, emptyCounter()).get(key)!
  for (const row of rows) {
    if (row.status === 'not_offered') notOffered.set(row.reason ?? 'Not offered', (notOffered.get(row.reason ?? 'Not offered') ?? 0) + 1)
    if (row.status === 'scheduled' || row.status === 'not_offered') continue
    count(totals, row)
    count(into(byDay, row.day), row)
    count(into(byAgent, row.agentId), row)
    count(into(byChannel, row.channelId), row)
    for (const tag of row.tags) count(into(byTag, tag), row)
  }
  const groups = <K extends string | null>(map: Map<K, Counter>, name: (key: K) => string) =>
    [...map.entries()].map(([id, counter]) => ({ id, name: name(id), figures: figures(counter) })).sort((a, b) => b.figures.answered - a.figures.answered)
  return {
    period: info,
    totals: figures(totals),
    notOffered: [...notOffered.entries()].map(([reason, n]) => ({ reason, count: n })).sort((a, b) => b.count - a.count),
    trend: scope.period.days.map((day) => {
      const f = figures(byDay.get(day) ?? emptyCounter())
      return { at: day, answered: f.answered, satisfied: f.satisfied, score: f.score }
    }),
    byAgent: groups(byAgent, (id) => (id ? (nameOf.get(`agent:${id}`) ?? 'Former teammate') : 'No person replied')),
    byChannel: groups(byChannel, (id) => nameOf.get(`channel:${id}`) ?? 'Another team’s channel'),
    byTag: groups(byTag, (tag) => tag),
    comments: comments.map((c) => ({ ...c, answeredAt: c.answeredAt.toISOString() })),
  }
}
