import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { DB } from './database.gen.js'

export type Database = Kysely<DB>

/** For code that works below the typed schema (migrations, the queue's own tables): any database or transaction. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDatabase = Kysely<any>

// int8 (counts, sums) as numbers: every value we store fits well inside 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10))

export function createPool(url: string, max = 10, options: { synchronousCommit?: boolean } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: 'carebox',
    ...(options.synchronousCommit === false && { options: '-c synchronous_commit=off' }),
  })
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  return pool
}

export function createDatabase(pool: pg.Pool): Database {
  // maintainNestedObjectKeys: jsonb values (platform payloads) must come back exactly as stored.
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })] })
}

/** Describes a connection string for messages without leaking its password. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`
  } catch {
    return 'an unparseable URL'
  }
}
