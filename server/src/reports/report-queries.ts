import {
  slaTargetKinds,
  type AgentReportRow,
  type ReportHeadline,
  type NegativeSharePoint,
  type ReportSummary,
  type SlaCounts,
  type TimeFigure,
  type VolumePoint,
} from '@carebox/shared'
import { sql, type NotNull, type RawBuilder } from 'kysely'
import { idsOrNone } from '../auth/scope.js'
import type { Database } from '../db/client.js'
import { localHour } from './local-time.js'
import { coveringSpans } from './report-spans.js'
import type { ReportScope } from './report-scope.js'
import { nobody } from './report-sync.js'
import { timeFigure } from './time-buckets.js'

/**
 * The dashboard's figures, read from the rollups only (report_daily*, report_hourly*, report_conversations): the
 * cost of a query depends on the days and buckets asked for, not on how many messages there were.
 */

interface CounterRow {
  day: string
  channelId: string
  metric: string
  count: number
}

interface BucketRow {
  metric: string
  bucket: number
  count: number
}

/** The daily rollup a scope reads (by agent, by tag, or the plain one) and its filter, days aside. */
function dailySource(scope: ReportScope): { table: RawBuilder<unknown>; filter: RawBuilder<unknown> } {
  const common = sql`team_id = any(${scope.teamIds}::uuid[]) ${scope.channelId ? sql`and channel_id = ${scope.channelId}::uuid` : sql``}`
  if (scope.agentId) return { table: sql`report_daily_agents`, filter: sql`${common} and agent_id = ${scope.agentId}::uuid` }
  if (scope.tag) return { table: sql`report_daily_tags`, filter: sql`${common} and tag = ${scope.tag}` }
  return { table: sql`report_daily`, filter: common }
}

/** The period's days one by one. */
const eachDay = (scope: ReportScope) => sql`span = 1 and day between ${scope.period.info.firstDay}::date and ${scope.period.info.lastDay}::date`

/** Rows summed over the whole period: read from the fewest aligned spans that cover its days. */
export function periodRows(table: RawBuilder<unknown>, scope: ReportScope): RawBuilder<unknown> {
  const cover = coveringSpans(scope.period.info.firstDay, scope.period.info.lastDay)
  return sql`${table} r join unnest(${cover.map((s) => s.length)}::smallint[], ${cover.map((s) => s.day)}::date[]) as p (span, day)
    on r.span = p.span and r.day = p.day`
}

/** Every counter and time histogram summed over the period. */
async function periodTotals(db: Database, scope: ReportScope): Promise<BucketRow[]> {
  const { table, filter } = dailySource(scope)
  const { rows } = await sql<BucketRow>`
    select metric, bucket, sum(count)::float8 as count from ${periodRows(table, scope)} where ${filter} group by metric, bucket`.execute(db)
  return rows
}

/** The counters the charts draw day by day and channel by channel: volume, SLA outcomes and the negative share. */
async function dayCounters(db: Database, scope: ReportScope): Promise<CounterRow[]> {
  const { table, filter } = dailySource(scope)
  const { rows } = await sql<CounterRow>`
    select to_char(day, 'YYYY-MM-DD') as day, channel_id as "channelId", metric, sum(count)::float8 as count from ${table}
    where ${eachDay(scope)} and ${filter} and bucket = -1
      and metric in ('customer_messages', 'replies', 'negative_messages', 'labelled_messages', ${sql.join(slaTargetKinds.flatMap((kind) => [`sla_achieved_${kind}`, `sla_breached_${kind}`]))})
    group by day, channel_id, metric`.execute(db)
  return rows
}

/** The first-response histogram of each day (the trend). */
async function firstResponseByDay(db: Database, scope: ReportScope): Promise<(BucketRow & { day: string })[]> {
  const { table, filter } = dailySource(scope)
  const { rows } = await sql<BucketRow & { day: string }>`
    select to_char(day, 'YYYY-MM-DD') as day, 'frt' as metric, bucket, sum(count)::float8 as count from ${table}
    where ${eachDay(scope)} and ${filter} and metric = 'frt' and bucket >= 0
    group by day, bucket`.execute(db)
  return rows
}

