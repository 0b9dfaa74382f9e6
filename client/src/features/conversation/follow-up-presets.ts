import type { TeamRouting } from '@carebox/shared'
import { weekdayNames } from '../settings/business-hours'
import { snoozePresets } from './snooze-presets'

/** A team's week as the routing settings keep it: shifts in its own time zone, and the dates it is closed. */
export type TeamHours = Pick<TeamRouting, 'timeZone' | 'businessHours'>

/** A time a follow-up can be set for in one click. */
export interface FollowUpPreset {
  id: 'team-opens' | '3-days' | 'next-week'
  label: string
  at: Date
}

const dayMs = 24 * 60 * 60 * 1000
/** How far a preset looks for a day the team is open (a fortnight covers any holiday season). */
const searchDays = 14

/** A calendar date, held as its UTC midnight: days are counted without any time zone's shifts in the way. */
type Day = number

const wallFormats = new Map<string, Intl.DateTimeFormat>()

/** What the wall clock reads in `timeZone` at `instant`, to the minute. */
function wallClock(timeZone: string, instant: number): { day: Day; minutes: number } {
  let format = wallFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    })
    wallFormats.set(timeZone, format)
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, Number(p.value)]))
  return { day: Date.UTC(parts.year!, parts.month! - 1, parts.day!), minutes: parts.hour! * 60 + parts.minute! }
}

/** The instant the wall clock in `timeZone` reads `minutes` past midnight on `day` (the later reading across a DST change). */
function instantAt(timeZone: string, day: Day, minutes: number): Date {
  const wall = day + minutes * 60_000
  const offsetAt = (instant: number) => {
    const seen = wallClock(timeZone, instant)
    return seen.day + seen.minutes * 60_000 - (instant - (instant % 60_000))
  }
  const guess = wall - offsetAt(wall)
  return new Date(wall - offsetAt(guess))
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number)
  return (hours ?? 0) * 60 + (minutes ?? 0)
}

/** When the team first opens on `day`, in minutes past midnight; null on a day it is closed. */
function openingOn(hours: TeamHours, day: Day): number | null {
  if (hours.businessHours.holidays.includes(new Date(day).toISOString().slice(0, 10))) return null
  const weekday = new Date(day).getUTCDay()
  const opens = hours.businessHours.shifts.filter((s) => s.weekday === weekday).map((s) => minutesOf(s.opens))
  return opens.length > 0 ? Math.min(...opens) : null
}

/** The start of the team's hours on `from` or the first day after it that they are open; null if none in sight. */
function firstOpening(hours: TeamHours, from: Day): { day: Day; at: Date } | null {
  for (let day = from; day < from + searchDays * dayMs; day += dayMs) {
    const opening = openingOn(hours, day)
    if (opening !== null) return { day, at: instantAt(hours.timeZone, day, opening) }
  }
  return null
}

function daysLater(now: Date, days: number): Date {
  const date = new Date(now)
  date.setDate(date.getDate() + days)
  // The time input holds minutes: a preset is a time it can show.
  date.setSeconds(0, 0)
  return date
}

/** The presets with the team's hours: their next working day's opening (tomorrow, or after a weekend or holiday), and next Monday's. */
function teamPresets(hours: TeamHours, now: Date): { tomorrow: FollowUpPreset; nextWeek: FollowUpPreset } | null {
  const today = wallClock(hours.timeZone, now.getTime()).day
  const tomorrow = firstOpening(hours, today + dayMs)
  // Monday in the team's week; a week from today when today is Monday.
  const monday = firstOpening(hours, today + ((8 - new Date(today).getUTCDay()) % 7 || 7) * dayMs)
  if (!tomorrow || !monday) return null
  const dayName = tomorrow.day === today + dayMs ? 'Tomorrow' : weekdayNames[new Date(tomorrow.day).getUTCDay()]
  return {
    tomorrow: { id: 'team-opens', label: `${dayName} at the start of the team's hours`, at: tomorrow.at },
    nextWeek: { id: 'next-week', label: "Next week, at the start of the team's hours", at: monday.at },
  }
}

/**
 * When a follow-up may be for, by a click: the team's next opening (9:00 in the agent's own time when the team's hours
 * are not known or it has none), in 3 days at this time, and next week.
 */
export function followUpPresets(hours: TeamHours | null, now: Date): FollowUpPreset[] {
  let team: ReturnType<typeof teamPresets> = null
  try {
    team = hours ? teamPresets(hours, now) : null
  } catch {
    // A time zone this browser does not know: the agent's own time will do.
  }
  const snoozeAt = (id: 'tomorrow' | 'next-week') => snoozePresets.find((p) => p.id === id)!.until(now)
  return [
    team?.tomorrow ?? { id: 'team-opens', label: 'Tomorrow 9:00', at: snoozeAt('tomorrow') },
    { id: '3-days', label: 'In 3 days', at: daysLater(now, 3) },
    team?.nextWeek ?? { id: 'next-week', label: 'Next week (Monday 9:00)', at: snoozeAt('next-week') },
  ]
}

/** A moment as a date-time input holds it: "2026-03-05T09:00", in the browser's time zone. */
export function toLocalInput(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`
}

/** The moment a date-time input's value means (in the browser's time zone); null while it holds none. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null
  const at = new Date(value)
  return Number.isNaN(at.getTime()) ? null : at
}
