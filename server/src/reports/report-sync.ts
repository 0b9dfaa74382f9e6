import { slaTargetKinds, type SlaTargetKind } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import type { BusinessCalendar } from '../sla/business-time.js'
import { toCalendar } from '../sla/sla-policies.repository.js'
import { hourStart, localDay } from './local-time.js'
import { effectiveSentiment } from '../sentiment/effective-sentiment.js'
import { planReport, type Contribution, type CycleFacts, type Metric, type ReportMessage, type ReportResolution, type ReportSlaOutcome } from './report-plan.js'
import { spanLengths, spanStart } from './report-spans.js'

/** What recomputing needs besides the conversations: the teams' clocks (time zone and business hours). */
export interface ReportEnv {
  now: Date
  calendars: Map<string, BusinessCalendar>
  /** Write the days only, not their longer spans: a rebuild sums the spans from the days once, at its end. */
  daysOnly?: boolean
}

/** The agent rollup's row for what nobody in particular did: its rows then add up to the team's on their own. */
export const nobody = '00000000-0000-0000-0000-000000000000'

const utc: BusinessCalendar = { timeZone: 'UTC', shifts: [], holidays: [] }

/** The counters kept by hour as well as by day: volume by hour, the hour-of-week heatmap, surges. */
const hourlyMetrics: ReadonlySet<Metric> = new Set([
  'customer_messages',
  'replies',
  'negative_messages',
  'labelled_messages',
  'conversations',
  'conversations_answered',
])
const tagHourlyMetrics: ReadonlySet<Metric> = new Set(['customer_messages', 'negative_messages', 'labelled_messages'])

interface Dims {
  teamId: string
  channelId: string
  tags: string[]
  timeZone: string
}

/** As stored in report_conversations: [epoch seconds, agent, metric, bucket, count]. */
type StoredContribution = [number, string | null, Metric, number, number]

/** Signed changes to each rollup table, keyed by the row's primary key joined with ',' (which no tag holds). */
class Deltas {
  readonly hourly = new Map<string, number>()
  readonly hourlyTags = new Map<string, number>()
  readonly daily = new Map<string, number>()
  readonly agents = new Map<string, number>()
  readonly tags = new Map<string, number>()

  constructor(private readonly spans: readonly number[]) {}

  add(dims: Dims, contributions: Iterable<StoredContribution>, sign: 1 | -1): void {
    const bump = (map: Map<string, number>, key: string, by: number) => map.set(key, (map.get(key) ?? 0) + by)
    for (const [epoch, agentId, metric, bucket, count] of contributions) {
      const at = new Date(epoch * 1000)
      const by = sign * count
      const day = localDay(dims.timeZone, at)
      for (const span of this.spans) {
        const start = span === 1 ? day : spanStart(day, span)
        bump(this.daily, `${span},${start},${dims.teamId},${dims.channelId},${metric},${bucket}`, by)
        bump(this.agents, `${span},${start},${dims.teamId},${dims.channelId},${agentId ?? nobody},${metric},${bucket}`, by)
        for (const tag of dims.tags) bump(this.tags, `${span},${tag},${start},${dims.teamId},${dims.channelId},${metric},${bucket}`, by)
      }
      if (hourlyMetrics.has(metric)) {
        const hour = hourStart(at).toISOString()
        bump(this.hourly, `${hour},${dims.teamId},${dims.channelId},${metric}`, by)
        if (tagHourlyMetrics.has(metric)) for (const tag of dims.tags) bump(this.hourlyTags, `${hour},${tag},${dims.teamId},${metric}`, by)
      }
    }
  }
}

