// The ingest benchmark's world: the Carebox processes it starts and stops, the API calls that configure them, the
// WhatsApp deliveries it sends, and what it reads straight from PostgreSQL to follow the processing.
import path from 'node:path'
import { channelsApi, csrfHeader, routingApi, rulesApi, slaPoliciesApi, type RouteContract } from '@carebox/shared'
import type { Static, TSchema } from '@sinclair/typebox'
import type pg from 'pg'
import { changesChannel } from '../../server/src/changes/changes.repository.js'
import { nodeTs, startProcess, type Finished, type Started } from '../support/process.js'
import { metaBytes, metaSignature } from '../support/webhooks.js'
import { benchServerEnv, signInBenchAdmin } from './bench-admin.js'
import { post } from './load.js'

const appSecret = 'bench-app-secret'
// Not the demo's WhatsApp number: a restart with CAREBOX_DEMO=off disables the demo's channels.
const phoneNumberId = '139000000000001'
/**
 * Customers the deliveries come from, in turn. The benchmark first sends one message from each and lets every
 * consumer process them, so every measured delivery is a follow-up in a conversation Carebox already knows: the
 * stages measured alone and the sustained run then see the same kind of work.
 */
export const customers = 5000

export interface Delivery {
  raw: Buffer
  signature: string
  token: string
}

