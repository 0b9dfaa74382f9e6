import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

/** The repository root: every relative path in the config is resolved from here, whatever the cwd. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

const OnOff = Type.Union([Type.Literal('on'), Type.Literal('off')])

/**
 * Every environment variable Carebox reads, with its default. Nothing else reads process.env.
 * The README's table mirrors this schema.
 */
const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'HTTP port' }),
  HOST: Type.String({ minLength: 1, default: 'localhost', description: 'Interface to listen on' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://', description: 'PostgreSQL connection string' })),
  CAREBOX_DATA_DIR: Type.String({ minLength: 1, default: '.data', description: 'Local state directory' }),
  CAREBOX_FILES_DIR: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Where files agents send are kept (default: <CAREBOX_DATA_DIR>/files); shared between nodes on several machines',
    }),
  ),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  LOG_FORMAT: Type.Union([Type.Literal('pretty'), Type.Literal('json'), Type.Literal('auto')], {
    default: 'auto',
  }),
  CAREBOX_WORKER: Type.Union([OnOff], { default: 'on' }),
  CAREBOX_WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 4 }),
  CAREBOX_PLATFORM_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 256,
    default: 8,
    description: 'Jobs that call platforms (sends, polls, profile lookups) run at once, apart from the other jobs',
  }),
  CAREBOX_SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000 }),
  CAREBOX_CHANGE_RETENTION_DAYS: Type.Integer({
    minimum: 1,
    maximum: 3650,
    default: 30,
    description: 'Days the record of changes is kept once every consumer has processed it (what a consumer or event stream can resume from)',
  }),
  CAREBOX_STREAM_BUFFER_BYTES: Type.Integer({
    minimum: 16_384,
    maximum: 1_073_741_824,
    default: 1_048_576,
    description: "What may wait in one event stream client's send buffer; beyond it nothing more is read for the client",
  }),
  CAREBOX_STREAM_STALL_SECONDS: Type.Integer({
    minimum: 1,
    maximum: 3600,
    default: 30,
    description: 'How long an event stream client with a full buffer may read nothing before it is told to reconnect',
  }),
  CAREBOX_STREAM_ACCESS_CHECK_SECONDS: Type.Integer({
    minimum: 1,
    maximum: 300,
    default: 30,
    description: "How often an event stream client's token is looked at again (a revoked one is closed) and the client pinged",
  }),
  CAREBOX_INGEST_APPLY: Type.Union([Type.Literal('inline'), Type.Literal('queue')], {
    default: 'inline',
    description: 'inline: a webhook delivery is applied in the transaction that stores it; queue: stored for the worker to apply',
  }),
  CAREBOX_CHANGE_CONSUMERS: Type.String({
    pattern: '^(all|none|[a-z]+(,[a-z]+)*)$',
    default: 'all',
    description: 'Which consumers of the record of changes this process runs: all, none, or a comma-separated list',
  }),
  CAREBOX_PUBLIC_URL: Type.Optional(
    Type.String({ pattern: '^https?://[^\\s]+$', description: 'Public base URL platforms call back, e.g. https://care.example.com' }),
  ),
  CAREBOX_SECRET_KEY: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description: '32 random bytes, base64: encrypts channel secrets at rest' })),
  CAREBOX_CHANNELS_FILE: Type.Optional(Type.String({ minLength: 1, description: 'JSON file of channels to provision at start' })),
  CAREBOX_DEMO: Type.Union([OnOff], { default: 'on', description: 'Simulated platforms and live demo traffic' }),
  CAREBOX_ADMIN_EMAIL: Type.Optional(
    Type.String({ pattern: '^[^\\s@]+@[^\\s@]+$', maxLength: 254, description: 'First admin, created on an empty installation' }),
  ),
  CAREBOX_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 10, maxLength: 200, description: "First admin's password, at least 10 characters" })),
  CAREBOX_TRUST_PROXY: Type.Union([OnOff], {
    default: 'off',
    description: 'on: behind a reverse proxy, trust X-Forwarded-For/-Proto for client addresses and https',
  }),
  CAREBOX_SMTP_URL: Type.Optional(
    Type.String({
      pattern: '^smtps?://[^\\s]+$',
      description: 'Mail server for invitations, password resets and mentions: smtp://user:password@host:587 (STARTTLS) or smtps://…:465',
    }),
  ),
  CAREBOX_MAIL_FROM: Type.Optional(
    Type.String({ pattern: '^[^\\r\\n]*@[^\\r\\n]*$', maxLength: 320, description: 'Sender of Carebox emails, e.g. "Carebox <care@example.com>"' }),
  ),
  CAREBOX_REALTIME: Type.Union([Type.Literal('local'), Type.Literal('postgres')], {
    default: 'local',
    description: 'local: one node; postgres: live events cross nodes and standalone workers',
  }),
})
type Env = Static<typeof EnvSchema>

