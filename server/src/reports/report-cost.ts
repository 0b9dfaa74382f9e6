import { minMeasuredResolutions, type CostBreakdown, type CostFigures, type CostReport, type CostSettings } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import type { ReportScope } from './report-scope.js'

/**
 * The cost-saving panel, by the formulas of metrics.md:
 *   avoided_cost = resolved social conversations × deflection_rate × cost_per_phone_contact
 *   social_cost  = working hours × (agent_hourly_cost + overhead_per_hour), measured from our own data
 *   net_saving = avoided − social; cost_per_resolution = social ÷ resolved; roi = net ÷ social
 * Working hours are the minutes agents actually spent in the conversations (`agent_work_minutes`: the thread open
 * and in focus in their console, the person active), not wall-clock spans nobody worked. While fewer than
 * `minMeasuredResolutions` resolved conversations have working time recorded, social cost is the per-conversation
 * default instead, and says so.
 */
interface Basis {
  resolved: number
  workedMinutes: number
}

function socialCostOf(basis: Basis, settings: CostSettings, perConversation: boolean): number {
  return perConversation
    ? basis.resolved * settings.socialCostPerConversation
    : (basis.workedMinutes / 60) * (settings.agentHourlyCost + settings.overheadPerHour)
}

function figuresAt(deflectionRate: number, basis: Basis, socialCost: number, settings: CostSettings): CostFigures {
  const avoidedCost = basis.resolved * deflectionRate * settings.phoneCostPerContact
  const netSaving = avoidedCost - socialCost
  return { deflectionRate, avoidedCost, netSaving, roi: socialCost > 0 ? netSaving / socialCost : null }
}

/** The scope's conversations (alias c) and, with an agent filter, that agent's minutes (alias w). */
function conversationFilter(scope: ReportScope) {
  return sql`c.team_id = any(${scope.teamIds}::uuid[])
    ${scope.channelId ? sql`and c.channel_id = ${scope.channelId}::uuid` : sql``}
    ${scope.tag ? sql`and ${scope.tag} = any(c.tags)` : sql``}`
}

function workerFilter(scope: ReportScope) {
  return scope.agentId ? sql`and w.user_id = ${scope.agentId}::uuid` : sql``
}

function moneyIn(currency: string) {
  return (amount: number) => {
    const whole = Math.abs(amount) >= 100 || Number.isInteger(amount)
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: whole ? 0 : 2, minimumFractionDigits: whole ? 0 : 2 }).format(
      amount,
    )
  }
}

