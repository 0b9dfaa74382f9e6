import type { SystemHealth } from '@carebox/shared'
import pg from 'pg'
import type { AppContext } from '../context.js'

/**
 * Watches what this process needs to do its work, its database and its job worker, and tells of every change:
 * in the log (when it was lost, and when and after how long it came back), to the consoles connected to this
 * node, and through /healthz. The pools reconnect by themselves and the worker restarts itself; this only makes
 * sure a person can see it happen.
 */
export interface HealthMonitor {
  current(): SystemHealth
  /**
   * Something failed as if the database were away (a request refused): check now rather than at the next interval,
   * so an outage shorter than the interval (the embedded PostgreSQL restarts in a few hundred ms) is still told.
   */
  suspect(): void
  stop(): Promise<void>
}

const checkIntervalMs = 2_000
const checkTimeoutMs = 3_000

export function startHealthMonitor(ctx: AppContext, databaseUrl: string): HealthMonitor {
  // A connection of its own, with timeouts: the main pools wait as long as a query needs, so a database that hangs
  // (rather than refuses) would otherwise never be noticed.
  const probe = new pg.Pool({
    connectionString: databaseUrl,
    max: 1,
    application_name: 'carebox-health',
    connectionTimeoutMillis: checkTimeoutMs,
    query_timeout: checkTimeoutMs,
    idleTimeoutMillis: 0,
  })
  probe.on('error', () => {})
  let database = { ok: true, since: ctx.clock.now(), detail: 'reachable' }
  let last = snapshot()

  function workerState(): SystemHealth['worker'] {
    if (!ctx.config.workerInProcess) return { ok: true, detail: 'runs in a separate process (CAREBOX_WORKER=off)' }
    const worker = ctx.runtime.worker
    if (!worker) return { ok: false, detail: 'not started' }
    return { ok: worker.isRunning(), detail: worker.detail() }
  }

  function snapshot(): SystemHealth {
    const worker = workerState()
    return {
      status: database.ok && worker.ok ? 'ok' : 'degraded',
      database: { ok: database.ok, since: database.since.toISOString(), detail: database.detail },
      worker,
    }
  }

  async function check(): Promise<void> {
    const now = ctx.clock.now()
    const reachable = await probe.query('select 1').then(
      () => undefined,
      (error: Error) => error,
    )
    if (reachable && database.ok) {
      database = { ok: false, since: now, detail: `unreachable: ${reachable.message}` }
      ctx.log.error(
        { err: reachable },
        'the database is unreachable; webhooks are refused so the platforms send them again, and work resumes by itself when it is back',
      )
    } else if (!reachable && !database.ok) {
      const downMs = now.getTime() - database.since.getTime()
      database = { ok: true, since: now, detail: 'reachable' }
      ctx.log.info({ downMs }, 'the database is reachable again after %d s', Math.round(downMs / 1000))
    } else if (reachable) {
      database = { ...database, detail: `unreachable: ${reachable.message}` }
    }
    const next = snapshot()
    if (next.status !== last.status || next.database.ok !== last.database.ok || next.worker.ok !== last.worker.ok) {
      if (next.worker.ok !== last.worker.ok) {
        if (next.worker.ok) ctx.log.info('the job worker is processing again')
        else ctx.log.warn({ detail: next.worker.detail }, 'the job worker is not processing: %s', next.worker.detail)
      }
      ctx.realtime.publishToNode('system.health', next)
    }
    last = next
  }

  let running: Promise<void> | undefined
  const checkNow = () => {
    running ??= check().finally(() => (running = undefined))
  }
  const timer = setInterval(checkNow, checkIntervalMs)
  timer.unref()
  return {
    current: () => snapshot(),
    suspect: () => {
      if (database.ok) checkNow()
    },
    async stop() {
      clearInterval(timer)
      await running
      await probe.end().catch(() => {})
    },
  }
}