/** Customer messages by local hour of the week, summed in the database (168 rows at most). */
async function hourOfWeekCounts(db: Database, scope: ReportScope): Promise<number[]> {
  const local = sql`(hour at time zone ${scope.period.info.timeZone})`
  const within = sql`hour >= ${scope.period.from}::timestamptz and hour < ${scope.period.to}::timestamptz and team_id = any(${scope.teamIds}::uuid[])
    and metric = 'customer_messages'`
  // Summed by UTC hour first: each hour is then placed in the local week once, not once per channel.
  const byHour = scope.tag
    ? sql`select hour, sum(count) as count from report_hourly_tags where tag = ${scope.tag} and ${within} group by hour`
    : sql`select hour, sum(count) as count from report_hourly where ${within} ${scope.channelId ? sql`and channel_id = ${scope.channelId}::uuid` : sql``} group by hour`
  const { rows } = await sql<{ slot: number; count: number }>`
    select extract(dow from ${local})::int * 24 + extract(hour from ${local})::int as slot, sum(count)::float8 as count
    from (${byHour}) h group by 1`.execute(db)
  const counts = Array.from({ length: 168 }, () => 0)
  for (const row of rows) counts[row.slot] = (counts[row.slot] ?? 0) + row.count
  return counts
}

/** Today hour by hour, per channel: customer messages, replies and the negative share's two counts. */
async function todayByHour(db: Database, scope: ReportScope): Promise<{ hour: Date; channelId: string; metric: string; count: number }[]> {
  const { rows } = await sql<{ hour: Date; channelId: string; metric: string; count: number }>`
    select hour, channel_id as "channelId", metric, sum(count)::float8 as count from report_hourly
    where hour > ${scope.period.from}::timestamptz - interval '1 hour' and hour < ${scope.period.to}::timestamptz and team_id = any(${scope.teamIds}::uuid[])
      ${scope.channelId ? sql`and channel_id = ${scope.channelId}::uuid` : sql``}
      and metric in ('customer_messages', 'replies', 'negative_messages', 'labelled_messages')
    group by hour, channel_id, metric`.execute(db)
  return rows
}

/** The local hours from one instant to another ('YYYY-MM-DDTHH'), each once (a repeated hour at a DST change too). */
function hoursOf(from: Date, to: Date, timeZone: string): string[] {
  const hours = new Set<string>()
  for (let at = from.getTime(); at < to.getTime(); at += 3_600_000) hours.add(localHour(timeZone, new Date(at)))
  return [...hours]
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null)

function slaCounts(total: (metric: string) => number, kinds: readonly string[]): SlaCounts {
  const achieved = kinds.reduce((sum, kind) => sum + total(`sla_achieved_${kind}`), 0)
  const breached = kinds.reduce((sum, kind) => sum + total(`sla_breached_${kind}`), 0)
  return { achieved, breached, rate: rate(achieved, achieved + breached) }
}

function figureOf(buckets: BucketRow[], metric: string): TimeFigure {
  return timeFigure(buckets.filter((b) => b.metric === metric && b.bucket >= 0).map((b) => [b.bucket, b.count] as const))
}

/** Open conversations now: how many, how many wait on us, since when the longest has (from report_conversations). */
async function backlog(db: Database, scope: ReportScope): Promise<ReportHeadline['backlog']> {
  const { rows } = await sql<{ open: number; waiting: number; oldest: Date | null }>`
    select count(*)::int as open, count(r.waiting_since)::int as waiting, min(r.waiting_since) as oldest
    from report_conversations r
    ${scope.agentId ? sql`join conversations c on c.id = r.conversation_id` : sql``}
    where r.status = 'open' and r.team_id = any(${scope.teamIds}::uuid[])
      ${scope.channelId ? sql`and r.channel_id = ${scope.channelId}::uuid` : sql``}
      ${scope.agentId ? sql`and c.assignee_id = ${scope.agentId}::uuid` : sql``}
      ${scope.tag ? sql`and ${scope.tag} = any(r.tags)` : sql``}`.execute(db)
  const row = rows[0]
  return { open: row?.open ?? 0, waiting: row?.waiting ?? 0, oldestWaitingSince: row?.oldest?.toISOString() ?? null }
}

