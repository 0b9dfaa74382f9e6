import { maxReportDays, reportPeriods, reportsApi, type ReportPeriod, type ReportQuery } from '@carebox/shared'
import { canonicalQuery, reportQueryKeys } from '../../store/reports.slice'
import { daysBetween } from './report-format'

export const periodLabels: Record<ReportPeriod, string> = { today: 'Today', '7d': '7 days', '30d': '30 days', '90d': '90 days', custom: 'Custom' }

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const localDatePattern = /^\d{4}-\d{2}-\d{2}$/

function isPeriod(value: string | null): value is ReportPeriod {
  return (reportPeriods as readonly (string | null)[]).includes(value)
}

/** Why a custom range cannot be asked for, or null when it can (or the period is not custom). */
export function customRangeError(query: ReportQuery): string | null {
  if (query.period !== 'custom') return null
  if (!query.from || !query.to) return 'Pick the first and the last day.'
  if (query.from > query.to) return 'The first day comes after the last.'
  if (daysBetween(query.from, query.to).length > maxReportDays) return `A period spans at most ${maxReportDays} days.`
  return null
}

/**
 * The period and filters a dashboard address names (a link a lead shared), or null when it names none. What does not
 * make sense is left out rather than refused: an unknown period, a malformed id, an agent and a tag together (the
 * agent stays), a custom period without both days.
 */
export function parseReportQuery(search: string): ReportQuery | null {
  const params = new URLSearchParams(search)
  if (!reportQueryKeys.some((key) => params.has(key))) return null
  const period = params.get('period')
  const query: ReportQuery = { period: isPeriod(period) ? period : '7d' }
  if (query.period === 'custom') {
    const from = params.get('from') ?? ''
    const to = params.get('to') ?? ''
    if (localDatePattern.test(from) && localDatePattern.test(to)) Object.assign(query, { from, to })
    if (customRangeError(query)) return { period: '7d' }
  }
  for (const key of ['teamId', 'channelId', 'agentId'] as const) {
    const id = params.get(key)
    if (id && uuidPattern.test(id)) query[key] = id.toLowerCase()
  }
  const tag = params.get('tag')?.trim()
  if (tag && tag.length <= 64 && !query.agentId) query.tag = tag
  return query
}

/** `?period=30d&channelId=…`: the query as an address carries it (in the order requests do), for the dashboard's URL and the CSV export. */
export function reportSearch(query: ReportQuery): string {
  const search = new URLSearchParams(canonicalQuery(query)).toString()
  return search ? `?${search}` : ''
}

/** The CSV of the conversations behind the figures on screen: same period, same filters. */
export function exportCsvUrl(query: ReportQuery): string {
  return `${reportsApi.exportCsv.url}${reportSearch(query)}`
}

/** The query with some filters changed; an empty value clears a filter, and an agent and a tag never go together. */
export function withFilters(query: ReportQuery, changes: Partial<Pick<ReportQuery, 'teamId' | 'channelId' | 'agentId' | 'tag'>>): ReportQuery {
  const next: ReportQuery = { ...query, ...changes }
  for (const key of ['teamId', 'channelId', 'agentId', 'tag'] as const) if (!next[key]) delete next[key]
  if (changes.agentId) delete next.tag
  if (changes.tag) delete next.agentId
  return next
}

/** The query over another period; a custom one starts from the days given (those on screen). */
export function withPeriod(query: ReportQuery, period: ReportPeriod, days: { from: string; to: string }): ReportQuery {
  const { from: _from, to: _to, ...rest } = query
  return period === 'custom' ? { ...rest, period, from: days.from, to: days.to } : { ...rest, period }
}
