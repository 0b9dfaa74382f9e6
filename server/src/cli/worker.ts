// pnpm worker: runs the job worker alone, for deployments that scale it apart from the HTTP server
// (start those servers with CAREBOX_WORKER=off).
import closeWithGrace from 'close-with-grace'
import { loadConfig, loadEnvFile } from '../config.js'
import { systemClock } from '../context.js'
import { openDatabase } from '../db/open.js'
import { createLogger } from '../logger.js'
import { createMetrics } from '../observability/metrics.js'
import { taskHandlers } from '../queue/handlers.js'
import { startWorker } from '../queue/queue.js'
import { createSecretBox, loadSecretKey } from '../channels/secret-box.js'
import { emitterRealtime, silentRealtime } from '../realtime/realtime.js'
import { runCli } from './run-cli.js'
import { handleUnhandledRejections } from '../worker-hiccups.js'
import type { AppContext } from '../context.js'
import { startHealthMonitor } from '../system/health-monitor.js'

await runCli(async () => {
  loadEnvFile()
  const config = loadConfig()
  const log = createLogger(config)
  const database = await openDatabase(config, log)
  const ctx = {
    config,
    db: database.db,
    log,
    clock: systemClock,
    metrics: createMetrics(),
    secrets: createSecretBox(await loadSecretKey(config, database.mode)),
    // With CAREBOX_REALTIME=postgres, events reach the consoles of every node; otherwise consoles see the
    // worker's results when they next load.
    realtime: config.realtime === 'postgres' ? emitterRealtime(database.pool, log) : silentRealtime,
    runtime: { startedAt: systemClock.now(), databaseMode: database.mode, mediaAllowOrigins: [] },
  }
  const worker = await startWorker(ctx, database.pool, taskHandlers, config.workerConcurrency)
  const runtime: AppContext['runtime'] = ctx.runtime
  runtime.worker = worker
  // No HTTP here: the monitor only logs when the database goes away and when it is back.
  const health = startHealthMonitor(ctx, database.url)
  process.stdout.write(
    `Carebox worker is running (${taskHandlers.length} tasks, concurrency ${config.workerConcurrency}, platform calls ${config.platformConcurrency}).\n`,
  )
  closeWithGrace({ delay: config.shutdownTimeoutMs + 15_000, logger: false, skip: ['unhandledRejection'] }, async () => {
    await health.stop()
    await worker.stop()
    await ctx.realtime.close()
    await database.close()
  })
  handleUnhandledRejections(log)
})
