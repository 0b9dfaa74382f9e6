// `pnpm bench ingest`: in one run on the embedded PostgreSQL, the machine's ceiling, the accept-only rate, what each
// stage of ingest costs per delivery (accept, apply, and each consumer of the record of changes), the sustained rate
// with everything on and how soon the consumers catch up, and the latencies a console and a report see.
//
// Order of the run: ceiling → a first message from every customer, worked through with everything on → accept
// only (deliveries queued, worker off) → apply that backlog alone (no consumer running) → accept and apply in one
// transaction (the default path, no consumer running) → each consumer alone on the changes that recorded →
// sustained load with everything on → latencies at 1,000/s and 100/s. Every stretch measured for cost
// ends with a VACUUM of what it left (see ingest-meters.ts).
// Env: BENCH_DELIVERIES (accept-only and sustained runs, 10,000), BENCH_STAGE_DELIVERIES (backlog each consumer
// catches up alone, 3,000), BENCH_SECONDS (each latency run, 10), BENCH_CONNECTIONS (100), BENCH_CONCURRENCY (worker,
// 8), BENCH_WORKER=off (stop after the accept-only figures), BENCH_SAMPLE=1 (what PostgreSQL's busy backends did
// during the sustained run), BENCH_PROFILE_DIR=<dir> (CPU profile of the sustained run's Carebox process).
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { reportsApi } from '@carebox/shared'
import pg from 'pg'
import pino from 'pino'
import { changeConsumers } from '../../server/src/consumers/consumers.js'
import { startEmbeddedPostgres } from '../../server/src/db/embedded.js'
import type { Finished, Started } from '../support/process.js'
import { beginStretch, costBetween, describeUnitCost, endStretch, openMeter, perUnit, sumUnits, type Meter, type UnitCost } from './ingest-meters.js'
import {
  call,
  childProcesses,
  configureBench,
  connectConsole,
  deliveries,
  headOfChanges,
  loggedProblems,
  moveConsumerTo,
  positionBeforeLastMessages,
  readProgress,
  send,
  startCarebox,
  customers,
  waitUntilSettled,
  type Carebox,
  type Children,
  type Delivery,
} from './ingest-setup.js'
import { closedLoop, get, openLoop, percentile } from './load.js'

const deliveryCount = Number(process.env.BENCH_DELIVERIES ?? 10_000)
const stageDeliveries = Math.min(deliveryCount, Number(process.env.BENCH_STAGE_DELIVERIES ?? 3000))
/** Sent to the accept-only Carebox before its measured run. */
const warmupDeliveries = 1000
// Platforms deliver over many connections at once (Telegram: up to 100 per webhook).
const connections = Number(process.env.BENCH_CONNECTIONS ?? 100)
const latencySeconds = Number(process.env.BENCH_SECONDS ?? 10)
const reportPollMs = 100
const settleTimeoutMs = 60_000
const consumerNames = changeConsumers.map((c) => c.name)

const say = (line: string) => process.stdout.write(`${line}\n`)
const count = (n: number) => Math.round(n).toLocaleString('en')
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Ceiling {
  httpRate: number
  http: UnitCost
  commitRate: number
  commit: UnitCost
}

function againstCeiling(rate: number, ceiling: Ceiling): string {
  return `${((100 * rate) / ceiling.httpRate).toFixed(0)}% of the empty route, ${(rate / ceiling.commitRate).toFixed(2)}× the commit rate`
}

function againstCommit(unit: UnitCost, ceiling: Ceiling): string {
  return `= ${(unit.cpuMs / ceiling.commit.cpuMs).toFixed(1)}× a commit's CPU, ${(unit.walBytes / ceiling.commit.walBytes).toFixed(1)}× its WAL`
}

/** Stops a Carebox and prints the kinds of warnings and errors it logged, if any (a few). */
async function stopCarebox(children: Children, carebox: Carebox): Promise<Finished> {
  const finished = await children.stop(carebox.child)
  const problems = [...loggedProblems(finished.stdout + finished.stderr)]
  for (const [message, n] of problems.slice(0, 3)) say(`  Carebox logged ${count(n)}× ${message}`)
  if (problems.length > 3) say(`  … and ${problems.length - 3} other kinds of warnings`)
  return finished
}

