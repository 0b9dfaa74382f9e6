import { tzOffset } from '@date-fns/tz'

/**
 * Local days and hours in a team's time zone, for rollups and charts. Offsets are looked up once per zone and UTC
 * hour: a rebuild converts millions of instants, and zones change offset on hour (or half-hour) boundaries, so the
 * cached offset of the hour is exact for every instant in it except in the few half-hour zones, on a transition day.
 */
const offsets = new Map<string, number>()
const hourMs = 3_600_000

function offsetMinutes(timeZone: string, at: Date): number {
  const hour = Math.floor(at.getTime() / hourMs)
  const key = `${timeZone}@${hour}`
  let offset = offsets.get(key)
  if (offset === undefined) {
    offset = tzOffset(timeZone, new Date(hour * hourMs))
    if (offsets.size > 200_000) offsets.clear()
    offsets.set(key, offset)
  }
  return offset
}

/** The wall clock in the zone, as a Date whose UTC fields read it. */
function wallClock(timeZone: string, at: Date): Date {
  return new Date(at.getTime() + offsetMinutes(timeZone, at) * 60_000)
}

/** 'YYYY-MM-DD' in the zone. */
export function localDay(timeZone: string, at: Date): string {
  return wallClock(timeZone, at).toISOString().slice(0, 10)
}

/** 'YYYY-MM-DDTHH' in the zone. */
export function localHour(timeZone: string, at: Date): string {
  return wallClock(timeZone, at).toISOString().slice(0, 13)
}

/** The start of the UTC hour holding the instant. */
export function hourStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / hourMs) * hourMs)
}
