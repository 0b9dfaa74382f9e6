import { EventEmitter } from 'node:events'
import { run, type Runner, type TaskList, type WorkerEvents, type Logger as WorkerLogger } from 'graphile-worker'
import type pg from 'pg'
import type { Logger } from 'pino'

/**
 * One graphile-worker pool that comes back by itself. graphile-worker stops a pool for good when it cannot reach
 * PostgreSQL (it cannot complete or fetch jobs, and says the queue may be inconsistent); left alone, the process
 * would go on answering webhooks while processing nothing. Here a pool that stops without being asked to is
 * started again, with a growing pause, until it runs: the jobs it held are unlocked by its own graceful stop or,
 * failing that, by the heartbeat sweep.
 */
export interface SupervisedRunner {
  /** The id the current pool locks jobs with; undefined between pools. */
  poolId(): string | undefined
  /** Running now (not between a crash and its restart). */
  isRunning(): boolean
  /** What it is doing, for /healthz. */
  detail(): string
  stop(): Promise<void>
}

export interface RunnerSpec {
  name: string
  pool: pg.Pool
  taskList: TaskList
  concurrency: number
  log: Logger
  workerLogger: WorkerLogger
  /** Subscribes to each new pool's events (metrics). */
  onEvents(events: WorkerEvents): void
  /** Before each start, e.g. registering the task names durably. */
  beforeStart(): Promise<void>
  /** Told of each new pool and of its end. */
  onPool(change: { started?: string; stopped?: string }): void
}

const restartDelaysMs = [500, 1_000, 2_000, 5_000, 10_000]
/**
 * How long a pool that began shutting down by itself gets to finish. When the database vanished mid-shutdown,
 * graphile-worker can fail both its graceful and forceful shutdowns and never settle its promise: after this, the
 * pool is given up for dead (its jobs are unlocked by the heartbeat sweep) and a new one starts.
 */
const shutdownGraceMs = 5_000

export async function startSupervisedRunner(spec: RunnerSpec): Promise<SupervisedRunner> {
  let runner: Runner | undefined
  let currentPoolId: string | undefined
  let stopping = false
  let failures = 0
  let lastProblem = ''
  let wake: (() => void) | undefined
  /** Settles when the current pool starts shutting down without being asked to. */
  let shuttingDown: Promise<void> = new Promise(() => {})

  const startOnce = async (): Promise<Runner> => {
    await spec.beforeStart()
    const events = new EventEmitter() as WorkerEvents
    shuttingDown = new Promise((resolve) => {
      events.once('pool:gracefulShutdown', () => resolve())
      events.once('pool:forcefulShutdown', () => resolve())
    })
    events.on('pool:create', ({ workerPool }) => {
      currentPoolId = workerPool.id
      spec.onPool({ started: workerPool.id })
    })
    events.on('pool:listen:error', ({ error }) => {
      lastProblem = `listening for new jobs failed: ${(error as Error).message}`
    })
    spec.onEvents(events)
    return run({
      pgPool: spec.pool,
      taskList: spec.taskList,
      concurrency: spec.concurrency,
      noHandleSignals: true,
      events,
      // Jobs due now arrive by LISTEN/NOTIFY at once; jobs scheduled for later (SLA deadlines, snoozes, waits, retries)
      // are found by this poll, so it bounds how late a timer can fire.
      pollInterval: 500,
      preset: {
        worker: {
          // Fetch jobs in batches and complete them in batches: at webhook rates the per-job round trips to
          // the queue tables, not the jobs themselves, would otherwise bound throughput.
          localQueue: { size: Math.max(2, spec.concurrency * 4) },
          completeJobBatchDelay: 2,
          failJobBatchDelay: 2,
        },
      },
      // Scheduled work is declared in code by the tasks that need it, not in a crontab file.
      parsedCronItems: [],
      logger: spec.workerLogger,
    })
  }

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })

  /** Runs pools one after another until stopped. Resolves once stopped. */
  const supervise = async (first: Runner): Promise<void> => {
    let current: Runner | undefined = first
    runner = first
    while (current) {
      const ended = current.promise.then(
        () => undefined,
        (error: unknown) => error as Error,
      )
      const outcome = await Promise.race([
        ended,
        shuttingDown.then(async () => {
          if (stopping) return ended
          await new Promise((resolve) => setTimeout(resolve, shutdownGraceMs).unref())
          return new Error('its shutdown did not finish (the database went away during it)')
        }),
      ])
      const stoppedId = currentPoolId
      currentPoolId = undefined
      runner = undefined
      if (stoppedId) spec.onPool({ stopped: stoppedId })
      if (stopping) return
      failures += 1
      lastProblem = outcome?.message ?? lastProblem ?? 'stopped'
      spec.log.error({ worker: spec.name, err: outcome }, 'the %s job worker stopped unexpectedly; restarting it', spec.name)
      while (!stopping && !runner) {
        await pause(restartDelaysMs[Math.min(failures - 1, restartDelaysMs.length - 1)] ?? 10_000)
        if (stopping) return
        try {
          runner = await startOnce()
          current = runner
          spec.log.info({ worker: spec.name, restarts: failures }, 'the %s job worker is running again', spec.name)
          failures = 0
          lastProblem = ''
        } catch (error) {
          failures += 1
          lastProblem = (error as Error).message
          spec.log.warn({ worker: spec.name, err: error }, 'the %s job worker could not start yet; trying again', spec.name)
        }
      }
    }
  }

  const supervision = supervise(await startOnce())
  return {
    poolId: () => currentPoolId,
    isRunning: () => runner !== undefined && currentPoolId !== undefined,
    detail: () => (runner ? `running (${spec.concurrency} slots)` : `restarting after ${failures} failure${failures === 1 ? '' : 's'}: ${lastProblem}`),
    async stop() {
      if (stopping) return
      stopping = true
      wake?.()
      await runner?.stop().catch(() => {})
      await supervision
    },
  }
}