/** Sends every delivery over `connections` connections at once; resolves with the elapsed ms. */
async function sendAll(carebox: Carebox, batch: Delivery[]): Promise<number> {
  const refused = new Map<number, number>()
  const ms = await closedLoop(batch.length, connections, async (i) => {
    const status = await send(carebox.url, batch[i]!)
    if (status !== 200) refused.set(status, (refused.get(status) ?? 0) + 1)
  })
  for (const [status, n] of refused) say(`  warning: ${count(n)} of ${count(batch.length)} deliveries were answered ${status}`)
  return ms
}

/** Fastify's empty route in its own process, and single-row commits from 16 clients. */
async function measureCeiling(children: Children, meter: Meter, databaseUrl: string): Promise<Ceiling> {
  const server = children.start('ingest-empty-server.ts', [], {})
  const [, url = ''] = await server.waitFor(/READY (\S+)/, 60_000)
  await closedLoop(2000, connections, () => get(`${url}/empty`))
  const requests = 20_000
  let before = await meter.read(server.child.pid)
  const httpMs = await closedLoop(requests, connections, () => get(`${url}/empty`))
  const http = perUnit(costBetween(before, await meter.read(server.child.pid)), requests)
  await children.stop(server)

  const pool = new pg.Pool({ connectionString: databaseUrl, max: 16 })
  try {
    await pool.query('create table bench_commits (id bigserial primary key, body text not null)')
    await closedLoop(1000, 16, (i) => pool.query('insert into bench_commits (body) values ($1)', [`row ${i}`]))
    const commits = 10_000
    before = await meter.read()
    const commitMs = await closedLoop(commits, 16, (i) => pool.query('insert into bench_commits (body) values ($1)', [`row ${i}`]))
    const commit = perUnit(costBetween(before, await meter.read()), commits)
    await pool.query('drop table bench_commits')
    const ceiling = { httpRate: (requests / httpMs) * 1000, http, commitRate: (commits / commitMs) * 1000, commit }
    say(`Machine ceiling:`)
    say(`  Fastify empty route, its own process, ${connections} connections: ${count(ceiling.httpRate)} requests/s; ${describeUnitCost(http, 'Fastify')} each`)
    say(`  PostgreSQL single-row commits, 16 clients: ${count(ceiling.commitRate)} commits/s; ${describeUnitCost(commit, null)} each`)
    return ceiling
  } finally {
    await pool.end()
  }
}

/** Deliveries stored for the worker (envelope and job) and answered, nothing more: what accepting alone costs. */
const acceptOnly = { CAREBOX_WORKER: 'off', CAREBOX_INGEST_APPLY: 'queue' }

/** Carebox with the worker off: deliveries are stored (envelope and job) and answered, nothing more. */
async function measureAcceptOnly(children: Children, meter: Meter, databaseUrl: string, ceiling: Ceiling): Promise<{ rate: number; unit: UnitCost }> {
  const carebox = await startCarebox(children, databaseUrl, acceptOnly)
  try {
    await sendAll(carebox, deliveries(warmupDeliveries, 'aw'))
    const batch = deliveries(deliveryCount, 'a')
    const before = await beginStretch(meter, carebox.pid)
    const ms = await sendAll(carebox, batch)
    const unit = await endStretch(meter, before, deliveryCount, carebox.pid)
    const rate = (deliveryCount / ms) * 1000
    say(`Accept only (queued for the worker, which is off: no processing), ${count(deliveryCount)} deliveries over ${connections} connections:`)
    say(`  ${count(rate)} deliveries/s (${againstCeiling(rate, ceiling)}); ${describeUnitCost(unit)} per delivery ${againstCommit(unit, ceiling)}`)
    return { rate, unit }
  } finally {
    await stopCarebox(children, carebox)
  }
}

/**
 * The accept-only run's backlog applied by a Carebox running no consumer; then deliveries accepted and applied in
 * one transaction each batch (the default path), no consumer running; then each consumer alone catching up the
 * changes of the last `stageDeliveries` deliveries (its cursor put back before them while it idles), each measured
 * from a running process, so start-up is left out. Returns the stages of the default path: inline, then consumers.
 */
