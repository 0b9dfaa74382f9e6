import type { BusinessHours } from '@carebox/shared'

type Shift = BusinessHours['shifts'][number]

/** Indexed by the contract's weekday: 0 is Sunday. */
export const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const

/** One opening interval as the time inputs hold it ("HH:MM", or "" while half typed). */
export interface Interval {
  opens: string
  closes: string
}
/** Seven days, Sunday first, each with zero or more intervals: two or more make a split shift. */
export type Week = Interval[][]

// A time input cannot hold 24:00, so a shift that runs to midnight is entered as closing at 00:00.
const midnight = '24:00'
const shownMidnight = '00:00'

export function weekOf(shifts: readonly Shift[]): Week {
  return weekdayNames.map((_, weekday) =>
    shifts
      .filter((s) => s.weekday === weekday)
      .sort((a, b) => a.opens.localeCompare(b.opens))
      .map((s) => ({ opens: s.opens, closes: s.closes === midnight ? shownMidnight : s.closes })),
  )
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number)
  return (hours ?? 0) * 60 + (minutes ?? 0)
}

function toTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

/** A day's next interval: 9 to 5 on an empty day, otherwise the four hours after its last one closes. */
export function nextInterval(day: readonly Interval[]): Interval {
  const last = day.at(-1)
  if (!last) return { opens: '09:00', closes: '17:00' }
  const from = last.closes === shownMidnight ? 24 * 60 : minutesOf(last.closes)
  return { opens: toTime(Math.min(from, 23 * 60)), closes: toTime(Math.min(from + 4 * 60, 24 * 60)).replace(midnight, shownMidnight) }
}

const timePattern = /^([01]\d|2[0-3]):[0-5]\d$/

/** The shifts to send, each day's sorted by opening; or what is wrong, named by day. */
export function shiftsOf(week: Week): { shifts: Shift[] } | { error: string } {
  const shifts: Shift[] = []
  for (const [weekday, day] of week.entries()) {
    const name = weekdayNames[weekday]
    if (day.some((i) => !timePattern.test(i.opens) || !timePattern.test(i.closes))) return { error: `${name}: enter both the opening and the closing time.` }
    const intervals = day
      .map((i) => ({ opens: i.opens, closes: i.closes === shownMidnight ? midnight : i.closes }))
      .sort((a, b) => a.opens.localeCompare(b.opens))
    for (const [index, interval] of intervals.entries()) {
      if (minutesOf(interval.closes) <= minutesOf(interval.opens)) return { error: `${name}: ${interval.opens} to ${interval.closes} closes before it opens.` }
      const previous = intervals[index - 1]
      if (previous && minutesOf(interval.opens) < minutesOf(previous.closes)) return { error: `${name}: the hours overlap.` }
      shifts.push({ weekday, ...interval })
    }
  }
  return { shifts }
}