export async function reportSummary(db: Database, scope: ReportScope): Promise<ReportSummary> {
  const { info, days } = scope.period
  const timeZone = info.timeZone
  // Today by the hour from the hourly rollup, unless filtered by agent or tag (kept by day only there).
  const byHour = info.granularity === 'hour' && !scope.agentId && !scope.tag
  const [bucketRows, counterRows, frtRows, hourOfWeek, hourRows, backlogNow, channels] = await Promise.all([
    periodTotals(db, scope),
    dayCounters(db, scope),
    firstResponseByDay(db, scope),
    hourOfWeekCounts(db, scope),
    byHour ? todayByHour(db, scope) : Promise.resolve([]),
    backlog(db, scope),
    db
      .selectFrom('channels')
      .select(['id', 'name', 'kind'])
      .where('teamId', 'in', scope.teamIds.length > 0 ? scope.teamIds : ['00000000-0000-0000-0000-000000000000'])
      .orderBy('name')
      .execute(),
  ])
  const totals = new Map<string, number>()
  for (const row of bucketRows) if (row.bucket === -1) totals.set(row.metric, (totals.get(row.metric) ?? 0) + row.count)
  const total = (metric: string) => totals.get(metric) ?? 0
  const figures = (metric: string) => ({ calendar: figureOf(bucketRows, metric), business: figureOf(bucketRows, `${metric}_bh`) })

  const headline: ReportHeadline = {
    inboundConversations: total('conversations'),
    answeredConversations: total('conversations_answered'),
    conversationResponseRate: rate(total('conversations_answered'), total('conversations')),
    customerMessages: total('customer_messages'),
    answeredMessages: total('answered_messages'),
    messageResponseRate: rate(total('answered_messages'), total('customer_messages')),
    firstResponse: figures('frt'),
    nextResponse: figures('next'),
    resolution: figures('resolution'),
    handle: figures('handle'),
    sla: {
      all: slaCounts(total, ['first_response', 'next_response', 'resolution']),
      first_response: slaCounts(total, ['first_response']),
      next_response: slaCounts(total, ['next_response']),
      resolution: slaCounts(total, ['resolution']),
    },
    resolved: total('resolved'),
    reopened: total('reopened'),
    reopenRate: rate(total('reopened'), total('resolved')),
    replies: total('replies'),
    notes: total('notes'),
    automatedReplies: total('automated'),
    backlog: backlogNow,
  }

  const volume = new Map<string, VolumePoint>()
  const point = (at: string, channelId: string) => {
    const key = `${at}|${channelId}`
    let found = volume.get(key)
    if (!found) volume.set(key, (found = { at, channelId, inbound: 0, replied: 0 }))
    return found
  }
  // Every bucket of the period, quiet ones too: a share of nothing is a gap the chart draws as one.
  const negativeShare = new Map<string, NegativeSharePoint>()
  const sharePoint = (at: string) => {
    let found = negativeShare.get(at)
    if (!found) negativeShare.set(at, (found = { at, negative: 0, labelled: 0 }))
    return found
  }
  for (const at of byHour ? hoursOf(scope.period.from, scope.period.to, timeZone) : days) sharePoint(at)
  const count = (at: string, row: { channelId: string; metric: string; count: number }) => {
    if (row.metric === 'customer_messages') point(at, row.channelId).inbound += row.count
    else if (row.metric === 'replies') point(at, row.channelId).replied += row.count
    else if (row.metric === 'negative_messages') sharePoint(at).negative += row.count
    else if (row.metric === 'labelled_messages') sharePoint(at).labelled += row.count
  }
  if (byHour) {
    // In a half-hour zone the day starts inside a UTC hour: that hour is drawn as the day's first.
    for (const row of hourRows) count(localHour(timeZone, row.hour > scope.period.from ? row.hour : scope.period.from), row)
  } else {
    for (const row of counterRows) count(row.day, row)
  }

  const frtByDay = new Map<string, [number, number][]>()
  for (const row of frtRows) frtByDay.set(row.day, [...(frtByDay.get(row.day) ?? []), [row.bucket, row.count]])
  const slaByDay = new Map<string, { achieved: number; breached: number }>()
  for (const row of counterRows) {
    if (!row.metric.startsWith('sla_')) continue
    const entry = slaByDay.get(row.day) ?? { achieved: 0, breached: 0 }
    if (row.metric.startsWith('sla_achieved')) entry.achieved += row.count
    else entry.breached += row.count
    slaByDay.set(row.day, entry)
  }

  return {
    period: info,
    channels: channels.map((c) => ({ id: c.id, name: c.name, kind: c.kind as ReportSummary['channels'][number]['kind'] })),
    headline,
    volume: [...volume.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.channelId < b.channelId ? -1 : 1)),
    firstResponseTrend: days.map((day) => ({ at: day, ...timeFigure(frtByDay.get(day) ?? []) })),
    slaTrend: days.map((day) => ({ at: day, ...(slaByDay.get(day) ?? { achieved: 0, breached: 0 }) })),
    negativeShareTrend: [...negativeShare.values()].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0)),
    hourOfWeek,
  }
}

/**
 * The per-agent table: one row per person who owned, answered or resolved something in the period, one row for
 * what nobody in particular did (replies written on the platform, conversations nobody owned), and the totals from
 * the team rollup, kept apart from the agents' one: that the rows add up to them is a check, not a given.
 */
