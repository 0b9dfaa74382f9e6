// pnpm worker: runs the job worker alone, for deployments that scale it apart from the HTTP server
// (start those servers with CAREBOX_WORKER=off).
import { createSecretBox, loadSecretKey } from '../channels/secret-box.js'
import { loadConfig, loadEnvFile } from '../config.js'
import { systemClock, type AppContext } from '../context.js'
import { createLogger } from '../logger.js'
import { handleUnhandledRejections } from '../worker-hiccups.js'
import { handleStopSignals, runCli } from './run-cli.js'
import { diskFileStorage } from '../files/storage.js'

// Before the worker's modules, which take seconds to load: a Ctrl-C meanwhile ends cleanly too.
const signals = handleStopSignals()
const [{ openDatabase }, { createMetrics }, { taskHandlers }, { startWorker }, { emitterRealtime, silentRealtime }, { startHealthMonitor }] = await Promise.all(
  [
    import('../db/open.js'),
    import('../observability/metrics.js'),
    import('../queue/handlers.js'),
    import('../queue/queue.js'),
    import('../realtime/realtime.js'),
    import('../system/health-monitor.js'),
  ],
)
const [{ startChangeRunner }, { selectConsumers }] = await Promise.all([import('../changes/change-runner.js'), import('../consumers/consumers.js')])

await runCli(async () => {
  loadEnvFile()
  const config = loadConfig()
  const log = createLogger(config)
  signals.exitIfAsked()
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
    files: diskFileStorage(config.filesDir),
    runtime: { startedAt: systemClock.now(), databaseMode: database.mode, mediaAllowOrigins: [] },
  }
  const worker = await startWorker(ctx, database.pool, taskHandlers, config.workerConcurrency)
  const runtime: AppContext['runtime'] = ctx.runtime
  runtime.worker = worker
  // The consumers of changes run here too, but the consoles' one only where its events can reach them.
  const changes = startChangeRunner(
    ctx,
    database.url,
    selectConsumers(config.changeConsumers).filter((c) => c.name !== 'console' || config.realtime === 'postgres'),
  )
  runtime.changes = changes
  // No HTTP here: the monitor only logs when the database goes away and when it is back.
  const health = startHealthMonitor(ctx, database.url)
  process.stdout.write(
    `Carebox worker is running (${taskHandlers.length} tasks, concurrency ${config.workerConcurrency}, platform calls ${config.platformConcurrency}).\n`,
  )
  handleUnhandledRejections(log)
  await signals.stopWhenAsked({
    log,
    doing: 'finishing running jobs',
    timeoutMs: config.shutdownTimeoutMs + 15_000,
    stop: async () => {
      await health.stop()
      await changes.stop()
      await worker.stop()
      await ctx.realtime.close()
      await database.close()
    },
  })
})
