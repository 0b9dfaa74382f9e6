import { mkdtemp, rm, chmod } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pino from 'pino'
import type { TestProject } from 'vitest/node'
import { createDatabase, createPool } from '../../server/src/db/client.js'
import { startEmbeddedPostgres } from '../../server/src/db/embedded.js'
import { migrateToLatest } from '../../server/src/db/migrate.js'
import { workerLogger } from '../../server/src/queue/queue.js'

export const templateDatabase = 'carebox_template'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL for the test cluster, without a database name. */
    postgresUrl: string
    templateDatabase: string
  }
}

/** Starts one embedded PostgreSQL for the whole run and migrates the template every test file clones. */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'carebox-test-'))
  // The cluster runs as the 'postgres' account when tests run as root: it must be able to traverse here.
  await chmod(dataDir, 0o755)
  const log = pino({ level: 'warn' })
  const embedded = await startEmbeddedPostgres({ dataDir, log, database: templateDatabase })

  const pool = createPool(embedded.url, 2)
  const db = createDatabase(pool)
  await migrateToLatest(db, pool, workerLogger(log))
  await db.destroy()

  const url = new URL(embedded.url)
  url.pathname = '/'
  project.provide('postgresUrl', url.toString())
  project.provide('templateDatabase', templateDatabase)

  return async () => {
    await embedded.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}
