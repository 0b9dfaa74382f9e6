/**
 * Business-hours arithmetic for SLA clocks: pure functions, no I/O.
 *
 * A shift is wall-clock time on one local date in the calendar's zone. It is open from the first instant that date's
 * wall clock reads `opens` (or later) until the last instant it still reads earlier than `closes`. Where clocks jump:
 * - a skipped wall time (spring forward: Prague 02:00–03:00) maps to the instant just after the gap, for `opens` and
 *   `closes` alike, so 01:00–05:00 is 3 real hours and a shift lying wholly inside the gap has no open time that day;
 * - a repeated wall time (fall back) opens at its first occurrence and closes at its last, so 01:00–05:00 is 5 real
 *   hours and nobody is sent home for the repeated hour.
 * Open time is real elapsed time (ms / 60 000). A shift ending at 24:00 and one starting at 00:00 the next day touch,
 * so counting runs across midnight without a break.
 *
 * `new TZDate(y, m, d, h, min, zone)` resolves a skipped 02:30 to 03:30 and a repeated one to its later occurrence,
 * neither of which is the rule above. So shift edges come from walking the zone's offset changes instead: offsets come
 * from `tzOffset`, the wall clock at the start of each stretch from `TZDate`, and the only arithmetic is elapsed time
 * inside a stretch with one offset. (`tzScan` resolves changes to whole hours only, which misses half-hour zones such
 * as America/St_Johns.)
 */
import { TZDate, tzOffset } from '@date-fns/tz'
import { millisecondsInDay, millisecondsInMinute, millisecondsInWeek, minutesInDay, minutesInHour } from 'date-fns/constants'

/** One opening interval on a weekday, local wall-clock time 'HH:mm' (24 h). closes may be '24:00'. opens < closes. */
export interface Shift {
  /** 0 = Sunday, like Date#getDay. */
  weekday: 0 | 1 | 2 | 3 | 4 | 5 | 6
  opens: string
  closes: string
}

export interface BusinessCalendar {
  /** IANA, e.g. 'Europe/Prague'. */
  timeZone: string
  /** Several per weekday = split shifts; may be empty (then never open). */
  shifts: Shift[]
  /** Local dates 'YYYY-MM-DD' when closed all day. */
  holidays: string[]
}

/** How long a stretch of local dates without open time must be before we decide the calendar never opens. */
const searchDays = 400
/**
 * Offset changes are weeks apart in every zone (the closest pair, Morocco's Ramadan pause, about a month). Probing
 * weekly sees each one, and bisection then finds its exact millisecond; only two changes cancelling out within one
 * week would go unseen.
 */
const probeStepMs = millisecondsInWeek
const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** Instants as epoch milliseconds, start inclusive, end exclusive. */
interface Interval {
  start: number
  end: number
}

/** Instants with one UTC offset, so the wall clock advances with real time from `wallStart`. */
interface Stretch extends Interval {
  /** Wall clock at `start`, written as if it were a UTC instant (local midnight of day n is n * millisecondsInDay). */
  wallStart: number
}

/** Minutes after local midnight. */
interface ParsedShift {
  opens: number
  closes: number
}

interface ParsedCalendar {
  timeZone: string
  /** Indexed by weekday, each list ordered by `opens`. */
  shiftsByWeekday: ParsedShift[][]
  /** Local dates as days since 1970-01-01. */
  holidays: Set<number>
  hasShifts: boolean
}

/** Is the calendar open at this instant? */
export function isOpenAt(calendar: BusinessCalendar, at: Date): boolean {
  return nextOpening(calendar, at)?.getTime() === at.getTime()
}

/**
 * The instant `minutes` of open time after `from` (if `from` is outside hours, counting starts at the next opening).
 * minutes = 0 returns the next opening at or after from. Returns null if the calendar has no open time at all (no
 * shifts, or nothing open within ~400 days). The result is rounded to the millisecond, the precision of a Date.
 */
export function addBusinessMinutes(calendar: BusinessCalendar, from: Date, minutes: number): Date | null {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`Business minutes must be a finite number >= 0, not ${minutes}.`)
  let remainingMs = Math.round(minutes * millisecondsInMinute)
  for (const interval of openIntervalsFrom(parseValidCalendar(calendar), instantOf(from))) {
    // `<=` lets a deadline land exactly on a closing time instead of moving to the next opening.
    if (remainingMs <= interval.end - interval.start) return new Date(interval.start + remainingMs)
    remainingMs -= interval.end - interval.start
  }
  return null
}

/** Open minutes between two instants (0 if to <= from). Fractional minutes allowed (use milliseconds internally). */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const end = instantOf(to)
  let openMs = 0
  for (const interval of openIntervalsFrom(parseValidCalendar(calendar), instantOf(from))) {
    if (interval.start >= end) break
    openMs += Math.min(interval.end, end) - interval.start
  }
  return openMs / millisecondsInMinute
}

