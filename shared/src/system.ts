import { Type, type Static } from '@sinclair/typebox'
import { defineRoute } from './contract.js'
import { Id, IsoDateTime } from './common.js'
import { ChannelKind, IngestMode } from './channels.js'

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

/** One consumer of the record of changes: where its cursor is, and what it could not process. */
export const ChangeConsumerState = Type.Object({
  name: Type.String(),
  /** The seq of the last change it moved past. */
  seq: Type.Integer(),
  processed: Type.Integer(),
  /** Changes recorded after its cursor. */
  behind: Type.Integer(),
  deadLetters: Type.Integer(),
  /** When its cursor last moved. */
  updatedAt: IsoDateTime,
})
export type ChangeConsumerState = Static<typeof ChangeConsumerState>

/** A change a consumer failed on until it gave up and moved past it: replayed by an admin, or left. */
export const ChangeDeadLetter = Type.Object({
  consumer: Type.String(),
  seq: Type.Integer(),
  type: Type.String(),
  conversationId: Type.Union([Id, Type.Null()]),
  occurredAt: IsoDateTime,
  attempts: Type.Integer(),
  /** The last failure's message, as the consumer threw it: untrusted text. */
  error: Type.String(),
  parkedAt: IsoDateTime,
})
export type ChangeDeadLetter = Static<typeof ChangeDeadLetter>

/** The most dead letters listed at once, newest first. */
export const changeDeadLettersShown = 200

export const ChangesOverview = Type.Object({
  /** The seq of the latest change recorded. */
  head: Type.Integer(),
  consumers: Type.Array(ChangeConsumerState),
  deadLetters: Type.Array(ChangeDeadLetter, { maxItems: changeDeadLettersShown }),
})
export type ChangesOverview = Static<typeof ChangesOverview>

export const ChangeDeadLetterReplay = Type.Object(
  { consumer: Type.String({ minLength: 1, maxLength: 100 }), seq: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
)
export type ChangeDeadLetterReplay = Static<typeof ChangeDeadLetterReplay>

export const ChangeDeadLettersReplayAll = Type.Object(
  { consumer: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
  { additionalProperties: false },
)
export type ChangeDeadLettersReplayAll = Static<typeof ChangeDeadLettersReplayAll>

export const ChangeDeadLettersReplayed = Type.Object({ replayed: Type.Integer(), failed: Type.Integer() })
export type ChangeDeadLettersReplayed = Static<typeof ChangeDeadLettersReplayed>

/**
 * When a channel counts as unusually quiet ("Nothing received for N minutes"): nothing has come from the platform
 * (no webhook, no polled update) for longer than `factor` times the channel's usual gap, and at least `minMinutes`.
 * The usual gap is the median gap between its arrivals over the last `windowDays` days (the latest `sampleSize` at
 * most); a channel with fewer than `minArrivals` arrivals in that time is not judged.
 */
export const channelQuietRule = { windowDays: 7, sampleSize: 1000, factor: 10, minMinutes: 5, minArrivals: 20 } as const

/** The rule above in words, for the tooltip next to "Nothing received for N minutes" (and the README). */
export const channelQuietRuleText =
  `Shown when nothing has come from the platform for more than ${channelQuietRule.factor} times the channel's usual gap between ` +
  `arrivals, and at least ${channelQuietRule.minMinutes} minutes. The usual gap is the median gap between arrivals over the last ` +
  `${channelQuietRule.windowDays} days; a channel with fewer than ${channelQuietRule.minArrivals} arrivals in that time is not judged.`

/** How long without an arrival counts as unusual for a channel whose usual gap is `usualGapMs`. */
export function channelQuietAfterMs(usualGapMs: number): number {
  return Math.max(channelQuietRule.minMinutes * 60_000, channelQuietRule.factor * usualGapMs)
}

/** How a channel's intake is doing, for Settings → Channels and → System. */
export const ChannelHealth = Type.Object({
  channelId: Id,
  name: Type.String(),
  kind: ChannelKind,
  mode: IngestMode,
  enabled: Type.Boolean(),
  /**
   * `failing`: its last poll failed and none has worked since; `quiet`: nothing received for unusually long (see
   * channelQuietRule); `disabled`; `ok` otherwise.
   */
  status: Type.Union([Type.Literal('ok'), Type.Literal('failing'), Type.Literal('quiet'), Type.Literal('disabled')]),
  /** The last poll the platform answered; a failed poll does not count. */
  lastPollOkAt: Type.Union([IsoDateTime, Type.Null()]),
  lastWebhookAt: Type.Union([IsoDateTime, Type.Null()]),
  /** The latest arrival from the platform, by webhook or by polling. */
  lastReceivedAt: Type.Union([IsoDateTime, Type.Null()]),
  /** The channel's last error (a poll that failed, a payload that could not be read), in the platform's words. */
  lastError: Type.Union([Type.Object({ message: Type.String(), at: IsoDateTime }), Type.Null()]),
  /** The last poll failed, with lastError, and none has worked since. */
  isPollFailing: Type.Boolean(),
  /** The last time the polling cursor no longer matched the platform and polling started over from what it has. */
  cursorReset: Type.Union([Type.Object({ at: IsoDateTime, reason: Type.String() }), Type.Null()]),
  /** The median gap between arrivals over the rule's window; null with too few arrivals to tell. */
  usualGapSeconds: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  /** Arrivals in the rule's window (counted up to its sample size). */
  arrivals: Type.Integer({ minimum: 0 }),
  /** Minutes since the last arrival, when that is unusually long for this channel; null otherwise. */
  quietMinutes: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
})
export type ChannelHealth = Static<typeof ChannelHealth>

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
  changes: defineRoute({
    method: 'GET',
    url: '/api/system/changes',
    summary: 'The consumers of the record of changes, how far behind each is, and the changes they gave up on (dead letters)',
    tags: ['system'],
    access: { role: 'admin' },
    schema: { response: { 200: ChangesOverview } },
  }),
  replayChangeDeadLetter: defineRoute({
    method: 'POST',
    url: '/api/system/changes/dead-letters/replay',
    summary: 'Hand a dead-lettered change to its consumer again; 409 with the reason if it fails again',
    tags: ['system'],
    access: { role: 'admin' },
    schema: { body: ChangeDeadLetterReplay, response: { 200: Type.Object({ replayed: Type.Literal(true) }) } },
  }),
  channelHealth: defineRoute({
    method: 'GET',
    url: '/api/system/channel-health',
    summary: "Each channel's intake: last successful poll, last webhook, last error, and whether it has been unusually quiet",
    tags: ['system'],
    access: { role: 'admin' },
    schema: { response: { 200: Type.Object({ items: Type.Array(ChannelHealth) }) } },
  }),
  replayAllChangeDeadLetters: defineRoute({
    method: 'POST',
    url: '/api/system/changes/dead-letters/replay-all',
    summary: 'Replay every dead-lettered change (of one consumer, if named), oldest first; those that fail again stay listed',
    tags: ['system'],
    access: { role: 'admin' },
    schema: { body: ChangeDeadLettersReplayAll, response: { 200: ChangeDeadLettersReplayed } },
  }),
}
