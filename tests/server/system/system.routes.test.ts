import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../../../server/src/context.js'
import { startWorker } from '../../../server/src/queue/queue.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let admin: SignedIn

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  admin = await signedInAs(ctx, app, 'admin')
})
afterAll(async () => {
  await app.close()
  await ctx.runtime.worker?.stop()
  await database.drop()
})

describe('GET /healthz', () => {
  it('answers 503 degraded, saying why, while the in-process worker is not running', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' })

    expect(response.statusCode).toBe(503)
    expect(response.json()).toMatchObject({ status: 'degraded', database: { ok: true }, worker: { ok: false, detail: 'not running' } })
  })
})

describe('GET /readyz', () => {
  it('is not ready while the in-process worker is not running', async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' })

    expect(response.statusCode).toBe(503)
    expect(response.json()).toMatchObject({
      status: 'not_ready',
      checks: { database: { ok: true }, migrations: { ok: true }, worker: { ok: false } },
    })
  })

  it('is ready once the database is reachable, migrations applied and the worker running', async () => {
    ctx.runtime.worker = await startWorker(ctx, database.pool, [], 1)

    const response = await app.inject({ method: 'GET', url: '/readyz' })

    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ status: 'ready', checks: { worker: { ok: true } } })
    const health = await app.inject({ method: 'GET', url: '/healthz' })
    expect(health.statusCode).toBe(200)
    expect(health.json()).toMatchObject({ status: 'ok', database: { ok: true, detail: 'reachable' }, worker: { ok: true } })
  })
})

describe('GET /api/system', () => {
  it('reports the database and queue state', async () => {
    const response = await app.inject({ headers: admin.headers, method: 'GET', url: '/api/system' })

    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({
      version: '0.1.0',
      database: { mode: 'external', serverVersion: expect.stringMatching(/^\d+/), migrationsApplied: expect.any(Number) },
      queue: { pendingJobs: 0, heldJobs: 0, failedJobs: 0 },
    })
  })
})

describe('GET /metrics', () => {
  it('exposes queue depth, job outcomes and request latency in Prometheus format', async () => {
    await app.inject({ method: 'GET', url: '/healthz' })

    const response = await app.inject({ method: 'GET', url: '/metrics' })

    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^text\/plain/)
    expect(response.body).toContain('carebox_queue_jobs{state="pending"} 0')
    expect(response.body).toContain('# TYPE carebox_jobs_failed_total counter')
    expect(response.body).toMatch(/carebox_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} [1-9]/)
  })
})

describe('GET /docs', () => {
  it('serves an OpenAPI document listing the API routes', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs/json' })

    expect(response.statusCode).toBe(200)
    expect(Object.keys(response.json().paths)).toEqual(expect.arrayContaining(['/api/system', '/healthz', '/readyz']))
  })
})

describe('unknown routes', () => {
  it('answers the error shape for an unknown API path', async () => {
    const response = await app.inject({ headers: admin.headers, method: 'GET', url: '/api/nothing-here' })

    expect(response.statusCode).toBe(404)
    expect(response.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/nothing-here' } })
  })
})
