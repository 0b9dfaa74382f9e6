import type { Static, TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { Logger as WorkerLogger, type TaskList } from 'graphile-worker'
import { sql } from 'kysely'
import type pg from 'pg'
import type { Logger } from 'pino'
import type { AppContext } from '../context.js'
import type { AnyDatabase } from '../db/client.js'
import type { Metrics } from '../observability/metrics.js'
import { countJobs, deleteHeartbeats, heartbeatIntervalMs, unlockDeadWorkers, writeHeartbeats } from './heartbeats.js'
import { startSupervisedRunner, type SupervisedRunner } from './supervised-runner.js'
import type { Capacity, TaskDefinition, TaskHandler } from './tasks.js'

export interface EnqueueOptions {
  /** Deduplicates: a second job with the same key replaces the pending one instead of adding another. */
  jobKey?: string
  /** Jobs in one named queue run one at a time, in order. */
  queueName?: string
  runAt?: Date
  priority?: number
  /** With a jobKey: keep the pending job's run time (a throttle) instead of moving it (a debounce). */
  preserveRunAt?: boolean
}

/**
 * Adds a job inside the caller's transaction: the job exists only if the transaction commits,
 * which is what makes the data and its follow-up work atomic (the transactional outbox).
 */
export async function enqueueInTx<S extends TSchema>(
  trx: AnyDatabase,
  task: TaskDefinition<S>,
  payload: Static<S>,
  options: EnqueueOptions = {},
): Promise<void> {
  if (!Value.Check(task.payload, payload)) {
    const first = Value.Errors(task.payload, payload).First()
    throw new Error(`invalid payload for job ${task.name}: ${first?.path} ${first?.message}`)
  }
  await sql`select graphile_worker.add_job(
    ${task.name},
    ${JSON.stringify(payload)}::json,
    queue_name => ${options.queueName ?? null}::text,
    run_at => ${options.runAt ?? null}::timestamptz,
    max_attempts => ${task.maxAttempts}::int,
    job_key => ${options.jobKey ?? null}::text,
    priority => ${options.priority ?? null}::int,
    job_key_mode => ${options.preserveRunAt ? 'preserve_run_at' : 'replace'}::text
  )`.execute(trx)
}

/** Bridges graphile-worker's logger to pino, keeping its scope (worker id, task, job id) as fields. */
export function workerLogger(log: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const fields = { ...scope, ...meta }
    if (level === 'error') log.error(fields, message)
    else if (level === 'warning') log.warn(fields, message)
    // One line per completed job is routine: kept for debugging, out of the info log.
    else if (level === 'info' && scope.label !== 'worker') log.info(fields, message)
    else log.debug(fields, message)
  })
}

export interface Worker {
  /** Every capacity's pool is running (none is between a crash and its restart). */
  isRunning(): boolean
  /** Each capacity's state in words, for /healthz and /readyz. */
  detail(): string
  /** Stops taking jobs and waits for the running ones to finish. */
  stop(): Promise<void>
}

/**
 * Registers the task names through our own connections, whose commits wait for the disk, before graphile-worker
 * does the same through its pool. Its pool commits asynchronously (see server.ts): a crash right after start could
 * lose the rows it wrote, leaving the worker with ids no new job carries, idle while jobs pile up. With the rows
 * already durable, graphile-worker's insert changes nothing and it reads ids that survive a crash.
 */
async function registerTaskNames(ctx: AppContext, names: string[]): Promise<void> {
  await sql`insert into graphile_worker._private_tasks (identifier) select unnest(${names}::text[]) on conflict do nothing`.execute(ctx.db)
}

/**
 * Runs the job handlers in two capacities, each a graphile-worker pool of its own that restarts itself after a
 * database outage: 'core' (ingest, routing, timers, reports: database work) and 'platform' (sends, polls, profile
 * lookups: waiting on platforms), so a platform that hangs can hold only the platform slots. Every pool writes
 * heartbeats, and every process that runs a worker unlocks the jobs of pools that stopped writing them.
 */
