import { Type, type Static } from '@sinclair/typebox'
import { defineRoute } from './contract.js'
import { IsoDateTime } from './common.js'

/**
 * What this process can do right now. `degraded`: it cannot reach PostgreSQL, or its job worker is down and not
 * coming back; nothing new is processed until it recovers (webhooks are refused, so platforms retry them).
 */
export const SystemHealth = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  database: Type.Object({
    ok: Type.Boolean(),
    /** Since when it has been reachable, or unreachable. */
    since: IsoDateTime,
    detail: Type.String(),
  }),
  worker: Type.Object({ ok: Type.Boolean(), detail: Type.String() }),
})
export type SystemHealth = Static<typeof SystemHealth>
export const HealthStatus = SystemHealth
export type HealthStatus = SystemHealth

export const ReadinessCheck = Type.Object({ ok: Type.Boolean(), detail: Type.String() })
export const ReadinessStatus = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Object({ database: ReadinessCheck, migrations: ReadinessCheck, worker: ReadinessCheck }),
})
export type ReadinessStatus = Static<typeof ReadinessStatus>

export const SystemInfo = Type.Object({
  version: Type.String(),
  startedAt: IsoDateTime,
  database: Type.Object({
    mode: Type.Union([Type.Literal('embedded'), Type.Literal('external')]),
    serverVersion: Type.String(),
    migrationsApplied: Type.Integer(),
  }),
  queue: Type.Object({
    workerInProcess: Type.Boolean(),
    pendingJobs: Type.Integer(),
    /** Locked by a worker that stopped (its process was killed): unlocked for the others within a minute. */
    heldJobs: Type.Integer(),
    failedJobs: Type.Integer(),
  }),
})
export type SystemInfo = Static<typeof SystemInfo>

export const systemApi = {
  health: defineRoute({
    method: 'GET',
    url: '/healthz',
    summary: 'Liveness: 200 while this process can reach its database and run jobs, 503 (degraded) while it cannot',
    tags: ['system'],
    access: { role: 'public' },
    schema: { response: { 200: HealthStatus, 503: HealthStatus } },
  }),
  readiness: defineRoute({
    method: 'GET',
    url: '/readyz',
    summary: 'Readiness: database reachable, migrations applied, worker running',
    tags: ['system'],
    access: { role: 'public' },
    schema: { response: { 200: ReadinessStatus, 503: ReadinessStatus } },
  }),
  metrics: defineRoute({
    method: 'GET',
    url: '/metrics',
    summary: 'Prometheus metrics: HTTP latency, job outcomes, queue depth, process stats',
    tags: ['system'],
    access: { role: 'public' },
    schema: { response: { 200: Type.String({ description: 'Prometheus text exposition format' }) } },
  }),
  info: defineRoute({
    method: 'GET',
    url: '/api/system',
    summary: 'Version, database mode and queue state, for Settings → System',
    tags: ['system'],
    access: { role: 'admin' },
    schema: { response: { 200: SystemInfo } },
  }),
}
