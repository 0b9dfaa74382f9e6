import { Type } from '@sinclair/typebox'
import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../../../server/src/context.js'
import { countJobs, enqueueInTx, startWorker, type Worker } from '../../../server/src/queue/queue.js'
import { defineHandler, defineTask } from '../../../server/src/queue/tasks.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

const recordTask = defineTask({ name: 'test.record', payload: Type.Object({ value: Type.String() }), maxAttempts: 3 })
const failingTask = defineTask({ name: 'test.fail', payload: Type.Object({}), maxAttempts: 2 })
const slowTask = defineTask({ name: 'test.slow', payload: Type.Object({ ms: Type.Integer() }), maxAttempts: 1 })

let database: TestDatabase
let ctx: AppContext
let worker: Worker | undefined
const seen: string[] = []

const handlers = [
  defineHandler(recordTask, async (c, payload) => {
    await sql`insert into queue_test_log (value) values (${payload.value})`.execute(c.db)
    seen.push(payload.value)
  }),
  defineHandler(failingTask, async () => {
    throw new Error('platform said no')
  }),
  defineHandler(slowTask, async (c, payload) => {
    await new Promise((resolve) => setTimeout(resolve, payload.ms))
    await sql`insert into queue_test_log (value) values ('slow done')`.execute(c.db)
  }),
]

async function waitFor<T>(read: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (isDone(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function loggedValues(): Promise<string[]> {
  const { rows } = await sql<{ value: string }>`select value from queue_test_log order by id`.execute(ctx.db)
  return rows.map((r) => r.value)
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  await sql`create table queue_test_log (id serial primary key, value text not null)`.execute(ctx.db)
})
afterEach(async () => {
  await worker?.stop()
  worker = undefined
  await sql`delete from graphile_worker._private_jobs`.execute(ctx.db)
  await sql`truncate queue_test_log`.execute(ctx.db)
})
afterAll(async () => {
  await database.drop()
})

describe('enqueueInTx', () => {
  it('creates the job only when the transaction commits', async () => {
    await ctx.db
      .transaction()
      .execute(async (trx) => {
        await enqueueInTx(trx, recordTask, { value: 'rolled back' })
        throw new Error('abort')
      })
      .catch(() => {})
    await ctx.db.transaction().execute((trx) => enqueueInTx(trx, recordTask, { value: 'committed' }))

    worker = await startWorker(ctx, database.pool, handlers, 2)
    const values = await waitFor(loggedValues, (v) => v.length >= 1)

    expect(values).toEqual(['committed'])
    expect((await countJobs(ctx.db)).pending).toBe(0)
  })

  it('keeps one pending job per job key', async () => {
    await ctx.db.transaction().execute(async (trx) => {
      await enqueueInTx(trx, recordTask, { value: 'first' }, { jobKey: 'same' })
      await enqueueInTx(trx, recordTask, { value: 'second' }, { jobKey: 'same' })
    })

    expect((await countJobs(ctx.db)).pending).toBe(1)
  })

  it('rejects a payload that does not match the task schema, adding nothing', async () => {
    const enqueue = ctx.db.transaction().execute((trx) => enqueueInTx(trx, recordTask, { value: 42 } as unknown as { value: string }))

    await expect(enqueue).rejects.toThrow(/invalid payload for job test.record/)
    expect((await countJobs(ctx.db)).pending).toBe(0)
  })
})

describe('startWorker', () => {
  it('counts failed attempts and stops retrying at the task cap', async () => {
    await ctx.db.transaction().execute((trx) => enqueueInTx(trx, failingTask, {}))

    worker = await startWorker(ctx, database.pool, handlers, 1)
    // graphile-worker backs off exponentially; make the retry due now instead of waiting for it.
    await waitFor(
      () => jobAttempts(),
      (a) => a >= 1,
    )
    await sql`update graphile_worker._private_jobs set run_at = now()`.execute(ctx.db)
    const attempts = await waitFor(
      () => jobAttempts(),
      (a) => a >= 2,
    )

    expect(attempts).toBe(2)
    expect(
      await waitFor(
        () => countJobs(ctx.db),
        (c) => c.failed === 1,
      ),
    ).toMatchObject({ failed: 1, pending: 0 })
    const metrics = await ctx.metrics.registry.getSingleMetricAsString('carebox_jobs_failed_total')
    expect(metrics).toContain('carebox_jobs_failed_total{task="test.fail"} 2')
    const exhausted = await ctx.metrics.registry.getSingleMetricAsString('carebox_jobs_exhausted_total')
    expect(exhausted).toContain('carebox_jobs_exhausted_total{task="test.fail"} 1')
  })

  it('lets a running job finish before stop() resolves', async () => {
    await ctx.db.transaction().execute((trx) => enqueueInTx(trx, slowTask, { ms: 500 }))
    worker = await startWorker(ctx, database.pool, handlers, 1)
    await waitFor(
      () => countJobs(ctx.db),
      (c) => c.running === 1,
    )

    await worker.stop()

    expect(await loggedValues()).toEqual(['slow done'])
    expect(worker.isRunning()).toBe(false)
  })
})

async function jobAttempts(): Promise<number> {
  const { rows } = await sql<{ attempts: number }>`select attempts from graphile_worker._private_jobs`.execute(ctx.db)
  return rows[0]?.attempts ?? 0
}
