import { maxReportDays, type ReportPeriod, type ReportPeriodInfo, type ReportQuery } from '@carebox/shared'
import { TZDate } from '@date-fns/tz'
import { AppError } from '../errors.js'
import { localDay } from './local-time.js'

/** A period resolved in a time zone: whole local days, the last one possibly today (then it ends now). */
export interface ResolvedPeriod {
  info: ReportPeriodInfo
  from: Date
  to: Date
  /** Local days, first to last ('YYYY-MM-DD'). */
  days: string[]
}

const lengths: Record<Exclude<ReportPeriod, 'custom'>, number> = { today: 1, '7d': 7, '30d': 30, '90d': 90 }

/** The instant a local day starts in the zone. */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  return new Date(new TZDate(year, month - 1, date, 0, 0, 0, timeZone).getTime())
}

// Local days are counted as calendar dates, in UTC arithmetic whatever the server's own zone (local-midnight
// parsing east of UTC would give back the day before, and a loop over days would never end).
const dayMs = 86_400_000
const dateOf = (day: string) => new Date(`${day}T00:00:00Z`)
const dayPlus = (day: string, days: number) => new Date(dateOf(day).getTime() + days * dayMs).toISOString().slice(0, 10)
const dayAfter = (day: string) => dayPlus(day, 1)

/**
 * Today, the last 7, 30 or 90 days (today included) or a custom range of local days, in the team's zone. A period
 * never reaches past now: figures for the future are empty, not zero.
 */
export function resolvePeriod(query: ReportQuery, timeZone: string, now: Date): ResolvedPeriod {
  const period = query.period ?? '7d'
  const today = localDay(timeZone, now)
  let firstDay: string
  let lastDay: string
  if (period === 'custom') {
    if (!query.from || !query.to) throw new AppError('validation_failed', 'A custom period needs a first and a last day (from, to).')
    if (Number.isNaN(dateOf(query.from).getTime()) || Number.isNaN(dateOf(query.to).getTime()))
      throw new AppError('validation_failed', 'Days are written YYYY-MM-DD.')
    if (query.from > query.to) throw new AppError('validation_failed', 'The first day comes after the last.')
    if (query.from > today) throw new AppError('validation_failed', 'The period starts in the future.')
    firstDay = query.from
    lastDay = query.to > today ? today : query.to
    if ((dateOf(lastDay).getTime() - dateOf(firstDay).getTime()) / dayMs + 1 > maxReportDays)
      throw new AppError('validation_failed', `A period spans at most ${maxReportDays} days.`)
  } else {
    if (query.from || query.to) throw new AppError('validation_failed', 'from and to go with period=custom.')
    lastDay = today
    firstDay = dayPlus(today, 1 - lengths[period])
  }
  const days: string[] = []
  for (let day = firstDay; day <= lastDay; day = dayAfter(day)) days.push(day)
  const from = startOfLocalDay(firstDay, timeZone)
  const end = startOfLocalDay(dayAfter(lastDay), timeZone)
  const to = end > now ? now : end
  return {
    from,
    to,
    days,
    info: { period, from: from.toISOString(), to: to.toISOString(), timeZone, firstDay, lastDay, granularity: days.length === 1 ? 'hour' : 'day' },
  }
}
