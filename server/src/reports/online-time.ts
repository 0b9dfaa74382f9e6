import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { hourStart } from './local-time.js'

const hourMs = 3_600_000

/** Splits [from, to) into the UTC hours it covers: [hour, seconds in it]. */
export function secondsByHour(from: Date, to: Date): [Date, number][] {
  const parts: [Date, number][] = []
  for (let hour = hourStart(from); hour < to; hour = new Date(hour.getTime() + hourMs)) {
    const start = Math.max(hour.getTime(), from.getTime())
    const end = Math.min(hour.getTime() + hourMs, to.getTime())
    if (end > start) parts.push([hour, (end - start) / 1000])
  }
  return parts
}

/** A stretch someone spent online, added to the hours it covered (the per-agent table's time online). */
export async function recordOnlineTime(trx: Database, userId: string, from: Date, to: Date): Promise<void> {
  const parts = secondsByHour(from, to)
  if (parts.length === 0) return
  await sql`
    insert into report_presence_hourly (hour, user_id, seconds)
    select hour, ${userId}::uuid, seconds from unnest(${parts.map(([hour]) => hour)}::timestamptz[], ${parts.map(([, s]) => s)}::float8[]) as p(hour, seconds)
    on conflict (hour, user_id) do update set seconds = report_presence_hourly.seconds + excluded.seconds`.execute(trx)
}