export async function agentReport(db: Database, scope: ReportScope): Promise<{ items: AgentReportRow[]; totals: AgentReportRow }> {
  const { filter: agentFilter } = dailySource({ ...scope, agentId: null, tag: null })
  const metrics = sql`('replies', 'resolved', 'reopened', 'frt', 'handle',
    'sla_achieved_first_response', 'sla_achieved_next_response', 'sla_achieved_resolution',
    'sla_breached_first_response', 'sla_breached_next_response', 'sla_breached_resolution')`
  const [{ rows: agentRows }, { rows: teamRows }, { rows: online }] = await Promise.all([
    sql<BucketRow & { agentId: string }>`
      select agent_id as "agentId", metric, bucket, sum(count)::float8 as count from ${periodRows(sql`report_daily_agents`, scope)}
      where ${agentFilter} ${scope.agentId ? sql`and agent_id = ${scope.agentId}::uuid` : sql``} and metric in ${metrics}
      group by agent_id, metric, bucket`.execute(db),
    sql<BucketRow>`
      select metric, bucket, sum(count)::float8 as count from ${periodRows(sql`report_daily`, scope)}
      where ${agentFilter} and metric in ${metrics} group by metric, bucket`.execute(db),
    sql<{ userId: string; seconds: number }>`
      select user_id as "userId", sum(seconds)::float8 as seconds from report_presence_hourly
      where hour >= ${scope.period.from}::timestamptz and hour < ${scope.period.to}::timestamptz
        and user_id in (select user_id from team_members where team_id = any(${scope.teamIds}::uuid[]))
      group by user_id`.execute(db),
  ])
  const onlineOf = new Map(online.map((row) => [row.userId, row.seconds]))
  // Those online now have a stretch not yet written: count it up to now.
  const onlineNow = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.presenceAt'])
    .where('u.presence', '=', 'online')
    .where('u.presenceAt', 'is not', null)
    .where((eb) =>
      eb.exists(eb.selectFrom('teamMembers as m').select('m.userId').whereRef('m.userId', '=', 'u.id').where('m.teamId', 'in', idsOrNone(scope.teamIds))),
    )
    .$narrowType<{ presenceAt: NotNull }>()
    .execute()
  for (const user of onlineNow) {
    const from = Math.max(user.presenceAt.getTime(), scope.period.from.getTime())
    const seconds = (scope.period.to.getTime() - from) / 1000
    if (seconds > 0) onlineOf.set(user.id, (onlineOf.get(user.id) ?? 0) + seconds)
  }
  const ids = [...new Set([...agentRows.map((r) => r.agentId), ...(scope.agentId ? [scope.agentId] : [...onlineOf.keys()])])]
  const people = ids.filter((id) => id !== nobody)
  const names = new Map(
    (people.length > 0 ? await db.selectFrom('users').select(['id', 'name']).where('id', 'in', people).execute() : []).map((u) => [u.id, u.name]),
  )
  const rowOf = (agentId: string | null, name: string, buckets: BucketRow[], onlineSeconds: number): AgentReportRow => {
    const total = (metric: string) => buckets.filter((b) => b.metric === metric && b.bucket === -1).reduce((sum, b) => sum + b.count, 0)
    const resolved = total('resolved')
    const reopened = total('reopened')
    return {
      agentId,
      name,
      replies: total('replies'),
      resolved,
      firstResponse: figureOf(buckets, 'frt'),
      handle: figureOf(buckets, 'handle'),
      sla: slaCounts(total, ['first_response', 'next_response', 'resolution']),
      reopened,
      reopenRate: rate(reopened, resolved),
      onlineSeconds: Math.round(onlineSeconds),
    }
  }
  // Replies written on the platform itself, conversations nobody owned: their own row, last.
  const items = ids
    .map((id) =>
      id === nobody
        ? rowOf(
            null,
            'Nobody in particular',
            agentRows.filter((r) => r.agentId === id),
            0,
          )
        : rowOf(
            id,
            names.get(id) ?? 'Former teammate',
            agentRows.filter((r) => r.agentId === id),
            onlineOf.get(id) ?? 0,
          ),
    )
    .sort((a, b) => (a.agentId === null ? 1 : b.agentId === null ? -1 : a.name.localeCompare(b.name)))
  const totals = rowOf(
    null,
    'Total',
    teamRows,
    [...onlineOf.values()].reduce((sum, s) => sum + s, 0),
  )
  return { items, totals: scope.agentId ? (items[0] ?? totals) : totals }
}