/** A WhatsApp delivery of one text message from customer `i % customers`, exactly as Meta shapes and signs it. */
export function delivery(i: number, runId: string): Delivery {
  const token = `${runId}-${i}`
  const from = `55${String(10_000_000_000 + (i % customers))}`
  const raw = metaBytes({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '120000000000001',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: `Customer ${i % customers}` }, wa_id: from }],
              messages: [
                { from, id: `wamid.${token}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: `Where is order ${token}?` } },
              ],
            },
          },
        ],
      },
    ],
  })
  return { raw, signature: metaSignature(raw, appSecret), token }
}

export function deliveries(count: number, runId: string): Delivery[] {
  return Array.from({ length: count }, (_, i) => delivery(i, runId))
}

/** Posts a delivery to Carebox's webhook; resolves with the status. */
export function send(serverUrl: string, d: Delivery): Promise<number> {
  return post(`${serverUrl}/webhooks/meta`, d.raw, { 'content-type': 'application/json', 'x-hub-signature-256': d.signature })
}

/** The child processes a run starts, so that whatever fails, all of them are stopped. */
export interface Children {
  start(entry: string, args: string[], env: Record<string, string>, nodeOptions?: string[]): Started
  stop(child: Started): Promise<Finished>
  stopAll(): Promise<void>
}

export function childProcesses(): Children {
  const running = new Set<Started>()
  const stop = async (child: Started): Promise<Finished> => {
    child.child.kill('SIGTERM')
    // Carebox drains for up to its shutdown timeout (10 s); past that, something is stuck.
    const killer = setTimeout(() => child.child.kill('SIGKILL'), 30_000)
    const finished = await child.exited
    clearTimeout(killer)
    running.delete(child)
    return finished
  }
  return {
    start(entry, args, env, nodeOptions = []) {
      const [command, nodeArgs] = nodeTs(path.join(import.meta.dirname, entry))
      const child = startProcess(command, [...nodeOptions, ...nodeArgs, ...args], env)
      running.add(child)
      return child
    },
    stop,
    async stopAll() {
      await Promise.all([...running].map(stop))
    },
  }
}

/** Carebox's warnings and errors (its JSON log), counted by message: what went wrong while it was measured. */
export function loggedProblems(output: string): Map<string, number> {
  const problems = new Map<string, number>()
  for (const line of output.split('\n')) {
    let entry: { level?: number; msg?: string; err?: { message?: string } }
    try {
      entry = JSON.parse(line) as typeof entry
    } catch {
      continue
    }
    if ((entry.level ?? 0) < 40) continue
    const key = `${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`.split('\n')[0]!.slice(0, 200)
    problems.set(key, (problems.get(key) ?? 0) + 1)
  }
  return problems
}

export type Session = Awaited<ReturnType<typeof signInBenchAdmin>>

export interface Carebox {
  url: string
  pid: number
  child: Started
  session: Session
}

/** Carebox in its own process on the benchmark's database (bench-server.ts), signed in as the bench admin. */
export async function startCarebox(children: Children, databaseUrl: string, env: Record<string, string>, nodeOptions: string[] = []): Promise<Carebox> {
  const child = children.start(
    'bench-server.ts',
    [],
    { ...benchServerEnv(databaseUrl), CAREBOX_WORKER_CONCURRENCY: process.env.BENCH_CONCURRENCY ?? '8', ...env },
    nodeOptions,
  )
  const [, url = ''] = await child.waitFor(/READY (\S+)/, 120_000)
  return { url, pid: child.child.pid as number, child, session: await signInBenchAdmin(url) }
}

/** A console stand-in (socket-listener.ts) connected to Carebox as the bench admin. */
export async function connectConsole(children: Children, carebox: Carebox): Promise<Started> {
  const listener = children.start('socket-listener.ts', [carebox.url], { BENCH_COOKIE: carebox.session.cookie })
  await listener.waitFor(/CONNECTED/, 30_000)
  return listener
}

type Reply<C extends RouteContract> = Static<C['schema']['response'][200]>
type Body<C extends RouteContract> = C['schema'] extends { body: infer B extends TSchema } ? Static<B> : never

/** Calls Carebox's API through a shared route contract, as the bench admin. */
export async function call<C extends RouteContract>(
  carebox: Carebox,
  route: C,
  input: { params?: Record<string, string>; query?: Record<string, string>; body?: Body<C> } = {},
): Promise<Reply<C>> {
  const url = route.url.replace(/:(\w+)/g, (_, name: string) => input.params?.[name] ?? '') + (input.query ? `?${new URLSearchParams(input.query)}` : '')
  const response = await fetch(`${carebox.url}${url}`, {
    method: route.method,
    headers: {
      cookie: carebox.session.cookie,
      [csrfHeader]: carebox.session.csrfToken,
      ...(input.body !== undefined && { 'content-type': 'application/json' }),
    },
    body: input.body === undefined ? undefined : JSON.stringify(input.body),
  })
  if (!response.ok) throw new Error(`${route.method} ${url} answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as Reply<C>
}

/**
 * What gives every consumer work, as a working installation would: the WhatsApp channel in the default team with
 * auto-assignment on, an SLA policy on the channel, and a message.received rule that tags every order question.
 */
export async function configureBench(carebox: Carebox): Promise<{ channelId: string }> {
  const { items } = await call(carebox, routingApi.teams)
  const teamId = items[0]!.teamId
  await call(carebox, routingApi.updateTeam, { params: { teamId }, body: { autoAssign: true } })
  const channel = await call(carebox, channelsApi.create, {
    body: {
      kind: 'whatsapp',
      name: 'Bench WhatsApp',
      externalId: phoneNumberId,
      settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
      secrets: { appSecret, accessToken: 'unused' },
      teamId,
    },
  })
  await call(carebox, slaPoliciesApi.create, {
    body: {
      name: 'Bench',
      enabled: true,
      conditions: { channelIds: [channel.id] },
      targets: { normal: { first_response: { minutes: 60, businessHours: false }, resolution: { minutes: 1440, businessHours: false } } },
    },
  })
  await call(carebox, rulesApi.create, {
    body: {
      teamId: null,
      name: 'Order questions',
      enabled: true,
      trigger: 'message.received',
      afterMinutes: null,
      conditions: { keywords: ['order'] },
      actions: [{ type: 'add_tag', tag: 'order' }],
    },
  })
  return { channelId: channel.id }
}

/** A position in the record of changes, in the (tx, seq) order consumers read it. */
export interface Position {
  tx: string
  seq: string
}

/** Where a consumer starting now would start (change-cursors.repository.ts, loadCursor). */
export async function headOfChanges(db: pg.Client): Promise<Position> {
  const { rows } = await db.query<Position>(`select coalesce(max(tx), '0')::text as tx, coalesce(max(seq), 0)::text as seq from changes`)
  return rows[0]!
}

/** The position just before the last `count` message.created changes, and how many there are after it. */
export async function positionBeforeLastMessages(db: pg.Client, count: number): Promise<{ position: Position; messages: number }> {
  const { rows } = await db.query<Position>(
    `select tx::text as tx, seq::text as seq from changes where type = 'message.created' order by tx desc, seq desc offset $1 limit 1`,
    [count],
  )
  const position = rows[0] ?? { tx: '0', seq: '0' }
  const { rows: after } = await db.query<{ n: number }>(
    `select count(*)::int as n from changes where type = 'message.created' and (tx, seq) > ($1::xid8, $2::bigint)`,
    [position.tx, position.seq],
  )
  return { position, messages: after[0]!.n }
}

/** Puts a consumer's cursor at a position (creating it if it never ran), and wakes the runners. */
export async function moveConsumerTo(db: pg.Client, consumer: string, position: Position): Promise<void> {
  await db.query(
    `insert into change_consumers (name, tx, seq) values ($1, $2::xid8, $3::bigint)
     on conflict (name) do update set tx = excluded.tx, seq = excluded.seq, updated_at = now()`,
    [consumer, position.tx, position.seq],
  )
  await db.query(`select pg_notify($1, '')`, [changesChannel])
}

export interface Progress {
  /** Envelopes not yet applied. */
  pending: number
  /** No job due or running: what consumers enqueued (auto-assignment runs) is done too. */
  isQueueIdle: boolean
  /** Per consumer: nothing recorded after its cursor. */
  caughtUp: Record<string, boolean>
}

export async function readProgress(db: pg.Client, consumers: readonly string[]): Promise<Progress> {
  const { rows } = await db.query<Progress>(
    `select (select count(*)::int from inbound_events where status = 'pending') as pending,
       not exists (select 1 from graphile_worker.jobs where run_at <= now() and attempts < max_attempts) as "isQueueIdle",
       coalesce((select json_object_agg(c.name, not exists (select 1 from changes x where (x.tx, x.seq) > (c.tx, c.seq)))
         from change_consumers c where c.name = any($1::text[])), '{}') as "caughtUp"`,
    [consumers],
  )
  return rows[0]!
}

export interface Settled {
  /** performance.now() when no envelope was left pending; null if that never happened in time. */
  appliedAt: number | null
  /** Per consumer, when it last became caught up (for good, as far as this wait saw). */
  caughtUpAt: Map<string, number>
  /** When everything was applied, every consumer caught up and the queue idle; null if not in time. */
  settledAt: number | null
  /** What the last poll saw. */
  last: Progress
}

/** Polls until every envelope is applied, the consumers are caught up and the queue is idle, or the time is up. */
export async function waitUntilSettled(db: pg.Client, consumers: readonly string[], timeoutMs: number, pollMs = 50): Promise<Settled> {
  const started = performance.now()
  let appliedAt: number | null = null
  const caughtUpAt = new Map<string, number>()
  for (;;) {
    const progress = await readProgress(db, consumers)
    const now = performance.now()
    if (progress.pending === 0) appliedAt ??= now
    for (const name of consumers) {
      if (progress.pending === 0 && progress.caughtUp[name]) {
        if (!caughtUpAt.has(name)) caughtUpAt.set(name, now)
      } else {
        caughtUpAt.delete(name)
      }
    }
    if (progress.pending === 0 && progress.isQueueIdle && consumers.every((name) => caughtUpAt.has(name)))
      return { appliedAt, caughtUpAt, settledAt: now, last: progress }
    if (now - started > timeoutMs) return { appliedAt, caughtUpAt, settledAt: null, last: progress }
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}
