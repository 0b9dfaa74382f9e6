import { sql } from 'kysely'
import type { AnyDatabase } from '../../../server/src/db/client.js'
import { spanLengths } from '../../../server/src/reports/report-spans.js'

const tables = [
  { table: 'report_daily', keys: ['team_id', 'channel_id', 'metric', 'bucket'] },
  { table: 'report_daily_agents', keys: ['team_id', 'channel_id', 'agent_id', 'metric', 'bucket'] },
  { table: 'report_daily_tags', keys: ['team_id', 'channel_id', 'tag', 'metric', 'bucket'] },
]

/**
 * Rows of the longer spans that differ from the sum of their days, over the three daily rollups
 * (zero rows and missing rows count alike): an empty list when the spans hold exactly their days.
 */
export async function spanMismatches(db: AnyDatabase): Promise<string[]> {
  const found: string[] = []
  for (const { table, keys } of tables) {
    for (const span of spanLengths.filter((length) => length > 1)) {
      const key = sql.raw(keys.join(', '))
      const { rows } = await sql<{ day: string; days: number; spanned: number }>`
        select to_char(day, 'YYYY-MM-DD') as day, coalesce(d.total, 0)::int as days, coalesce(s.total, 0)::int as spanned from
          (select day - ((day - date '1970-01-01') % ${span}::int + ${span}::int) % ${span}::int as day, ${key}, sum(count) as total from ${sql.table(table)} where span = 1 group by 1, ${key}) d
          full join (select day, ${key}, count as total from ${sql.table(table)} where span = ${span}) s using (day, ${key})
        where coalesce(d.total, 0) <> coalesce(s.total, 0)`.execute(db)
      for (const row of rows) found.push(`${table} span ${span} from ${row.day}: days ${row.days}, span ${row.spanned}`)
    }
  }
  return found
}