/** Non-zero changes in key order (the same lock order in every transaction), split into columns. */
function columns(deltas: Map<string, number>): { keys: string[][]; counts: number[] } {
  const entries = [...deltas].filter(([, count]) => count !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return { keys: entries.map(([key]) => key.split(',')), counts: entries.map(([, count]) => count) }
}

const column = (keys: string[][], index: number) => keys.map((key) => key[index] as string)
const numbers = (keys: string[][], index: number) => keys.map((key) => Number(key[index]))

async function applyDeltas(trx: Database, deltas: Deltas): Promise<void> {
  const hourly = columns(deltas.hourly)
  if (hourly.counts.length > 0) {
    await sql`
      insert into report_hourly (hour, team_id, channel_id, metric, count)
      select * from unnest(${column(hourly.keys, 0)}::timestamptz[], ${column(hourly.keys, 1)}::uuid[], ${column(hourly.keys, 2)}::uuid[],
        ${column(hourly.keys, 3)}::text[], ${hourly.counts}::bigint[])
      on conflict (hour, team_id, channel_id, metric) do update set count = report_hourly.count + excluded.count`.execute(trx)
  }
  const hourlyTags = columns(deltas.hourlyTags)
  if (hourlyTags.counts.length > 0) {
    await sql`
      insert into report_hourly_tags (hour, tag, team_id, metric, count)
      select * from unnest(${column(hourlyTags.keys, 0)}::timestamptz[], ${column(hourlyTags.keys, 1)}::text[], ${column(hourlyTags.keys, 2)}::uuid[],
        ${column(hourlyTags.keys, 3)}::text[], ${hourlyTags.counts}::bigint[])
      on conflict (hour, tag, team_id, metric) do update set count = report_hourly_tags.count + excluded.count`.execute(trx)
  }
  const daily = columns(deltas.daily)
  if (daily.counts.length > 0) {
    await sql`
      insert into report_daily (span, day, team_id, channel_id, metric, bucket, count)
      select * from unnest(${numbers(daily.keys, 0)}::smallint[], ${column(daily.keys, 1)}::date[], ${column(daily.keys, 2)}::uuid[],
        ${column(daily.keys, 3)}::uuid[], ${column(daily.keys, 4)}::text[], ${numbers(daily.keys, 5)}::int[], ${daily.counts}::bigint[])
      on conflict (span, day, team_id, metric, channel_id, bucket) do update set count = report_daily.count + excluded.count`.execute(trx)
  }
  const agents = columns(deltas.agents)
  if (agents.counts.length > 0) {
    await sql`
      insert into report_daily_agents (span, day, team_id, channel_id, agent_id, metric, bucket, count)
      select * from unnest(${numbers(agents.keys, 0)}::smallint[], ${column(agents.keys, 1)}::date[], ${column(agents.keys, 2)}::uuid[],
        ${column(agents.keys, 3)}::uuid[], ${column(agents.keys, 4)}::uuid[], ${column(agents.keys, 5)}::text[], ${numbers(agents.keys, 6)}::int[],
        ${agents.counts}::bigint[])
      on conflict (span, day, team_id, metric, channel_id, agent_id, bucket) do update set count = report_daily_agents.count + excluded.count`.execute(trx)
  }
  const tags = columns(deltas.tags)
  if (tags.counts.length > 0) {
    await sql`
      insert into report_daily_tags (span, tag, day, team_id, channel_id, metric, bucket, count)
      select * from unnest(${numbers(tags.keys, 0)}::smallint[], ${column(tags.keys, 1)}::text[], ${column(tags.keys, 2)}::date[],
        ${column(tags.keys, 3)}::uuid[], ${column(tags.keys, 4)}::uuid[], ${column(tags.keys, 5)}::text[], ${numbers(tags.keys, 6)}::int[],
        ${tags.counts}::bigint[])
      on conflict (span, tag, day, team_id, channel_id, metric, bucket) do update set count = report_daily_tags.count + excluded.count`.execute(trx)
  }
}

interface ConversationRow {
  id: string
  channelId: string
  teamId: string
  tags: string[]
  assigneeId: string | null
  status: string
}

interface MessageRow {
  conversationId: string
  sentAt: Date
  kind: string
  direction: string
  automated: boolean
  authorUserId: string | null
  text: string | null
  language: string | null
  sentiment: string | null
}

interface StoredRow {
  conversationId: string
  teamId: string
  channelId: string
  tags: string[]
  timeZone: string
  contributions: StoredContribution[]
}

function groupBy<T extends { conversationId: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    const group = groups.get(row.conversationId)
    if (group) group.push(row)
    else groups.set(row.conversationId, [row])
  }
  return groups
}

function toReportMessage(row: MessageRow): ReportMessage | null {
  if (row.kind === 'note') return { at: row.sentAt, kind: 'note', agentId: row.authorUserId, sentiment: null }
  if (row.direction === 'inbound') {
    const sentiment = effectiveSentiment({ model: row.sentiment, text: row.text ?? '', language: row.language })
    return { at: row.sentAt, kind: 'customer', agentId: null, sentiment }
  }
  return { at: row.sentAt, kind: row.automated ? 'automated' : 'human', agentId: row.authorUserId, sentiment: null }
}

function sameDims(stored: Dims, dims: Dims): boolean {
  return (
    stored.teamId === dims.teamId &&
    stored.channelId === dims.channelId &&
    stored.timeZone === dims.timeZone &&
    stored.tags.length === dims.tags.length &&
    stored.tags.every((tag, i) => tag === dims.tags[i])
  )
}

/** after − before, contribution by contribution (same instant, agent, metric and bucket), without the ones that cancel. */
function netChange(before: StoredContribution[], after: StoredContribution[]): StoredContribution[] {
  const net = new Map<string, StoredContribution>()
  const put = ([epoch, agentId, metric, bucket, count]: StoredContribution, sign: 1 | -1) => {
    const key = `${epoch},${agentId ?? ''},${metric},${bucket}`
    const entry = net.get(key)
    if (entry) entry[4] += sign * count
    else net.set(key, [epoch, agentId, metric, bucket, sign * count])
  }
  for (const c of before) put(c, -1)
  for (const c of after) put(c, 1)
  return [...net.values()].filter((c) => c[4] !== 0)
}

