import type { Static, TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { Logger as WorkerLogger, run, type Runner, type TaskList } from 'graphile-worker'
import { sql } from 'kysely'
import type pg from 'pg'
import type { Logger } from 'pino'
import type { AppContext } from '../context.js'
import type { AnyDatabase } from '../db/client.js'
import type { Metrics } from '../observability/metrics.js'
import type { TaskDefinition, TaskHandler } from './tasks.js'

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
    else if (level === 'info') log.info(fields, message)
    else log.debug(fields, message)
  })
}

export interface Worker {
  isRunning(): boolean
  /** Stops taking jobs and waits for the running ones to finish. */
  stop(): Promise<void>
}

export async function startWorker(
  ctx: AppContext,
  pool: pg.Pool,
  handlers: readonly TaskHandler[],
  concurrency: number,
): Promise<Worker> {
  const taskList: TaskList = {}
  for (const handler of handlers) {
    taskList[handler.definition.name] = async (payload, helpers) => {
      if (!Value.Check(handler.definition.payload, payload)) {
        // A payload that does not match its schema will never succeed: fail without burning retries.
        throw new Error(`job ${handler.definition.name} #${helpers.job.id} has an invalid payload`)
      }
      await handler.run(ctx, payload, { attempts: helpers.job.attempts, maxAttempts: helpers.job.max_attempts })
    }
  }
  const runner: Runner = await run({
    pgPool: pool,
    taskList,
    concurrency,
    noHandleSignals: true,
    // Jobs due now arrive by LISTEN/NOTIFY at once; jobs scheduled for later (SLA deadlines, snoozes, waits) are
    // found by this poll, so it bounds how late a timer can fire.
    pollInterval: 500,
    preset: {
      worker: {
        // Fetch jobs in batches and complete them in batches: at webhook rates the per-job round trips to
        // the queue tables, not the jobs themselves, would otherwise bound throughput.
        localQueue: { size: Math.max(2, concurrency * 4) },
        completeJobBatchDelay: 2,
        failJobBatchDelay: 2,
      },
    },
    // Scheduled work is declared in code by the tasks that need it, not in a crontab file.
    parsedCronItems: [],
    logger: workerLogger(ctx.log.child({ component: 'worker' })),
  })
  let running = true
  runner.events.on('job:success', ({ job }) => ctx.metrics.jobsCompleted.inc({ task: job.task_identifier }))
  runner.events.on('job:error', ({ job }) => ctx.metrics.jobsFailed.inc({ task: job.task_identifier }))
  runner.events.on('job:failed', ({ job }) => ctx.metrics.jobsExhausted.inc({ task: job.task_identifier }))
  runner.promise.then(
    () => (running = false),
    (error: unknown) => {
      running = false
      ctx.log.error({ err: error }, 'the job worker stopped with an error')
    },
  )
  return {
    isRunning: () => running,
    async stop() {
      if (!running) return
      running = false
      await runner.stop()
    },
  }
}

export interface QueueCounts {
  pending: number
  running: number
  failed: number
}

export async function countJobs(db: AnyDatabase): Promise<QueueCounts> {
  const { rows } = await sql<QueueCounts>`
    select
      count(*) filter (where locked_at is null and attempts < max_attempts)::int as pending,
      count(*) filter (where locked_at is not null)::int as running,
      count(*) filter (where locked_at is null and attempts >= max_attempts)::int as failed
    from graphile_worker.jobs`.execute(db)
  return rows[0] ?? { pending: 0, running: 0, failed: 0 }
}

export function registerQueueMetrics(metrics: Metrics, db: AnyDatabase): void {
  metrics.queueJobs(async (gauge) => {
    const counts = await countJobs(db)
    gauge.set({ state: 'pending' }, counts.pending)
    gauge.set({ state: 'running' }, counts.running)
    gauge.set({ state: 'failed' }, counts.failed)
  })
}

/**
 * Jobs to add and remove, gathered while a batch of rows is worked through and written in two statements at the
 * end, inside the caller's transaction: recomputing thousands of deadlines must not cost a round trip per timer.
 * A later add or remove of the same key wins over an earlier one.
 */
export class JobBatch {
  private readonly adds = new Map<string, { identifier: string; payload: unknown; queueName: string | null; runAt: Date | null; maxAttempts: number; jobKey: string; priority: number | null }>()
  private readonly anonymous: { identifier: string; payload: unknown; queueName: string | null; runAt: Date | null; maxAttempts: number; jobKey: null; priority: number | null }[] = []
  private readonly removes = new Set<string>()

  add<S extends TSchema>(task: TaskDefinition<S>, payload: Static<S>, options: EnqueueOptions = {}): void {
    if (!Value.Check(task.payload, payload)) throw new Error(`invalid payload for job ${task.name}`)
    const job = { identifier: task.name, payload, queueName: options.queueName ?? null, runAt: options.runAt ?? null, maxAttempts: task.maxAttempts, priority: options.priority ?? null }
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
