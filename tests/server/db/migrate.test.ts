import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pino from 'pino'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateToLatest, migrationState, migrationsDir } from '../../../server/src/db/migrate.js'
import { workerLogger } from '../../../server/src/queue/queue.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

const logger = workerLogger(pino({ level: 'silent' }))
let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database.drop()
})

describe('migrateToLatest', () => {
  it('leaves nothing pending in the template every test database is cloned from', async () => {
    const state = await migrationState(database.db)

    expect(state.pending).toBe(0)
    expect(state.applied).toBeGreaterThan(0)
  })

  it('is a no-op when run again', async () => {
    const applied = await migrateToLatest(database.db, database.pool, logger)

    expect(applied).toEqual([])
  })

  it('installs the extensions later migrations rely on, and the job queue schema', async () => {
    const { rows } = await sql<{ extname: string }>`select extname from pg_extension order by extname`.execute(database.db)
    const { rows: queue } = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs`.execute(database.db)

    expect(rows.map((r) => r.extname)).toEqual(expect.arrayContaining(['citext', 'pg_trgm']))
    expect(queue[0]?.n).toBe(0)
  })

  it('names the failing migration and rolls it back whole', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'carebox-migrations-'))
    await cp(migrationsDir, dir, { recursive: true })
    await writeFile(path.join(dir, '9999_broken.sql'), 'create table half_table (id int);\nselect * from missing_table;')

    const run = migrateToLatest(database.db, database.pool, logger, dir)

    await expect(run).rejects.toThrow(/9999_broken failed: .*missing_table/)
    const { rows } = await sql<{ name: string }>`
      select table_name as name from information_schema.tables where table_name = 'half_table'`.execute(database.db)
    expect(rows).toEqual([])
    expect((await migrationState(database.db)).pending).toBe(0)
    await rm(dir, { recursive: true })
  })
})
