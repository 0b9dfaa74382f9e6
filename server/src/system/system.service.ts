import type { ChangesOverview, ReadinessStatus, SystemHealth, SystemInfo } from '@carebox/shared'
import { sql } from 'kysely'
import { listChangeConsumers, listDeadLetters } from '../consumers/replay.js'
import type { AppContext } from '../context.js'
import { migrationState } from '../db/migrate.js'
import { countJobs } from '../queue/queue.js'

/** What the health monitor last saw; without one (tests, CLI), a check made now. */
export async function checkHealth(ctx: AppContext): Promise<SystemHealth> {
  if (ctx.runtime.health) return ctx.runtime.health.current()
  const readiness = await checkReadiness(ctx)
  const { database, worker } = readiness.checks
  return {
    status: database.ok && worker.ok ? 'ok' : 'degraded',
    database: { ...database, since: ctx.runtime.startedAt.toISOString() },
    worker,
  }
}

export async function checkReadiness(ctx: AppContext): Promise<ReadinessStatus> {
  const database = await sql`select 1`.execute(ctx.db).then(
    () => ({ ok: true, detail: 'reachable' }),
    (error: Error) => ({ ok: false, detail: `unreachable: ${error.message}` }),
  )
  const migrations = database.ok
    ? await migrationState(ctx.db).then(
        ({ applied, pending }) =>
          pending === 0 ? { ok: true, detail: `${applied} applied` } : { ok: false, detail: `${pending} pending of ${applied + pending}` },
        (error: Error) => ({ ok: false, detail: `unknown: ${error.message}` }),
      )
    : { ok: false, detail: 'database unreachable' }
  const worker = ctx.config.workerInProcess
    ? ctx.runtime.worker?.isRunning()
      ? { ok: true, detail: `running in this process (${ctx.runtime.worker.detail()})` }
      : { ok: false, detail: ctx.runtime.worker ? `not running: ${ctx.runtime.worker.detail()}` : 'not running' }
    : { ok: true, detail: 'runs in a separate process (CAREBOX_WORKER=off)' }
  const ok = database.ok && migrations.ok && worker.ok
  return { status: ok ? 'ready' : 'not_ready', checks: { database, migrations, worker } }
}

export async function getSystemInfo(ctx: AppContext): Promise<SystemInfo> {
  const [version, migrations, jobs] = await Promise.all([
    sql<{ serverVersion: string }>`select current_setting('server_version') as server_version`.execute(ctx.db),
    migrationState(ctx.db),
    countJobs(ctx.db),
  ])
  return {
    version: ctx.config.version,
    startedAt: ctx.runtime.startedAt.toISOString(),
    database: {
      mode: ctx.runtime.databaseMode,
      serverVersion: version.rows[0]?.serverVersion ?? 'unknown',
      migrationsApplied: migrations.applied,
    },
    queue: {
      workerInProcess: Boolean(ctx.runtime.worker),
      pendingJobs: jobs.pending,
      heldJobs: jobs.held,
      failedJobs: jobs.failed,
    },
  }
}

/** The consumers of the record of changes and the changes they gave up on, for Settings → System. */
export async function getChangesOverview(ctx: AppContext): Promise<ChangesOverview> {
  const [{ head, consumers }, deadLetters] = await Promise.all([listChangeConsumers(ctx.db), listDeadLetters(ctx.db)])
  return { head, consumers, deadLetters }
}
