import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { buildApp } from './app.js'
import { ensurePolling } from './ingest/poll.job.js'
import { provisionChannelsFromFile } from './channels/provision.js'
import { createSecretBox, loadSecretKey } from './channels/secret-box.js'
import type { Config } from './config.js'
import { systemClock, type AppContext, type Clock } from './context.js'
import { createPool } from './db/client.js'
import { openDatabase } from './db/open.js'
import { disableDemoChannels, startDemo } from './demo/demo.js'
import { scheduleReportBackfill } from './reports/backfill.job.js'
import { workRecorder } from './reports/working-time.js'
import { StartupError } from './errors.js'
import { createMetrics } from './observability/metrics.js'
import { taskHandlers } from './queue/handlers.js'
import { registerQueueMetrics, startWorker } from './queue/queue.js'
import { startChangeRunner } from './changes/change-runner.js'
import { selectConsumers } from './consumers/consumers.js'
import { attachRealtime, silentRealtime } from './realtime/realtime.js'
import { presenceRefresher, resetPresence } from './routing/presence.js'
import { ensureSomeoneCanSignIn } from './auth/bootstrap.js'
import { socketAuth } from './auth/socket-auth.js'
import { startHealthMonitor } from './system/health-monitor.js'
import { diskFileStorage } from './files/storage.js'

export interface RunningServer {
  ctx: AppContext
  app: FastifyInstance
  url: string
  /** How to sign in: lines for the operator, printed once Carebox is ready. */
  notices: string[]
  /** Drains HTTP requests and running jobs (bounded by the shutdown timeout), then closes the database. */
  close(): Promise<void>
}

/** config -> database -> context -> app.listen -> worker. Used by main.ts, and by e2e tests and benchmarks. */
export async function startServer(config: Readonly<Config>, log: Logger, clock: Clock = systemClock): Promise<RunningServer> {
  const database = await openDatabase(config, log)
  const metrics = createMetrics()
  let ctx: AppContext
  let notices: string[]
  try {
    ctx = {
      config,
      db: database.db,
      log,
      clock,
      metrics,
      secrets: createSecretBox(await loadSecretKey(config, database.mode)),
      realtime: silentRealtime,
      files: diskFileStorage(config.filesDir),
      runtime: { startedAt: clock.now(), databaseMode: database.mode, mediaAllowOrigins: [] },
    }
    notices = await ensureSomeoneCanSignIn(ctx)
    // A single node starting holds no consoles: presence left from a previous run is stale. With several nodes
    // (CAREBOX_REALTIME=postgres), the others' consoles are real, and each disconnect clears its own.
    if (config.realtime !== 'postgres') await resetPresence(database.db)
    if (config.channelsFile) {
      const count = await provisionChannelsFromFile(ctx, config.channelsFile)
      log.info({ file: config.channelsFile, count }, 'channels provisioned')
    }
  } catch (error) {
    await database.close()
    throw error
  }
  registerQueueMetrics(metrics, database.db)

  let app: FastifyInstance | undefined
  try {
    app = await buildApp(ctx)
    const pool = config.realtime === 'postgres' ? database.pool : undefined
    ctx.realtime = attachRealtime(app.server, log, socketAuth(ctx), pool, presenceRefresher(ctx), workRecorder(ctx))
    await app.listen({ port: config.port, host: config.host })
  } catch (error) {
    await ctx.realtime.close()
    await app?.close().catch(() => {})
    await database.close()
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartupError(`Port ${config.port} on ${config.host} is already in use. Stop the other process or start with PORT=<another port>.`)
    }
    throw error
  }

  if (!config.demo) {
    const disabled = await disableDemoChannels(ctx)
    if (disabled > 0) log.info({ count: disabled }, 'demo channels disabled (CAREBOX_DEMO=off)')
  }
  // The worker gets a pool of its own, so a busy queue never starves HTTP requests of connections. Its
  // connections carry only graphile-worker's bookkeeping (fetching, locking, completing, failing jobs); our
  // handlers write through ctx.db. A crash can lose the last moments of that bookkeeping, which only re-runs
  // idempotent jobs or runs a retry sooner, so those commits need not wait for the disk. Nothing whose loss would
  // stop work goes through it: the task names are registered durably first (see registerTaskNames).
  const workerPool = config.workerInProcess
    ? createPool(database.url, config.workerConcurrency + config.platformConcurrency + 4, { synchronousCommit: false })
    : undefined
  if (workerPool) {
    ctx.runtime.worker = await startWorker(ctx, workerPool, taskHandlers, config.workerConcurrency)
  }
  // With the worker here, every consumer of changes may run here; without it (CAREBOX_WORKER=off), only the one
  // that publishes to consoles, which belongs with the sockets. Each runs in whichever process holds its lock.
  const offered = selectConsumers(config.changeConsumers).filter((c) => workerPool !== undefined || c.name === 'console')
  ctx.runtime.changes = startChangeRunner(ctx, database.url, offered)
  ctx.runtime.health = startHealthMonitor(ctx, database.url)
  await ensurePolling(ctx)
  if (await scheduleReportBackfill(ctx)) log.info('report rollups will be computed in the background for the existing conversations')

  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  // The demo is a convenience: if it cannot start, Carebox runs without it.
  const demo = config.demo
    ? await startDemo(ctx, url).catch((error: unknown) => {
        log.error({ err: error }, 'demo traffic could not start; set CAREBOX_DEMO=off to silence this')
        return undefined
      })
    : undefined

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      const drain = async () => {
        await demo?.stop()
        await ctx.runtime.changes?.stop()
        await ctx.realtime.close()
        await app.close()
        await ctx.runtime.worker?.stop()
      }
      await ctx.runtime.health?.stop()
      const timedOut = await withTimeout(drain(), config.shutdownTimeoutMs)
      if (timedOut) log.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out before every request and job finished')
      await workerPool?.end().catch(() => {})
      await database.close()
    })()
    return closing
  }
  return { ctx, app, url, notices, close }
}

/** Resolves true if the promise did not settle in time. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), ms)))
  try {
    return await Promise.race([
      promise.then(
        () => false,
        () => false,
      ),
      timeout,
    ])
  } finally {
    clearTimeout(timer)
  }
}
