import { minMeasuredResolutions, type CostFigures, type CostReport, type CostSettings } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { periodRows } from './report-queries.js'
import type { ReportScope } from './report-scope.js'

/**
 * The cost-saving panel, by the formulas of metrics.md:
 *   avoided_cost = resolved social conversations × deflection_rate × cost_per_phone_contact
 *   social_cost  = human handle hours × (agent_hourly_cost + overhead_per_hour), measured from our own data
 *   net_saving = avoided − social; cost_per_resolution = social ÷ resolved; roi = net ÷ social
 * Handle hours are business time from the first public reply to the resolve. With fewer than
 * `minMeasuredResolutions` measured, social cost is the per-conversation default instead, and says so.
 */
interface Basis {
  resolved: number
  handleSeconds: number
  measured: number
}

function socialCostOf(basis: Basis, settings: CostSettings, perConversation: boolean): number {
  return perConversation
    ? basis.resolved * settings.socialCostPerConversation
    : (basis.handleSeconds / 3600) * (settings.agentHourlyCost + settings.overheadPerHour)
}

function figuresAt(deflectionRate: number, basis: Basis, socialCost: number, settings: CostSettings): CostFigures {
  const avoidedCost = basis.resolved * deflectionRate * settings.phoneCostPerContact
  const netSaving = avoidedCost - socialCost
  return { deflectionRate, avoidedCost, netSaving, roi: socialCost > 0 ? netSaving / socialCost : null }
}

export async function costReport(db: Database, scope: ReportScope, settings: CostSettings): Promise<CostReport> {
  const table = scope.agentId ? sql`report_daily_agents` : scope.tag ? sql`report_daily_tags` : sql`report_daily`
  const filter = sql`team_id = any(${scope.teamIds}::uuid[])
    ${scope.channelId ? sql`and channel_id = ${scope.channelId}::uuid` : sql``}
    ${scope.agentId ? sql`and agent_id = ${scope.agentId}::uuid` : sql``}
    ${scope.tag ? sql`and tag = ${scope.tag}` : sql``}`
  const [{ rows }, { rows: measuredRows }] = await Promise.all([
    sql<{ day: string; resolved: number; handleSeconds: number }>`
      select to_char(day, 'YYYY-MM-DD') as day,
        coalesce(sum(count) filter (where metric = 'resolved'), 0)::float8 as resolved,
        coalesce(sum(count) filter (where metric = 'handle_bh_seconds'), 0)::float8 as "handleSeconds"
      from ${table}
      where span = 1 and day between ${scope.period.info.firstDay}::date and ${scope.period.info.lastDay}::date and ${filter}
        and bucket = -1 and metric in ('resolved', 'handle_bh_seconds')
      group by day`.execute(db),
    // How many resolutions had their handle time measured: the handle-time histogram's cases, over the period.
    sql<{ measured: number }>`
      select coalesce(sum(count), 0)::float8 as measured from ${periodRows(table, scope)} where ${filter} and metric = 'handle_bh' and bucket >= 0`.execute(db),
  ])
  const byDay = new Map(rows.map((row) => [row.day, { ...row, measured: 0 }]))
  const total: Basis = {
    resolved: rows.reduce((sum, r) => sum + r.resolved, 0),
    handleSeconds: rows.reduce((sum, r) => sum + r.handleSeconds, 0),
    measured: measuredRows[0]?.measured ?? 0,
  }
  const perConversation = total.measured < minMeasuredResolutions
  const socialCost = socialCostOf(total, settings, perConversation)
  const main = figuresAt(settings.deflectionRate, total, socialCost, settings)
  return {
    settings,
    resolved: total.resolved,
    handleHours: total.handleSeconds / 3600,
    socialCostBasis: perConversation ? 'per_conversation' : 'measured',
    socialCost,
    avoidedCost: main.avoidedCost,
    netSaving: main.netSaving,
    costPerResolution: total.resolved > 0 ? socialCost / total.resolved : null,
    roi: main.roi,
    band: { low: figuresAt(0.25, total, socialCost, settings), high: figuresAt(1, total, socialCost, settings) },
    // Each day on the period's basis, so the days add up to the totals.
    series: scope.period.days.map((day) => {
      const row = byDay.get(day) ?? { resolved: 0, handleSeconds: 0, measured: 0 }
      const social = socialCostOf(row, settings, perConversation)
      const avoided = row.resolved * settings.deflectionRate * settings.phoneCostPerContact
      return { at: day, avoidedCost: avoided, socialCost: social, netSaving: avoided - social }
    }),
  }
}
