import { promises as fs } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration'
import { runMigrations as runWorkerMigrations, type Logger as WorkerLogger } from 'graphile-worker'
import type pg from 'pg'
import { repoRoot } from '../config.js'
import type { AnyDatabase } from './client.js'

export const migrationsDir = path.join(repoRoot, 'migrations')

/**
 * Reads migrations/NNNN_name.sql. They never import app code, so an old migration stays frozen in time.
 * Each file runs as one multi-statement script inside the migrator's transaction.
 */
class SqlFileMigrationProvider implements MigrationProvider {
  constructor(private readonly dir: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await fs.readdir(this.dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort()
    const migrations: Record<string, Migration> = {}
    for (const file of files) {
      const text = await fs.readFile(path.join(this.dir, file), 'utf8')
      migrations[file.replace(/\.sql$/, '')] = {
        up: async (db) => {
          await sql.raw(text).execute(db)
        },
      }
    }
    return migrations
  }
}

function createMigrator(db: AnyDatabase, dir = migrationsDir): Migrator {
  return new Migrator({ db, provider: new SqlFileMigrationProvider(dir) })
}

/** Applies our SQL migrations, then graphile-worker's own schema. Throws with the failing migration's name. */
export async function migrateToLatest(db: AnyDatabase, pool: pg.Pool, logger: WorkerLogger, dir = migrationsDir): Promise<string[]> {
  const { error, results } = await createMigrator(db, dir).migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(failed ? `migration ${failed.migrationName} failed: ${reason}` : `migrations failed: ${reason}`)
  }
  await runWorkerMigrations({ pgPool: pool, logger })
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/** How many of the migration files are applied, and how many are still pending. */
export async function migrationState(db: AnyDatabase): Promise<{ applied: number; pending: number }> {
  const migrations = await createMigrator(db).getMigrations()
  const applied = migrations.filter((m) => m.executedAt !== undefined).length
  return { applied, pending: migrations.length - applied }
}