async function measureStages(children: Children, meter: Meter, databaseUrl: string, accept: UnitCost, ceiling: Ceiling): Promise<UnitCost[]> {
  const queued: { name: string; unit: UnitCost }[] = [{ name: 'accept, queued (webhook → envelope + job)', unit: accept }]
  const stages: { name: string; unit: UnitCost }[] = []
  let carebox = await startCarebox(children, databaseUrl, { CAREBOX_CHANGE_CONSUMERS: 'none' })
  try {
    // Measured from a running process (start-up left out): the backlog is already being applied, so no VACUUM first.
    const before = await meter.read(carebox.pid)
    const backlog = (await readProgress(meter.db, [])).pending
    const settled = await waitUntilSettled(meter.db, [], settleTimeoutMs, 100)
    const unit = await endStretch(meter, before, backlog, carebox.pid)
    queued.push({ name: `apply, queued (ingest jobs: ${count(backlog)} envelopes in ${seconds((settled.appliedAt ?? Number.NaN) - before.at)})`, unit })
    if (settled.settledAt === null) say(`  warning: the apply backlog was not done after ${seconds(settleTimeoutMs)}`)
  } finally {
    await stopCarebox(children, carebox)
  }

  carebox = await startCarebox(children, databaseUrl, { CAREBOX_CHANGE_CONSUMERS: 'none' })
  try {
    await sendAll(carebox, deliveries(warmupDeliveries, 'iw'))
    const before = await beginStretch(meter, carebox.pid)
    const ms = await sendAll(carebox, deliveries(deliveryCount, 'i'))
    const unit = await endStretch(meter, before, deliveryCount, carebox.pid)
    stages.push({ name: `accept and apply inline (webhook → message; ${count((deliveryCount / ms) * 1000)}/s)`, unit })
  } finally {
    await stopCarebox(children, carebox)
  }

  const { position, messages } = await positionBeforeLastMessages(meter.db, stageDeliveries)
  for (const name of consumerNames) {
    await moveConsumerTo(meter.db, name, await headOfChanges(meter.db))
    carebox = await startCarebox(children, databaseUrl, { CAREBOX_CHANGE_CONSUMERS: name })
    // The console consumer publishes only while someone listens.
    const listener = name === 'console' ? await connectConsole(children, carebox) : undefined
    try {
      await sleep(500)
      const before = await beginStretch(meter, carebox.pid)
      await moveConsumerTo(meter.db, name, position)
      const settled = await waitUntilSettled(meter.db, [name], settleTimeoutMs)
      const unit = await endStretch(meter, before, messages, carebox.pid)
      const took = seconds((settled.settledAt ?? Number.NaN) - before.at)
      stages.push({ name: name === 'console' ? `publish (console consumer, 1 console connected; ${took})` : `${name} consumer (${took})`, unit })
      if (settled.settledAt === null) say(`  warning: the ${name} consumer had not caught up after ${seconds(settleTimeoutMs)}`)
    } finally {
      if (listener) await children.stop(listener)
      await stopCarebox(children, carebox)
    }
  }

  say(
    `Cost per delivery, each stage alone (consumers: on the changes of the last ${count(messages)} deliveries), CPU of Carebox + all PostgreSQL processes, each ending with a VACUUM of what it left:`,
  )
  const width = Math.max(...[...queued, ...stages].map((s) => s.name.length), 'sum of the stages of the inline path'.length)
  for (const stage of [...queued, ...stages]) say(`  ${stage.name.padEnd(width)}  ${describeUnitCost(stage.unit)} ${againstCommit(stage.unit, ceiling)}`)
  const sum = sumUnits(stages.map((s) => s.unit))
  say(`  ${'sum of the stages of the inline path'.padEnd(width)}  ${describeUnitCost(sum)} ${againstCommit(sum, ceiling)}`)
  return stages.map((s) => s.unit)
}