const toStored = (c: Contribution): StoredContribution => [Math.round(c.at.getTime() / 1000), c.agentId, c.metric, c.bucket, c.count]

/**
 * Brings the reports in line with conversations' messages, resolutions and SLA outcomes: recomputes each whole
 * conversation and applies the difference from what it contributed before, in the caller's transaction. Call it
 * after anything that could change a figure (followUpMany does), so the rollups commit with the change.
 */
export async function syncReportsMany(trx: Database, conversationIds: string[], env: ReportEnv): Promise<void> {
  if (conversationIds.length === 0) return
  const ids = [...new Set(conversationIds)].sort()
  const [{ rows: conversations }, { rows: messageRows }, { rows: resolutionRows }, { rows: slaRows }, { rows: storedRows }] = await Promise.all([
    sql<ConversationRow>`
      select c.id, c.channel_id as "channelId", c.team_id as "teamId", c.tags, c.assignee_id as "assigneeId", c.status
      from conversations c join channels ch on ch.id = c.channel_id where c.id = any(${ids}::uuid[])
      order by c.id for no key update of c`.execute(trx),
    sql<MessageRow>`
      select conversation_id as "conversationId", sent_at as "sentAt", kind, direction, automated, author_user_id as "authorUserId",
        case when direction = 'inbound' then text end as text,
        -- The effective label (a person's wins); the text and language read one stored before labels were.
        case when direction = 'inbound' then coalesce(sentiment_override, sentiment) end as sentiment,
        case when direction = 'inbound' then language end as language
      from messages
      where conversation_id = any(${ids}::uuid[]) and kind in ('message', 'note') and deleted_at is null and status <> 'failed'
        -- A rating or a thanks after the resolve starts no new cycle and is no reopen.
        and closes_loop is null
      order by conversation_id, sent_at, id`.execute(trx),
    sql<{ conversationId: string; resolvedAt: Date; assigneeId: string | null }>`
      select conversation_id as "conversationId", resolved_at as "resolvedAt", assignee_id as "assigneeId"
      from conversation_resolutions where conversation_id = any(${ids}::uuid[]) order by resolved_at, id`.execute(trx),
    sql<{ conversationId: string; kind: SlaTargetKind; cycleStartedAt: Date; status: 'achieved' | 'breached'; at: Date }>`
      select conversation_id as "conversationId", kind, cycle_started_at as "cycleStartedAt", status,
        case when status = 'breached' then coalesce(breached_at, due_at) else stopped_at end as at
      from sla_targets where conversation_id = any(${ids}::uuid[]) and status in ('achieved', 'breached')`.execute(trx),
    sql<StoredRow>`
      select conversation_id as "conversationId", team_id as "teamId", channel_id as "channelId", tags, time_zone as "timeZone", contributions
      from report_conversations where conversation_id = any(${ids}::uuid[]) for update`.execute(trx),
  ])
  const messagesOf = groupBy(messageRows)
  const resolutionsOf = groupBy(resolutionRows)
  const slaOf = groupBy(slaRows)
  const storedOf = new Map(storedRows.map((row) => [row.conversationId, row]))
  const deltas = new Deltas(env.daysOnly ? [1] : spanLengths)
  const stored: { id: string; dims: Dims; contributions: StoredContribution[]; status: string; waitingSince: Date | null }[] = []
  const cycles: { conversationId: string; dims: Dims; facts: CycleFacts }[] = []

  for (const conversation of conversations) {
    const calendar = env.calendars.get(conversation.teamId) ?? utc
    const dims: Dims = { teamId: conversation.teamId, channelId: conversation.channelId, tags: [...conversation.tags].sort(), timeZone: calendar.timeZone }
    const plan = planReport({
      messages: (messagesOf.get(conversation.id) ?? []).map(toReportMessage).filter((m): m is ReportMessage => m !== null),
      resolutions: (resolutionsOf.get(conversation.id) ?? []).map((r): ReportResolution => ({ at: r.resolvedAt, assigneeId: r.assigneeId })),
      sla: (slaOf.get(conversation.id) ?? []).filter((s) => slaTargetKinds.includes(s.kind) && s.at).map((s): ReportSlaOutcome => ({ ...s })),
      calendar,
      assigneeId: conversation.assigneeId,
    })
    const contributions = plan.contributions.map(toStored)
    const before = storedOf.get(conversation.id)
    if (before && sameDims(before, dims)) {
      // The usual case (a new message in a known conversation): only what changed is spread over days, spans and
      // tags, not the conversation's whole history twice.
      deltas.add(dims, netChange(before.contributions, contributions), 1)
    } else {
      if (before) deltas.add(before, before.contributions, -1)
      deltas.add(dims, contributions, 1)
    }
    stored.push({
      id: conversation.id,
      dims,
      contributions,
      status: conversation.status,
      waitingSince: conversation.status === 'open' ? plan.waitingSince : null,
    })
    for (const facts of plan.cycles) cycles.push({ conversationId: conversation.id, dims, facts })
  }

  await applyDeltas(trx, deltas)
  if (stored.length > 0) {
    await sql`
      insert into report_conversations (conversation_id, team_id, channel_id, tags, time_zone, contributions, status, waiting_since, updated_at)
      select id, team_id, channel_id, (select coalesce(array_agg(t), '{}') from jsonb_array_elements_text(tags) t), time_zone, contributions, status, waiting_since,
        ${env.now}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(
        stored.map((s) => ({
          id: s.id,
          team_id: s.dims.teamId,
          channel_id: s.dims.channelId,
          tags: s.dims.tags,
          time_zone: s.dims.timeZone,
          contributions: s.contributions,
          status: s.status,
          waiting_since: s.waitingSince,
        })),
      )}::jsonb)
        as r(id uuid, team_id uuid, channel_id uuid, tags jsonb, time_zone text, contributions jsonb, status text, waiting_since timestamptz)
      on conflict (conversation_id) do update set team_id = excluded.team_id, channel_id = excluded.channel_id, tags = excluded.tags,
        time_zone = excluded.time_zone, contributions = excluded.contributions, status = excluded.status, waiting_since = excluded.waiting_since, updated_at = excluded.updated_at`.execute(
      trx,
    )
  }
  await sql`delete from report_cycles where conversation_id = any(${ids}::uuid[])`.execute(trx)
  if (cycles.length > 0) {
    const rows = cycles.map(({ conversationId, dims, facts }) => ({
      conversation_id: conversationId,
      cycle: facts.cycle,
      team_id: dims.teamId,
      channel_id: dims.channelId,
      agent_id: facts.agentId,
      tags: dims.tags,
      started_at: facts.startedAt,
      first_response_at: facts.firstResponseAt,
      first_response_seconds: round(facts.firstResponseSeconds),
      first_response_business_seconds: round(facts.firstResponseBusinessSeconds),
      resolved_at: facts.resolvedAt,
      resolution_seconds: round(facts.resolutionSeconds),
      resolution_business_seconds: round(facts.resolutionBusinessSeconds),
      handle_seconds: round(facts.handleSeconds),
      handle_business_seconds: round(facts.handleBusinessSeconds),
      customer_messages: facts.customerMessages,
      answered_messages: facts.answeredMessages,
      replies: facts.replies,
      reopened: facts.reopened,
      sla_achieved: facts.slaAchieved,
      sla_breached: facts.slaBreached,
    }))
    await sql`
      insert into report_cycles (conversation_id, cycle, team_id, channel_id, agent_id, tags, started_at, first_response_at, first_response_seconds,
        first_response_business_seconds, resolved_at, resolution_seconds, resolution_business_seconds, handle_seconds, handle_business_seconds,
        customer_messages, answered_messages, replies, reopened, sla_achieved, sla_breached)
      select conversation_id, cycle, team_id, channel_id, agent_id, (select coalesce(array_agg(t), '{}') from jsonb_array_elements_text(tags) t), started_at,
        first_response_at, first_response_seconds, first_response_business_seconds, resolved_at, resolution_seconds, resolution_business_seconds,
        handle_seconds, handle_business_seconds, customer_messages, answered_messages, replies, reopened, sla_achieved, sla_breached
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(conversation_id uuid, cycle int, team_id uuid, channel_id uuid, agent_id uuid, tags jsonb,
        started_at timestamptz, first_response_at timestamptz, first_response_seconds int, first_response_business_seconds int, resolved_at timestamptz,
        resolution_seconds int, resolution_business_seconds int, handle_seconds int, handle_business_seconds int, customer_messages int,
        answered_messages int, replies int, reopened boolean, sla_achieved int, sla_breached int)`.execute(trx)
  }
}

const round = (value: number | null) => (value === null ? null : Math.round(value))

/** The teams' clocks, for a sync outside followUpMany (which reads them with everything else). */
export async function loadReportEnv(db: Database, now: Date): Promise<ReportEnv> {
  const teams = await db.selectFrom('teams').select(['id', 'timeZone', 'businessHours']).execute()
  return { now, calendars: new Map(teams.map((team) => [team.id, toCalendar(team)])) }
}

/** For a change nothing else follows up (a note, a reply failing or retried): the reports alone. */
export async function syncReportsNow(trx: Database, conversationIds: string[], now: Date): Promise<void> {
  await syncReportsMany(trx, conversationIds, await loadReportEnv(trx, now))
}
