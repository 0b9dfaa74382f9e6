import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { createDatabase, createPool, type Database } from '../../server/src/db/client.js'

export interface TestDatabase {
  url: string
  pool: pg.Pool
  db: Database
  drop(): Promise<void>
}

export function databaseUrl(name: string): string {
  const url = new URL(inject('postgresUrl'))
  url.pathname = `/${name}`
  return url.toString()
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') })
  await client.connect()
  try {
    return await run(client)
  } finally {
    await client.end()
  }
}

/**
 * Clones the migrated template into a database of this test file's own, so files run in parallel. `template0`
 * gives an empty database instead, for tests that migrate step by step.
 */
export async function createTestDatabase(template: string = inject('templateDatabase')): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`
  await admin((client) => client.query(`create database ${name} template ${client.escapeIdentifier(template)} strategy file_copy`))
  const url = databaseUrl(name)
  const pool = createPool(url, 5)
  const db = createDatabase(pool)
  return {
    url,
    pool,
    db,
    async drop() {
      await db.destroy()
      await admin((client) => client.query(`drop database if exists ${name} with (force)`))
    },
  }
}