/** Mean batch durations by consumer (and the ingest apply phase) from Carebox's /metrics. */
async function batchMetrics(carebox: Carebox): Promise<string> {
  const text = await (await fetch(`${carebox.url}/metrics`)).text()
  const value = (name: string, label: string) => Number(new RegExp(`^${name}\\{${label}\\} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN)
  const mean = (name: string, label: string) => {
    const batches = value(`${name}_count`, label)
    if (!(batches > 0)) return 'none'
    return `${((1000 * value(`${name}_sum`, label)) / batches).toFixed(1)} ms × ${count(batches)}`
  }
  return [
    `inline ${mean('carebox_ingest_batch_seconds', 'phase="inline"')}`,
    `apply ${mean('carebox_ingest_batch_seconds', 'phase="apply"')}`,
    ...consumerNames.map((name) => `${name} ${mean('carebox_change_consumer_batch_seconds', `consumer="${name}"`)}`),
  ].join(', ')
}

/** BENCH_SAMPLE=1: what PostgreSQL's busy backends were doing (or waiting on) while it runs; stop() prints it. */
function sampleBackends(meter: Meter): { stop(): Promise<void> } {
  const tally = new Map<string, number>()
  let sampling = Boolean(process.env.BENCH_SAMPLE)
  const sampler = (async () => {
    while (sampling) {
      const { rows } = await meter.db.query<{ q: string }>(
        `select coalesce(wait_event_type || ':' || wait_event, 'cpu') || ' ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as q
         from pg_stat_activity where state = 'active' and pid <> pg_backend_pid()`,
      )
      for (const row of rows) tally.set(row.q, (tally.get(row.q) ?? 0) + 1)
      await sleep(20)
    }
  })()
  return {
    async stop() {
      sampling = false
      await sampler
      for (const [q, n] of [...tally].sort((a, b) => b[1] - a[1]).slice(0, 15)) say(`${String(n).padStart(6)} ${q}`)
    },
  }
}

/** Everything on, a console connected: how fast deliveries are processed, and how soon every consumer catches up. */
async function measureSustained(carebox: Carebox, meter: Meter, accept: { rate: number }, stages: UnitCost[], ceiling: Ceiling): Promise<void> {
  const waiting = await waitUntilSettled(meter.db, consumerNames, settleTimeoutMs)
  if (waiting.settledAt === null) say(`  warning: what the stages left was not caught up after ${seconds(settleTimeoutMs)}`)
  const batch = deliveries(deliveryCount, 's')
  const sampler = sampleBackends(meter)
  const before = await beginStretch(meter, carebox.pid)
  const acceptMs = await sendAll(carebox, batch)
  const loadEnded = performance.now()
  const settled = await waitUntilSettled(meter.db, consumerNames, settleTimeoutMs)
  const unit = await endStretch(meter, before, deliveryCount, carebox.pid)
  await sampler.stop()
  const processedRate = settled.appliedAt === null ? Number.NaN : (deliveryCount / (settled.appliedAt - before.at)) * 1000
  const stageSum = sumUnits(stages)
  say(`Sustained, every consumer running, a console connected, ${count(deliveryCount)} deliveries over ${connections} connections:`)
  const applied =
    settled.appliedAt === null
      ? `not all applied within ${seconds(settleTimeoutMs)} of the load's end (${count(settled.last.pending)} envelopes still pending)`
      : `applied into messages after ${seconds(settled.appliedAt - before.at)}: ${count(processedRate)} deliveries/s = ` +
        `${((100 * processedRate) / accept.rate).toFixed(0)}% of the accept-only rate (target ≥ 80%); ${againstCeiling(processedRate, ceiling)}`
  say(`  accepted in ${seconds(acceptMs)} (${count((deliveryCount / acceptMs) * 1000)}/s); ${applied}`)
  const caughtUp = (name: string) => {
    const at = settled.caughtUpAt.get(name)
    return at === undefined ? `${name} not yet` : `${name} ${seconds(at - loadEnded)}`
  }
  say(
    `  consumers caught up after the load ended (target ≤ 5 s): ${consumerNames.map(caughtUp).join(', ')}; ` +
      (settled.settledAt === null
        ? `not all within ${seconds(settleTimeoutMs)} (then ${count(settled.last.pending)} envelopes pending, queue ${settled.last.isQueueIdle ? 'idle' : 'busy'})`
        : `all ${seconds(settled.settledAt - loadEnded)}: ${count((deliveryCount / (settled.settledAt - before.at)) * 1000)} deliveries/s counting every consumer's work`),
  )
  say(
    `  whole cost ${describeUnitCost(unit)} per delivery ${againstCommit(unit, ceiling)}; ` +
      `the stages measured alone add up to ${describeUnitCost(stageSum)}`,
  )
  say(`  mean batch (/metrics): ${await batchMetrics(carebox)}`)
}

/**
 * Waits (up to a minute) until no autovacuum worker runs: a burst leaves tables for it to vacuum and analyze, which
 * takes about a core for several seconds, and a latency run measured meanwhile measures that. Returns the ms waited.
 */
async function autovacuumDone(meter: Meter): Promise<number> {
  const started = Date.now()
  let quietSince = Date.now()
  while (Date.now() - started < 60_000) {
    const { rows } = await meter.db.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where backend_type = 'autovacuum worker' and query <> ''`,
    )
    if ((rows[0]?.n ?? 0) > 0) quietSince = Date.now()
    else if (Date.now() - quietSince >= 1000) break
    await sleep(250)
  }
  return Date.now() - started - 1000
}

/** Latency runs so far: each one's deliveries carry ids of their own. */
let latencyRuns = 0

interface Poll {
  at: number
  count: number
}

/**
 * Deliveries at a fixed rate (an open loop) for `latencySeconds`: webhook → socket event at the connected console,
 * and with `reportsOf`, webhook → the figure in the reports API, polled every 100 ms.
 */
async function measureLatencies(carebox: Carebox, listener: Started, meter: Meter, rate: number, target: number, reportsOf?: string): Promise<void> {
  const settled = await waitUntilSettled(meter.db, consumerNames, settleTimeoutMs)
  if (settled.settledAt === null) say(`  warning: the previous run was not caught up after ${seconds(settleTimeoutMs)}`)
  const waited = await autovacuumDone(meter)
  const runId = `r${rate}x${++latencyRuns}`
  const batch = deliveries(rate * latencySeconds, runId)
  const sentAt: number[] = []
  const acks: number[] = []

  const customerMessages = async (channelId: string) =>
    (await call(carebox, reportsApi.summary, { query: { period: 'today', channelId } })).headline.customerMessages
  const baseline = reportsOf ? await customerMessages(reportsOf) : 0
  const polls: Poll[] = []
  let isPolling = reportsOf !== undefined
  const poller = (async () => {
    while (isPolling) {
      const started = Date.now()
      const n = (await customerMessages(reportsOf!)) - baseline
      polls.push({ at: Date.now(), count: n })
      await sleep(started + reportPollMs - Date.now())
    }
  })()

  const received = () =>
    listener
      .output()
      .split('\n')
      .filter((line) => line.startsWith(`${runId}-`))
  const before = await meter.read(carebox.pid)
  const vacuums = new Set<string>()
  const watching = setInterval(() => {
    void meter.db
      .query<{ q: string }>(`select query as q from pg_stat_activity where backend_type = 'autovacuum worker' and query <> ''`)
      .then(({ rows }) => rows.forEach((row) => vacuums.add(row.q.replace(/^autovacuum: /, ''))))
      .catch(() => {})
  }, 250)
  await openLoop(rate, latencySeconds * 1000, async (i) => {
    const d = batch[i]!
    const at = performance.now()
    sentAt[i] = Date.now()
    if ((await send(carebox.url, d)) === 200) acks.push(performance.now() - at)
  })
  clearInterval(watching)
  const load = costBetween(before, await meter.read(carebox.pid))
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline && (received().length < batch.length || (reportsOf !== undefined && (polls.at(-1)?.count ?? 0) < batch.length))) await sleep(50)
  isPolling = false
  await poller

  const socket = received()
    .map((line) => line.split(' '))
    .map(([token = '', at]) => Number(at) - (sentAt[Number(token.slice(runId.length + 1))] ?? Number.NaN))
    .filter((ms) => Number.isFinite(ms))
  const waitedFor = waited >= 1000 ? `, after waiting ${seconds(waited)} for PostgreSQL's autovacuum of the previous run to end` : ''
  say(`At ${count(rate)} deliveries/s for ${latencySeconds} s (open loop)${reportsOf ? ', the reports API polled every 100 ms' : ''}${waitedFor}:`)
  say(`  webhook answered 200: ${describe(acks)}`)
  const busy = (cpuMs: number) => `${(cpuMs / 10 / load.seconds).toFixed(0)}% of a core`
  say(
    `  meanwhile Carebox used ${busy(load.serverCpuMs)} and PostgreSQL ${busy(load.postgresCpuMs)}: ` +
      `${(load.serverCpuMs / batch.length).toFixed(2)} + ${(load.postgresCpuMs / batch.length).toFixed(2)} ms per delivery` +
      (vacuums.size > 0 ? `; PostgreSQL's autovacuum ran meanwhile (${[...vacuums].slice(0, 4).join(', ')})` : ''),
  )
  say(`  webhook → socket event at the console: ${describe(socket, target)}${missing(batch.length - socket.length)}`)
  if (reportsOf) {
    // Delivery k (in send order) counts as visible at the first poll showing k of this run's messages.
    const visible: number[] = []
    let j = 0
    for (let k = 1; k <= sentAt.length; k++) {
      while (j < polls.length && polls[j]!.count < k) j++
      if (j === polls.length) break
      visible.push(polls[j]!.at - sentAt[k - 1]!)
    }
    say(`  webhook → figure in the reports API (customer messages today): ${describe(visible, 5000)}${missing(batch.length - visible.length)}`)
    say(`    (delivery k taken as visible at the first poll whose count for the run reached k: ±${reportPollMs} ms and arrival order)`)
  }
}

function describe(values: number[], targetP99?: number): string {
  const sorted = [...values].sort((a, b) => a - b)
  const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(1)} ms`)
  const target = targetP99 === undefined ? '' : ` (target ≤ ${targetP99 >= 1000 ? `${targetP99 / 1000} s` : `${targetP99} ms`})`
  return `p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}${target}, max ${ms(sorted.at(-1) ?? Number.NaN)} (n=${count(sorted.length)})`
}

function missing(n: number): string {
  return n > 0 ? `; ${count(n)} had not arrived 30 s after the load` : ''
}

export async function ingestBench(): Promise<void> {
  const started = performance.now()
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'carebox-bench-ingest-'))
  await chmod(dataDir, 0o755)
  const embedded = await startEmbeddedPostgres({ dataDir, log: pino({ level: 'warn' }) })
  const children = childProcesses()
  let meter: Meter | undefined
  try {
    meter = await openMeter(embedded.url)
    say(
      `Embedded PostgreSQL; Carebox alone in its own process, the load generator and a console stand-in beside it, ` +
        `all on this machine's ${os.availableParallelism()} cores (CPU from /proc, WAL from pg_current_wal_lsn). ` +
        `Deliveries are follow-ups from ${count(customers)} customers whose conversations were processed first.`,
    )
    const ceiling = await measureCeiling(children, meter, embedded.url)

    // Before any measurement, a first message from every customer, worked through with everything on: the
    // installation is then one in use (conversations known to every consumer, rollups present, every cursor set).
    // Accepted first and worked through as a backlog, which is quicker than live.
    let carebox = await startCarebox(children, embedded.url, acceptOnly)
    const { channelId } = await configureBench(carebox)
    await sendAll(carebox, deliveries(customers, 'w'))
    await stopCarebox(children, carebox)
    // Cursors at the head now, before the backlog is applied: a consumer created later would start past some of it.
    for (const name of consumerNames) await moveConsumerTo(meter.db, name, await headOfChanges(meter.db))
    carebox = await startCarebox(children, embedded.url, {})
    if ((await waitUntilSettled(meter.db, consumerNames, 2 * settleTimeoutMs)).settledAt === null)
      say('  warning: the first messages were not processed in time')
    await stopCarebox(children, carebox)

    const accept = await measureAcceptOnly(children, meter, embedded.url, ceiling)
    if (process.env.BENCH_WORKER === 'off') return
    const stages = await measureStages(children, meter, embedded.url, accept.unit, ceiling)

    // BENCH_PROFILE_DIR=<dir> writes a CPU profile of this Carebox process there when it exits.
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []
    carebox = await startCarebox(children, embedded.url, {}, profile)
    const listener = await connectConsole(children, carebox)
    await measureSustained(carebox, meter, accept, stages, ceiling)
    await measureLatencies(carebox, listener, meter, 1000, 200, channelId)
    const sampler = sampleBackends(meter)
    await measureLatencies(carebox, listener, meter, 100, 50)
    await sampler.stop()
    await children.stop(listener)
    const { stdout } = await stopCarebox(children, carebox)
    for (const line of stdout.split('\n').filter((l) => l.startsWith('Carebox event loop'))) say(`${line} (the sustained and latency runs)`)
    say(`Whole benchmark: ${seconds(performance.now() - started)}`)
  } finally {
    await children.stopAll()
    await meter?.close().catch(() => {})
    await embedded.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}