/** The next instant at or after `from` when the calendar opens (from itself if open). null if never. */
export function nextOpening(calendar: BusinessCalendar, from: Date): Date | null {
  const first = openIntervalsFrom(parseValidCalendar(calendar), instantOf(from)).next()
  return first.done ? null : new Date(first.value.start)
}

/**
 * Validation of a calendar's shape: returns a list of human-readable problems (empty when valid): bad time zone,
 * bad 'HH:mm', opens >= closes, overlapping shifts on the same weekday, bad holiday dates. The other functions throw
 * a RangeError for a calendar with problems rather than guess what it means.
 */
export function calendarProblems(calendar: BusinessCalendar): string[] {
  return parseCalendar(calendar).problems
}

function parseValidCalendar(calendar: BusinessCalendar): ParsedCalendar {
  const { problems, parsed } = parseCalendar(calendar)
  if (problems.length > 0) throw new RangeError(`Invalid business calendar: ${problems.join(' ')}`)
  return parsed
}

function parseCalendar(calendar: BusinessCalendar): { problems: string[]; parsed: ParsedCalendar } {
  const problems: string[] = []
  if (!isTimeZone(calendar.timeZone)) problems.push(`Time zone "${calendar.timeZone}" is not an IANA time zone.`)

  const shiftsByWeekday: ParsedShift[][] = weekdayNames.map(() => [])
  calendar.shifts.forEach((shift, index) => {
    const name = `Shift ${index + 1} (${weekdayNames[shift.weekday] ?? `weekday ${shift.weekday}`} ${shift.opens}–${shift.closes})`
    const opens = parseClock(shift.opens, false)
    const closes = parseClock(shift.closes, true)
    const weekdayShifts = shiftsByWeekday[shift.weekday]
    if (!weekdayShifts) problems.push(`${name}: weekday must be 0 (Sunday) to 6 (Saturday).`)
    if (opens === null) problems.push(`${name}: opens must be a time 'HH:mm' from 00:00 to 23:59.`)
    if (closes === null) problems.push(`${name}: closes must be a time 'HH:mm' from 00:01 to 24:00.`)
    if (!weekdayShifts || opens === null || closes === null) return
    if (opens >= closes) {
      problems.push(`${name}: opens must be before closes; split a shift over midnight into one ending 24:00 and one starting 00:00.`)
      return
    }
    const overlapped = weekdayShifts.find((other) => opens < other.closes && other.opens < closes)
    if (overlapped) {
      const other = `${formatClock(overlapped.opens)}–${formatClock(overlapped.closes)}`
      problems.push(`${name} overlaps another ${weekdayNames[shift.weekday]} shift (${other}).`)
    }
    weekdayShifts.push({ opens, closes })
  })
  for (const shifts of shiftsByWeekday) shifts.sort((a, b) => a.opens - b.opens)

  const holidays = new Set<number>()
  for (const holiday of calendar.holidays) {
    const day = parseLocalDate(holiday)
    if (day === null) problems.push(`Holiday "${holiday}" is not a date 'YYYY-MM-DD'.`)
    else holidays.add(day)
  }

  const hasShifts = shiftsByWeekday.some((shifts) => shifts.length > 0)
  return { problems, parsed: { timeZone: calendar.timeZone, shiftsByWeekday, holidays, hasShifts } }
}

/** Zones already accepted: building an Intl.DateTimeFormat costs far more than the rest of a calculation. */
const knownTimeZones = new Set<string>()

function isTimeZone(timeZone: unknown): boolean {
  if (typeof timeZone !== 'string') return false
  if (knownTimeZones.has(timeZone)) return true
  // Asked of Intl rather than of TZDate: TZDate also accepts any string containing an offset, e.g. 'Mars+01'.
  try {
    Intl.DateTimeFormat('en-US', { timeZone })
  } catch {
    return false
  }
  knownTimeZones.add(timeZone)
  return true
}

const clockPattern = /^([01]\d|2[0-3]):([0-5]\d)$/

/** Minutes after local midnight of 'HH:mm', or null. '24:00' (the end of the day) is a closing time only. */
function parseClock(value: unknown, isClosing: boolean): number | null {
  if (isClosing && value === '24:00') return minutesInDay
  const match = typeof value === 'string' ? clockPattern.exec(value) : null
  return match ? Number(match[1]) * minutesInHour + Number(match[2]) : null
}