export async function startWorker(
  ctx: AppContext,
  pool: pg.Pool,
  handlers: readonly TaskHandler[],
  concurrency: number,
  platformConcurrency = ctx.config.platformConcurrency,
): Promise<Worker> {
  const byCapacity: Record<Capacity, TaskList> = { core: {}, platform: {} }
  for (const handler of handlers) {
    byCapacity[handler.definition.capacity ?? 'core'][handler.definition.name] = async (payload, helpers) => {
      if (!Value.Check(handler.definition.payload, payload)) {
        // A payload that does not match its schema will never succeed: fail without burning retries.
        throw new Error(`job ${handler.definition.name} #${helpers.job.id} has an invalid payload`)
      }
      await handler.run(ctx, payload, { attempts: helpers.job.attempts, maxAttempts: helpers.job.max_attempts })
    }
  }
  const livePools = new Map<string, Capacity>()
  const log = ctx.log.child({ component: 'worker' })
  const start = (capacity: Capacity, slots: number) =>
    startSupervisedRunner({
      name: capacity,
      pool,
      taskList: byCapacity[capacity],
      concurrency: slots,
      log,
      workerLogger: workerLogger(log.child({ capacity })),
      beforeStart: () => registerTaskNames(ctx, Object.keys(byCapacity[capacity])),
      onEvents(events) {
        events.on('job:success', ({ job }) => ctx.metrics.jobsCompleted.inc({ task: job.task_identifier }))
        events.on('job:error', ({ job }) => ctx.metrics.jobsFailed.inc({ task: job.task_identifier }))
        events.on('job:failed', ({ job }) => ctx.metrics.jobsExhausted.inc({ task: job.task_identifier }))
      },
      onPool({ started, stopped }) {
        if (started) {
          livePools.set(started, capacity)
          void beat()
        }
        if (stopped) {
          livePools.delete(stopped)
          void deleteHeartbeats(ctx.db, [stopped]).catch(() => {})
        }
      },
    })
  const beat = async () => {
    try {
      await writeHeartbeats(
        ctx.db,
        [...livePools].map(([id, capacity]) => ({ id, capacity })),
      )
      const unlocked = await unlockDeadWorkers(ctx.db)
      if (unlocked.length > 0) log.warn({ workers: unlocked }, 'unlocked the jobs of %d job worker(s) that stopped without finishing them', unlocked.length)
    } catch (error) {
      // The database is away: the health monitor says so; the next beat tries again.
      log.debug({ err: error }, 'worker heartbeat failed')
    }
  }
  const runners: [Capacity, SupervisedRunner][] = []
  const timer = setInterval(() => void beat(), heartbeatIntervalMs)
  timer.unref()
  try {
    // The core pool runs even with no task of its own (a process started only for its heartbeat and sweep).
    runners.push(['core', await start('core', concurrency)])
    if (Object.keys(byCapacity.platform).length > 0) runners.push(['platform', await start('platform', platformConcurrency)])
  } catch (error) {
    clearInterval(timer)
    await Promise.all(runners.map(([, r]) => r.stop()))
    throw error
  }
  let stopped = false
  return {
    isRunning: () => !stopped && runners.every(([, r]) => r.isRunning()),
    detail: () => (stopped ? 'stopped' : runners.map(([name, r]) => `${name}: ${r.detail()}`).join('; ')),
    async stop() {
      if (stopped) return
      stopped = true
      clearInterval(timer)
      await Promise.all(runners.map(([, r]) => r.stop()))
    },
  }
}

export type { QueueCounts } from './heartbeats.js'
export { countJobs }

export function registerQueueMetrics(metrics: Metrics, db: AnyDatabase): void {
  metrics.queueJobs(async (gauge) => {
    const counts = await countJobs(db)
    gauge.set({ state: 'pending' }, counts.pending)
    gauge.set({ state: 'running' }, counts.running)
    gauge.set({ state: 'held' }, counts.held)
    gauge.set({ state: 'failed' }, counts.failed)
  })
}

/**
 * Jobs to add and remove, gathered while a batch of rows is worked through and written in two statements at the
 * end, inside the caller's transaction: recomputing thousands of deadlines must not cost a round trip per timer.
 * A later add or remove of the same key wins over an earlier one.
 */
export class JobBatch {
  private readonly adds = new Map<
    string,
    { identifier: string; payload: unknown; queueName: string | null; runAt: Date | null; maxAttempts: number; jobKey: string; priority: number | null }
  >()
  private readonly anonymous: {
    identifier: string
    payload: unknown
    queueName: string | null
    runAt: Date | null
    maxAttempts: number
    jobKey: null
    priority: number | null
  }[] = []
  private readonly removes = new Set<string>()

  add<S extends TSchema>(task: TaskDefinition<S>, payload: Static<S>, options: EnqueueOptions = {}): void {
    if (!Value.Check(task.payload, payload)) throw new Error(`invalid payload for job ${task.name}`)
    const job = {
      identifier: task.name,
      payload,
      queueName: options.queueName ?? null,
      runAt: options.runAt ?? null,
      maxAttempts: task.maxAttempts,
      priority: options.priority ?? null,
    }
    if (options.jobKey) {
      this.removes.delete(options.jobKey)
      this.adds.set(options.jobKey, { ...job, jobKey: options.jobKey })
    } else this.anonymous.push({ ...job, jobKey: null })
  }

  remove(jobKey: string): void {
    this.adds.delete(jobKey)
    this.removes.add(jobKey)
  }

  async flush(trx: AnyDatabase): Promise<void> {
    if (this.removes.size > 0) {
      await sql`select graphile_worker.remove_job(k) from unnest(${[...this.removes]}::text[]) as k`.execute(trx)
      this.removes.clear()
    }
    const jobs = [...this.adds.values(), ...this.anonymous]
    if (jobs.length > 0) {
      const specs = jobs.map(
        (j) =>
          sql`(${j.identifier}::text, ${JSON.stringify(j.payload)}::json, ${j.queueName}::text, ${j.runAt}::timestamptz, ${j.maxAttempts}::int, ${j.jobKey}::text, ${j.priority}::int, null::text[])::graphile_worker.job_spec`,
      )
      await sql`select 1 from graphile_worker.add_jobs(array[${sql.join(specs)}])`.execute(trx)
      this.adds.clear()
      this.anonymous.length = 0
    }
  }
}
