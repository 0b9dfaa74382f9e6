import { maxReportDays } from '@carebox/shared'

const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 })
const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 })
const decimalFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 })
const moneyFormats = new Map<string, Intl.NumberFormat>()
// Local days are written as UTC dates, so the browser's own zone cannot shift them.
const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' })

/** "42.5%", or a dash when there was nothing to divide by. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : percentFormat.format(rate)
}

/** A count or an amount of hours: "1,204", "2.5". */
export function formatNumber(value: number): string {
  return numberFormat.format(value)
}

/** A count with its noun: "1 rating", "12 ratings". */
export function formatCount(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`
}

/** A satisfaction score out of 100 as people read it: "92.5%", or a dash with no ratings. */
export function formatScore(score: number | null): string {
  return formatRate(score === null ? null : score / 100)
}

/** A rate or factor as entered, to the hundredth: "0.25", "1.5". */
export function formatDecimal(value: number): string {
  return decimalFormat.format(value)
}

/**
 * A time figure as people read it: "45 s", "4 min 10 s", "25 min", "1 h 20 min", "3 d 4 h", or a dash with no cases.
 * No finer than the figures are kept (10 s under 10 minutes, then the minute, 10 minutes, the hour).
 */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '—'
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s} s`
  const minutes = Math.floor(s / 60)
  if (s < 600) return s % 60 ? `${minutes} min ${s % 60} s` : `${minutes} min`
  if (s < 3_600) return `${minutes} min`
  const hours = Math.floor(s / 3_600)
  if (s < 86_400) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`
  const days = Math.floor(s / 86_400)
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`
}

/** An amount in the workspace's currency: "$1,204.50". An unknown currency code still shows the amount. */
export function formatMoney(amount: number | null, currency: string): string {
  if (amount === null) return '—'
  let format = moneyFormats.get(currency)
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency })
    } catch {
      return `${amount.toFixed(2)} ${currency}`
    }
    moneyFormats.set(currency, format)
  }
  return format.format(amount)
}

/** A chart's axis label for a point: "3 Mar" for a local day, "14:00" for a local hour. */
export function formatBucket(at: string): string {
  const hour = /T(\d{2})/.exec(at)?.[1]
  if (hour) return `${hour}:00`
  const [year, month, day] = at.split('-').map(Number) as [number, number, number]
  return dayFormat.format(new Date(Date.UTC(year, month - 1, day)))
}

const longDayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })

/** A local day ('YYYY-MM-DD') as people read it: "3 Mar 2026". */
export function formatDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  return longDayFormat.format(new Date(Date.UTC(year, month - 1, date)))
}

/** The local days from first to last, inclusive ('YYYY-MM-DD'). */
export function daysBetween(firstDay: string, lastDay: string): string[] {
  const days: string[] = []
  const [year, month, day] = firstDay.split('-').map(Number) as [number, number, number]
  for (let at = new Date(Date.UTC(year, month - 1, day)); ; at.setUTCDate(at.getUTCDate() + 1)) {
    const text = at.toISOString().slice(0, 10)
    if (text > lastDay || days.length > maxReportDays) break
    days.push(text)
  }
  return days
}

/** The buckets a period's charts run over, in order, so quiet days and hours show as zero rather than vanish. */
export function bucketsOf(period: { firstDay: string; lastDay: string; granularity: 'hour' | 'day' }): string[] {
  if (period.granularity === 'day') return daysBetween(period.firstDay, period.lastDay)
  return Array.from({ length: 24 }, (_, hour) => `${period.firstDay}T${String(hour).padStart(2, '0')}`)
}
