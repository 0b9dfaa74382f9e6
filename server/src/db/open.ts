import type pg from 'pg'
import type { Logger } from 'pino'
import type { Config } from '../config.js'
import { StartupError } from '../errors.js'
import { workerLogger } from '../queue/queue.js'
import { createDatabase, createPool, describeUrl, type Database } from './client.js'
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js'
import { migrateToLatest } from './migrate.js'

export interface OpenDatabase {
  db: Database
  pool: pg.Pool
  url: string
  mode: 'embedded' | 'external'
  /** Closes the pool, then stops the embedded cluster if this process started it. */
  close(): Promise<void>
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL under the data directory,
 * and brings the schema (ours and graphile-worker's) up to date.
 */
export async function openDatabase(config: Readonly<Config>, log: Logger): Promise<OpenDatabase> {
  let embedded: EmbeddedPostgres | undefined
  let url = config.databaseUrl
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, log })
    url = embedded.url
  }
  const pool = createPool(url, 20)
  const db = createDatabase(pool)
  const close = async () => {
    await db.destroy().catch(() => {})
    await embedded?.stop()
  }
  try {
    await checkConnection(pool, url)
    const applied = await migrateToLatest(db, pool, workerLogger(log.child({ component: 'migrate' })))
    for (const name of applied) log.info({ migration: name }, 'migration applied')
    // From here on, an embedded server that dies is started again on its port: every pool reconnects by itself.
    embedded?.watch()
  } catch (error) {
    await close()
    if (error instanceof StartupError) throw error
    throw new StartupError(`Database migration failed: ${(error as Error).message}. Nothing was changed by the failed migration.`)
  }
  return { db, pool, url, mode: embedded ? 'embedded' : 'external', close }
}

async function checkConnection(pool: pg.Pool, url: string): Promise<void> {
  try {
    await pool.query('select 1')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    throw new StartupError(
      `Cannot connect to PostgreSQL at ${describeUrl(url)} (${reason}). ` +
        'Check that the server is running and DATABASE_URL is right, or unset DATABASE_URL to use the embedded database.',
    )
  }
}