const oneDecimal = (n: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(n)

/** The sentence a lead reads: each input, what it contributes, and the result. */
function explain(b: Omit<CostBreakdown, 'explanation'>, settings: CostSettings, socialCost: number, avoidedCost: number): string {
  const money = moneyIn(settings.currency)
  const plural = (n: number, one: string, many: string) => `${oneDecimal(n)} ${n === 1 ? one : many}`
  const avoided = `${plural(b.resolved, 'resolved conversation', 'resolved conversations')} × ${Math.round(settings.deflectionRate * 100)}% that would have been calls × ${money(settings.phoneCostPerContact)} per call = ${money(avoidedCost)} avoided`
  const social =
    b.basis === 'measured'
      ? `${plural(b.workedHours, 'hour', 'hours')} agents spent in ${plural(b.workedConversations, 'conversation', 'conversations')} × ${money(b.hourlyCost)} an hour = ${money(socialCost)}`
      : `${oneDecimal(b.resolved)} resolved × ${money(settings.socialCostPerConversation)} per conversation = ${money(socialCost)}, the default until ${minMeasuredResolutions} resolved conversations have working time recorded (${oneDecimal(b.measuredResolutions)} so far)`
  const net = avoidedCost - socialCost
  return `${avoided}; ${social}; net ${net < 0 ? `−${money(-net)}` : money(net)}.`
}

export async function costReport(db: Database, scope: ReportScope, settings: CostSettings): Promise<CostReport> {
  const table = scope.agentId ? sql`report_daily_agents` : scope.tag ? sql`report_daily_tags` : sql`report_daily`
  const filter = sql`team_id = any(${scope.teamIds}::uuid[])
    ${scope.channelId ? sql`and channel_id = ${scope.channelId}::uuid` : sql``}
    ${scope.agentId ? sql`and agent_id = ${scope.agentId}::uuid` : sql``}
    ${scope.tag ? sql`and tag = ${scope.tag}` : sql``}`
  const { from, to, info } = scope.period
  const [{ rows }, { rows: workRows }, { rows: measuredRows }] = await Promise.all([
    sql<{ day: string; resolved: number }>`
      select to_char(day, 'YYYY-MM-DD') as day, coalesce(sum(count), 0)::float8 as resolved
      from ${table}
      where span = 1 and day between ${info.firstDay}::date and ${info.lastDay}::date and ${filter}
        and bucket = -1 and metric = 'resolved'
      group by day`.execute(db),
    // Working minutes by local day, and (the row without a day) the period's total and its conversations.
    sql<{ day: string | null; minutes: number; conversations: number }>`
      select to_char((w.minute at time zone ${info.timeZone})::date, 'YYYY-MM-DD') as day,
        count(*)::float8 as minutes, count(distinct w.conversation_id)::float8 as conversations
      from agent_work_minutes w join conversations c on c.id = w.conversation_id
      where w.minute >= ${from} and w.minute < ${to} and ${conversationFilter(scope)} ${workerFilter(scope)}
      group by grouping sets ((1), ())`.execute(db),
    // How many of the period's resolutions had working time recorded: enough of them, and the measure stands.
    sql<{ measured: number }>`
      select count(distinct r.conversation_id)::float8 as measured
      from conversation_resolutions r join conversations c on c.id = r.conversation_id
      where r.resolved_at >= ${from} and r.resolved_at < ${to} and ${conversationFilter(scope)}
        and exists (select 1 from agent_work_minutes w where w.conversation_id = r.conversation_id ${workerFilter(scope)})`.execute(db),
  ])
  const workByDay = new Map(workRows.filter((row) => row.day !== null).map((row) => [row.day as string, row.minutes]))
  const workTotal = workRows.find((row) => row.day === null)
  const resolvedByDay = new Map(rows.map((row) => [row.day, row.resolved]))
  const total: Basis = { resolved: rows.reduce((sum, r) => sum + r.resolved, 0), workedMinutes: workTotal?.minutes ?? 0 }
  const measuredResolutions = measuredRows[0]?.measured ?? 0
  const perConversation = measuredResolutions < minMeasuredResolutions
  const socialCost = socialCostOf(total, settings, perConversation)
  const main = figuresAt(settings.deflectionRate, total, socialCost, settings)
  const facts: Omit<CostBreakdown, 'explanation'> = {
    workedHours: total.workedMinutes / 60,
    workedConversations: workTotal?.conversations ?? 0,
    measuredResolutions,
    resolved: total.resolved,
    hourlyCost: settings.agentHourlyCost + settings.overheadPerHour,
    avoidedPerResolution: settings.deflectionRate * settings.phoneCostPerContact,
    basis: perConversation ? 'per_conversation' : 'measured',
  }
  return {
    settings,
    resolved: total.resolved,
    handleHours: facts.workedHours,
    socialCostBasis: facts.basis,
    socialCost,
    avoidedCost: main.avoidedCost,
    netSaving: main.netSaving,
    costPerResolution: total.resolved > 0 ? socialCost / total.resolved : null,
    roi: main.roi,
    band: { low: figuresAt(0.25, total, socialCost, settings), high: figuresAt(1, total, socialCost, settings) },
    breakdown: { ...facts, explanation: explain(facts, settings, socialCost, main.avoidedCost) },
    // Each day on the period's basis, so the days add up to the totals.
    series: scope.period.days.map((day) => {
      const row: Basis = { resolved: resolvedByDay.get(day) ?? 0, workedMinutes: workByDay.get(day) ?? 0 }
      const social = socialCostOf(row, settings, perConversation)
      const avoided = row.resolved * settings.deflectionRate * settings.phoneCostPerContact
      return { at: day, avoidedCost: avoided, socialCost: social, netSaving: avoided - social }
    }),
  }
}