function formatClock(minutes: number): string {
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${pad(Math.floor(minutes / minutesInHour))}:${pad(minutes % minutesInHour)}`
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/

/** Days since 1970-01-01 of a date 'YYYY-MM-DD', or null when malformed or impossible (2026-02-30). */
function parseLocalDate(value: unknown): number | null {
  const match = typeof value === 'string' ? datePattern.exec(value) : null
  if (!match) return null
  const midnight = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
  // Date.UTC rolls 02-30 over into March; a date that does not survive the round trip does not exist.
  return new Date(midnight).toISOString().startsWith(`${value}T`) ? midnight / millisecondsInDay : null
}

function instantOf(date: Date): number {
  const instant = date.getTime()
  if (Number.isNaN(instant)) throw new RangeError('Invalid Date.')
  return instant
}

/** The wall clock at an instant, written as if it were a UTC instant. */
function wallClockAt(timeZone: string, instant: number): number {
  const local = new TZDate(instant, timeZone)
  const date = [local.getFullYear(), local.getMonth(), local.getDate()] as const
  return Date.UTC(...date, local.getHours(), local.getMinutes(), local.getSeconds(), local.getMilliseconds())
}

/**
 * Open intervals that end after `from`, in order, none starting before `from`. Walks local dates from the one `from`
 * falls on, and stops after `searchDays` dates in a row without open time.
 */
function* openIntervalsFrom(calendar: ParsedCalendar, from: number): Generator<Interval> {
  if (!calendar.hasShifts) return
  const firstDay = Math.floor(wallClockAt(calendar.timeZone, from) / millisecondsInDay)
  const timeline = createTimeline(calendar.timeZone, (firstDay - 1) * millisecondsInDay)
  let cursor = from
  let lastOpenDay = firstDay
  for (let day = firstDay; day - lastOpenDay <= searchDays; day++) {
    for (const interval of openIntervalsOn(calendar, timeline, day)) {
      lastOpenDay = day
      const start = Math.max(interval.start, cursor)
      if (interval.end <= start) continue
      yield { start, end: interval.end }
      cursor = interval.end
    }
  }
}

/** A local date's open intervals, ordered, with touching or overlapping ones joined. */
function openIntervalsOn(calendar: ParsedCalendar, timeline: Timeline, day: number): Interval[] {
  const shifts = calendar.shiftsByWeekday[new Date(day * millisecondsInDay).getUTCDay()] ?? []
  if (shifts.length === 0 || calendar.holidays.has(day)) return []
  const midnight = day * millisecondsInDay
  // UTC offsets stay within a day, so every instant of this local date lies within a day of its wall clock.
  const stretches = timeline.stretchesBetween(midnight - millisecondsInDay, midnight + 2 * millisecondsInDay)
  const intervals: Interval[] = []
  for (const shift of shifts) {
    const interval = shiftInterval(stretches, midnight + shift.opens * millisecondsInMinute, midnight + shift.closes * millisecondsInMinute)
    if (interval) intervals.push(interval)
  }
  // After a fall back, a shift's hull can reach into the next shift's first pass through the repeated hour.
  intervals.sort((a, b) => a.start - b.start)
  const joined: Interval[] = []
  for (const interval of intervals) {
    const last = joined.at(-1)
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end)
    else joined.push({ ...interval })
  }
  return joined
}

/**
 * From the first instant the wall clock reads `opensWall` or later to the last one it reads earlier than `closesWall`
 * (both wall clocks written as if UTC), or null if the wall clock never reads a time in between (a DST gap).
 */
function shiftInterval(stretches: Stretch[], opensWall: number, closesWall: number): Interval | null {
  let start = Infinity
  let end = -Infinity
  for (const stretch of stretches) {
    const from = Math.max(opensWall, stretch.wallStart)
    const to = Math.min(closesWall, stretch.wallStart + (stretch.end - stretch.start))
    if (from >= to) continue
    start = Math.min(start, stretch.start + (from - stretch.wallStart))
    end = Math.max(end, stretch.start + (to - stretch.wallStart))
  }
  return start < end ? { start, end } : null
}

interface Timeline {
  /** The stretches overlapping [start, end), for any start at or after the timeline's origin. */
  stretchesBetween(start: number, end: number): Stretch[]
}

/** A zone's stretches of constant UTC offset from `origin` on, found lazily as the caller walks forward in time. */
function createTimeline(timeZone: string, origin: number): Timeline {
  const offsetAt = (instant: number) => tzOffset(timeZone, new Date(instant))
  let current: Stretch = { start: origin, end: origin, wallStart: wallClockAt(timeZone, origin) }
  let currentEndOffset = offsetAt(origin)
  const stretches = [current]

  function extendTo(until: number): void {
    while (current.end < until) {
      const probe = current.end + probeStepMs
      const probeOffset = offsetAt(probe)
      // Each pass splits off one change in (current.end, probe]; several changes in one week are handled in turn.
      while (currentEndOffset !== probeOffset) {
        const change = firstChange(current.end, probe, currentEndOffset)
        current.end = change
        current = { start: change, end: change, wallStart: wallClockAt(timeZone, change) }
        stretches.push(current)
        currentEndOffset = offsetAt(change)
      }
      current.end = probe
    }
  }

  /** Bisects (before, after] for the first instant whose offset differs from `offset`, the offset at `before`. */
  function firstChange(before: number, after: number, offset: number): number {
    while (after - before > 1) {
      const middle = before + Math.floor((after - before) / 2)
      if (offsetAt(middle) === offset) before = middle
      else after = middle
    }
    return after
  }

  return {
    stretchesBetween(start, end) {
      extendTo(end)
      return stretches.filter((stretch) => stretch.end > start && stretch.start < end)
    },
  }
}
