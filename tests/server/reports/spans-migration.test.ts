import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateToLatest, migrationsDir } from '../../../server/src/db/migrate.js'
import { workerLogger } from '../../../server/src/queue/queue.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { spanMismatches } from './span-sums.js'

const logger = workerLogger(pino({ level: 'silent' }))
let database: TestDatabase
let dir: string

beforeAll(async () => {
  database = await createTestDatabase('template0')
  dir = await mkdtemp(path.join(os.tmpdir(), 'carebox-migrations-'))
})
afterAll(async () => {
  await database.drop()
  await rm(dir, { recursive: true, force: true })
})

describe('upgrading to the rollups kept by span', () => {
  it('sums the days an installation already kept into their 3-, 9-, 27- and 81-day spans', async () => {
    const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort()
    for (const file of files.filter((f) => f < '0015')) await copyFile(path.join(migrationsDir, file), path.join(dir, file))
    await migrateToLatest(database.db, database.pool, logger, dir)
    const team = '11111111-1111-1111-1111-111111111111'
    const channel = '22222222-2222-2222-2222-222222222222'
    const agent = '33333333-3333-3333-3333-333333333333'
    // 70 days of a counter and two histogram buckets, across span edges (2026-10-10 starts an 81-day span).
    await sql`
      insert into report_daily (day, team_id, channel_id, metric, bucket, count)
      select date '2026-09-20' + g, ${team}::uuid, ${channel}::uuid, m.metric, m.bucket, g % 5 + 1
      from generate_series(0, 69) g cross join (values ('conversations', -1), ('frt', 60), ('frt', 120)) m (metric, bucket)`.execute(database.db)
    await sql`
      insert into report_daily_agents (day, team_id, channel_id, agent_id, metric, bucket, count)
      select date '2026-09-20' + g, ${team}::uuid, ${channel}::uuid, ${agent}::uuid, 'replies', -1, g + 1 from generate_series(0, 69) g`.execute(database.db)
    await sql`
      insert into report_daily_tags (day, team_id, channel_id, tag, metric, bucket, count)
      select date '2026-09-20' + g, ${team}::uuid, ${channel}::uuid, 'refund', 'customer_messages', -1, 2 from generate_series(0, 69) g`.execute(database.db)

    for (const file of files.filter((f) => f >= '0015')) await copyFile(path.join(migrationsDir, file), path.join(dir, file))
    await migrateToLatest(database.db, database.pool, logger, dir)

    expect(await spanMismatches(database.db)).toEqual([])
    const { rows } = await sql<{ span: number; rows: number; total: number }>`
      select span, count(*)::int as rows, sum(count)::int as total from report_daily where metric = 'conversations' group by span order by span`.execute(
      database.db,
    )
    // Each span length holds all 70 days' conversations (sum of g % 5 + 1 over 0..69: 14 × 15), in fewer rows.
    expect(rows).toEqual([
      { span: 1, rows: 70, total: 210 },
      { span: 3, rows: 24, total: 210 },
      { span: 9, rows: 9, total: 210 },
      { span: 27, rows: 3, total: 210 },
      { span: 81, rows: 2, total: 210 },
    ])
  })
})
