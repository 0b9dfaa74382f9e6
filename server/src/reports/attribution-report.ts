import { attributionSources, maxAttributionCampaigns, type AttributionReport, type AttributionRow, type AttributionSource } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import type { ReportScope } from './report-scope.js'

/**
 * Conversations by where they came from: their first touch's kind (ad, link; organic without one) and campaign.
 * Built on the per-cycle figures the dashboard's export uses (report_cycles), with the dashboard's definitions
 * (docs/metrics.md): a conversation counts when a customer message began a cycle in the period; answered when one
 * of those cycles got a public human reply; its first response times are those cycles'; resolved when the latest
 * of them has been; satisfaction is those cycles' answered surveys, 4s and 5s ÷ answers × 100.
 */

interface CountRow {
  source: AttributionSource
  campaign: string | null
  isSourceRow: boolean
  conversations: number
  answered: number
  resolved: number
  headline: string | null
}

interface CycleFiguresRow {
  source: AttributionSource
  campaign: string | null
  isSourceRow: boolean
  median: number | null
  p90: number | null
  measured: number
  ratings: number
  satisfied: number
}

interface OutcomeTotalsRow {
  source: AttributionSource
  campaign: string | null
  isSourceRow: boolean
  kind: 'lead' | 'purchase'
  currency: string | null
  count: number
  value: number | null
}

/** The period's cycles with their conversation's first touch and their answered survey. */
function cyclesOf(scope: ReportScope) {
  return sql`
    select rc.conversation_id, rc.started_at, rc.first_response_at, rc.first_response_seconds, rc.resolved_at,
      coalesce(r.kind, 'organic') as source, r.campaign, r.headline, r.received_at,
      (select s.rating from conversation_resolutions res join surveys s on s.resolution_id = res.id
        where res.conversation_id = rc.conversation_id and res.resolved_at = rc.resolved_at and s.rating is not null
        order by s.answered_at limit 1) as rating
    from report_cycles rc
    left join conversation_referrals r on r.conversation_id = rc.conversation_id and r.first_touch
    where rc.team_id = any(${scope.teamIds}::uuid[])
      and rc.started_at >= ${scope.period.from}::timestamptz and rc.started_at < ${scope.period.to}::timestamptz
      ${scope.channelId ? sql`and rc.channel_id = ${scope.channelId}::uuid` : sql``}
      ${scope.agentId ? sql`and rc.agent_id = ${scope.agentId}::uuid` : sql``}
      ${scope.tag ? sql`and ${scope.tag} = any(rc.tags)` : sql``}`
}

/** One row per conversation: whether any of its cycles was answered, whether its latest is resolved. */
function conversationsOf(scope: ReportScope) {
  return sql`
    select conversation_id, source, campaign,
      bool_or(first_response_at is not null) as answered,
      (array_agg(resolved_at is not null order by started_at desc))[1] as resolved,
      (array_agg(headline order by received_at desc) filter (where headline is not null))[1] as headline
    from (${cyclesOf(scope)}) cycles
    group by conversation_id, source, campaign`
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null)

function emptyRow(source: AttributionSource, campaign: string | null): AttributionRow {
  return {
    source,
    campaign,
    headline: null,
    conversations: 0,
    answered: 0,
    responseRate: null,
    firstResponse: { median: null, p90: null, count: 0 },
    resolved: 0,
    resolutionRate: null,
    ratings: 0,
    satisfied: 0,
    satisfaction: null,
    leads: 0,
    purchases: 0,
    revenue: [],
  }
}

export async function attributionReport(db: Database, scope: ReportScope): Promise<AttributionReport> {
  const [{ rows: counts }, { rows: figures }, { rows: outcomes }] = await Promise.all([
    sql<CountRow>`
      select source, campaign, grouping(campaign) = 1 as "isSourceRow", count(*)::int as conversations,
        count(*) filter (where answered)::int as answered, count(*) filter (where resolved)::int as resolved,
        (array_agg(headline) filter (where headline is not null))[1] as headline
      from (${conversationsOf(scope)}) c
      group by grouping sets ((source), (source, campaign))`.execute(db),
    sql<CycleFiguresRow>`
      select source, campaign, grouping(campaign) = 1 as "isSourceRow",
        percentile_cont(0.5) within group (order by first_response_seconds) as median,
        percentile_cont(0.9) within group (order by first_response_seconds) as p90,
        count(first_response_seconds)::int as measured,
        count(rating)::int as ratings, count(*) filter (where rating >= 4)::int as satisfied
      from (${cyclesOf(scope)}) cycles
      group by grouping sets ((source), (source, campaign))`.execute(db),
    sql<OutcomeTotalsRow>`
      select c.source, c.campaign, grouping(c.campaign) = 1 as "isSourceRow", o.kind, o.currency, count(*)::int as count,
        sum(o.value)::float8 as value
      from (${conversationsOf(scope)}) c join conversation_outcomes o on o.conversation_id = c.conversation_id
      group by grouping sets ((c.source, o.kind, o.currency), (c.source, c.campaign, o.kind, o.currency))`.execute(db),
  ])

  const rows = new Map<string, AttributionRow>()
  const rowOf = (source: AttributionSource, campaign: string | null, isSourceRow: boolean): AttributionRow => {
    const key = isSourceRow ? `source:${source}` : `campaign:${source}:${campaign ?? ''}`
    let row = rows.get(key)
    if (!row) rows.set(key, (row = emptyRow(source, isSourceRow ? null : campaign)))
    return row
  }
  for (const source of attributionSources) rowOf(source, null, true)
  for (const count of counts) {
    const row = rowOf(count.source, count.campaign, count.isSourceRow)
    row.conversations = count.conversations
    row.answered = count.answered
    row.responseRate = rate(count.answered, count.conversations)
    row.resolved = count.resolved
    row.resolutionRate = rate(count.resolved, count.conversations)
    if (!count.isSourceRow) row.headline = count.headline
  }
  for (const figure of figures) {
    const row = rowOf(figure.source, figure.campaign, figure.isSourceRow)
    row.firstResponse = { median: figure.median, p90: figure.p90, count: figure.measured }
    row.ratings = figure.ratings
    row.satisfied = figure.satisfied
    row.satisfaction = figure.ratings > 0 ? Math.round((figure.satisfied / figure.ratings) * 1000) / 10 : null
  }
  for (const outcome of outcomes) {
    const row = rowOf(outcome.source, outcome.campaign, outcome.isSourceRow)
    if (outcome.kind === 'lead') row.leads += outcome.count
    else {
      row.purchases += outcome.count
      if (outcome.currency && outcome.value !== null) row.revenue.push({ currency: outcome.currency, value: Math.round(outcome.value * 100) / 100 })
    }
  }
  for (const row of rows.values()) row.revenue.sort((a, b) => b.value - a.value || a.currency.localeCompare(b.currency))

  const bySource = attributionSources.map((source) => rowOf(source, null, true))
  const byCampaign = [...rows.entries()]
    .filter(([key, row]) => key.startsWith('campaign:') && row.source !== 'organic')
    .map(([, row]) => row)
    .sort((a, b) => b.conversations - a.conversations || a.source.localeCompare(b.source) || (a.campaign ?? '').localeCompare(b.campaign ?? ''))
    .slice(0, maxAttributionCampaigns)
  return { period: scope.period.info, bySource, byCampaign }
}
