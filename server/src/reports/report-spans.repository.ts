import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { spanLengths } from './report-spans.js'

const longer = spanLengths.filter((length) => length > 1)

/** The rollups kept by day, each with the columns that identify a row besides its span and day. */
const dailyTables = [
  { table: 'report_daily', keys: ['team_id', 'channel_id', 'metric', 'bucket'] },
  { table: 'report_daily_agents', keys: ['team_id', 'channel_id', 'agent_id', 'metric', 'bucket'] },
  { table: 'report_daily_tags', keys: ['tag', 'team_id', 'channel_id', 'metric', 'bucket'] },
]

/**
 * Replaces every longer span's rows with the sum of its days, in the caller's transaction. The tables are locked
 * against writes meanwhile: a change committed during the sum would be counted in its day but lost from its spans.
 */
export async function sumSpansFromDays(trx: Database): Promise<void> {
  await sql`lock table report_daily, report_daily_agents, report_daily_tags in share row exclusive mode`.execute(trx)
  for (const { table, keys } of dailyTables) {
    const columns = sql.raw(keys.join(', '))
    await sql`delete from ${sql.table(table)} where span > 1`.execute(trx)
    await sql`
      insert into ${sql.table(table)} (span, day, ${columns}, count)
      select s.span, d.day - ((d.day - date '1970-01-01') % s.span + s.span) % s.span, ${sql.raw(keys.map((k) => `d.${k}`).join(', '))}, sum(d.count)
      from ${sql.table(table)} d cross join unnest(${longer}::smallint[]) as s (span)
      where d.span = 1
      group by 1, 2, ${sql.raw(keys.map((_, i) => String(i + 3)).join(', '))}`.execute(trx)
  }
}