export interface Config {
  port: number
  host: string
  /** Set: use that server. Unset: start the embedded PostgreSQL under dataDir. */
  databaseUrl: string | undefined
  dataDir: string
  /** Files agents send with replies (the disk FileStorage's root). */
  filesDir: string
  logLevel: Env['LOG_LEVEL']
  logPretty: boolean
  workerInProcess: boolean
  workerConcurrency: number
  /** Slots for jobs that wait on platforms, kept apart so a hung platform cannot hold up inbound work. */
  platformConcurrency: number
  shutdownTimeoutMs: number
  changeRetentionDays: number
  streamBufferBytes: number
  streamStallSeconds: number
  streamAccessCheckSeconds: number
  /** inline: webhook deliveries are applied in the transaction that stores them (a failed one goes to the queue). */
  ingestApply: 'inline' | 'queue'
  /** Names of the change consumers this process runs, or 'all'. */
  changeConsumers: 'all' | string[]
  /** Base URL shown for webhooks; defaults to the listening address. */
  publicUrl: string | undefined
  /** Base64 key for channel secrets; unset: generated into dataDir (embedded database only). */
  secretKey: string | undefined
  channelsFile: string | undefined
  demo: boolean
  adminEmail: string | undefined
  adminPassword: string | undefined
  /** Behind a reverse proxy: client addresses (login limits, audit) and https come from X-Forwarded-*. */
  trustProxy: boolean
  /** How live events reach consoles: within this process, or across processes through PostgreSQL. */
  realtime: 'local' | 'postgres'
  /** Set: invitations, password resets and mentions also go by email through this server. */
  smtpUrl: string | undefined
  /** The From of those emails. */
  mailFrom: string
  version: string
}

export class ConfigError extends Error {}

/** A sender at the public URL's host: most mail servers refuse a From whose domain is not theirs, so set it. */
function defaultMailFrom(publicUrl: string | undefined): string {
  const host = publicUrl && URL.canParse(publicUrl) ? new URL(publicUrl).hostname : 'localhost'
  return `Carebox <carebox@${host}>`
}

/** Loads `.env` from the repository root when present; variables already set in the environment win. */
export function loadEnvFile(): void {
  const file = path.join(repoRoot, '.env')
  if (existsSync(file)) process.loadEnvFile(file)
}

/** Parses the environment once. A bad value throws a ConfigError naming the variable and what it accepts. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, version = '0.1.0'): Readonly<Config> {
  const known = Object.keys(EnvSchema.properties)
  // Empty strings count as unset, as shells and .env files often leave them.
  const input: Record<string, unknown> = {}
  for (const key of known) {
    const value = env[key]
    if (value !== undefined && value !== '') input[key] = value
  }
  const converted = Value.Default(EnvSchema, Value.Convert(EnvSchema, input))
  const firstError = Value.Errors(EnvSchema, converted).First()
  if (firstError) {
    const name = firstError.path.replace(/^\//, '')
    const given = input[name]
    const schema = (EnvSchema.properties as Record<string, { description?: string }>)[name]
    throw new ConfigError(
      `Environment variable ${name}=${JSON.stringify(given)} is invalid: ${firstError.message}` +
        (schema?.description ? ` (${schema.description})` : '') +
        '. Fix or unset it and start again.',
    )
  }
  const parsed = converted as Env
  return Object.freeze({
    port: parsed.PORT,
    host: parsed.HOST,
    databaseUrl: parsed.DATABASE_URL,
    dataDir: path.resolve(repoRoot, parsed.CAREBOX_DATA_DIR),
    filesDir: path.resolve(repoRoot, parsed.CAREBOX_FILES_DIR ?? path.join(parsed.CAREBOX_DATA_DIR, 'files')),
    logLevel: parsed.LOG_LEVEL,
    logPretty: parsed.LOG_FORMAT === 'auto' ? Boolean(process.stdout.isTTY) : parsed.LOG_FORMAT === 'pretty',
    workerInProcess: parsed.CAREBOX_WORKER === 'on',
    workerConcurrency: parsed.CAREBOX_WORKER_CONCURRENCY,
    platformConcurrency: parsed.CAREBOX_PLATFORM_CONCURRENCY,
    shutdownTimeoutMs: parsed.CAREBOX_SHUTDOWN_TIMEOUT_MS,
    changeRetentionDays: parsed.CAREBOX_CHANGE_RETENTION_DAYS,
    streamBufferBytes: parsed.CAREBOX_STREAM_BUFFER_BYTES,
    streamStallSeconds: parsed.CAREBOX_STREAM_STALL_SECONDS,
    streamAccessCheckSeconds: parsed.CAREBOX_STREAM_ACCESS_CHECK_SECONDS,
    ingestApply: parsed.CAREBOX_INGEST_APPLY,
    changeConsumers:
      parsed.CAREBOX_CHANGE_CONSUMERS === 'all' ? 'all' : parsed.CAREBOX_CHANGE_CONSUMERS === 'none' ? [] : parsed.CAREBOX_CHANGE_CONSUMERS.split(','),
    publicUrl: parsed.CAREBOX_PUBLIC_URL?.replace(/\/+$/, ''),
    secretKey: parsed.CAREBOX_SECRET_KEY,
    channelsFile: parsed.CAREBOX_CHANNELS_FILE ? path.resolve(repoRoot, parsed.CAREBOX_CHANNELS_FILE) : undefined,
    demo: parsed.CAREBOX_DEMO === 'on',
    realtime: parsed.CAREBOX_REALTIME,
    adminEmail: parsed.CAREBOX_ADMIN_EMAIL,
    adminPassword: parsed.CAREBOX_ADMIN_PASSWORD,
    trustProxy: parsed.CAREBOX_TRUST_PROXY === 'on',
    smtpUrl: parsed.CAREBOX_SMTP_URL,
    mailFrom: parsed.CAREBOX_MAIL_FROM ?? defaultMailFrom(parsed.CAREBOX_PUBLIC_URL),
    version,
  })
}

/** The base URL platforms and people reach this Carebox at: CAREBOX_PUBLIC_URL, else this machine's port. */
export function publicBaseUrl(ctx: { config: Pick<Config, 'publicUrl' | 'port'> }): string {
  return ctx.config.publicUrl ?? `http://localhost:${ctx.config.port}`
}
