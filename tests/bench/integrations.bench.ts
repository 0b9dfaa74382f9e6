// `pnpm bench integrations`: what telling the rest of the business costs and how fast it is, on the embedded
// PostgreSQL with Carebox in its own process: change → webhook received at 200 changes/s with 3 endpoints (one
// failing), the event stream's throughput to 10 clients, and the added cost per ingested message of 3 endpoints.
// Env: BENCH_DELIVERIES (each cost run and the stream run, 3,000), BENCH_SECONDS (the latency run, 10).
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { tokensApi, webhooksApi, type EventStreamFrame } from '@carebox/shared'
import pino from 'pino'
import WebSocket from 'ws'
import { changeConsumers } from '../../server/src/consumers/consumers.js'
import { startEmbeddedPostgres } from '../../server/src/db/embedded.js'
import { beginStretch, describeUnitCost, endStretch, openMeter, type Meter, type UnitCost } from './ingest-meters.js'
import { call, childProcesses, configureBench, customers, deliveries, delivery, send, startCarebox, waitUntilSettled, type Carebox } from './ingest-setup.js'
import { closedLoop, openLoop, percentile } from './load.js'

const deliveryCount = Number(process.env.BENCH_DELIVERIES ?? 3000)
const latencySeconds = Number(process.env.BENCH_SECONDS ?? 10)
const streamClients = 10
const consumerNames = changeConsumers.map((c) => c.name)
const say = (line: string) => process.stdout.write(`${line}\n`)
const count = (n: number) => Math.round(n).toLocaleString('en')
const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(1)} ms`)
const sleep = (n: number) => new Promise((resolve) => setTimeout(resolve, n))

function describe(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b)
  return `p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted.at(-1) ?? Number.NaN)} (n=${count(sorted.length)})`
}

interface Receiver {
  url: string
  /** Per webhook-id: ms from the event's occurred_at to its first arrival. */
  firstArrival: Map<string, number>
  attempts: number
  close(): Promise<void>
}

/** A webhook receiver on loopback answering `status` to everything, noting when each event first arrived. */
async function startReceiver(status: number): Promise<Receiver> {
  const firstArrival = new Map<string, number>()
  const receiver = { firstArrival, attempts: 0 }
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      receiver.attempts++
      const id = String(request.headers['webhook-id'])
      if (!firstArrival.has(id)) {
        const { occurred_at } = JSON.parse(Buffer.concat(chunks).toString()) as { occurred_at: string }
        firstArrival.set(id, Date.now() - Date.parse(occurred_at))
      }
      response.writeHead(status).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  })
}

/** Runs of the endpoints' senders (webhook.send jobs) this Carebox completed, from its /metrics. */
async function senderRuns(carebox: Carebox): Promise<number> {
  const text = await (await fetch(`${carebox.url}/metrics`)).text()
  return Number(/^carebox_jobs_completed_total\{task="webhook\.send"\} (\S+)$/m.exec(text)?.[1] ?? 0)
}

async function sendAll(carebox: Carebox, runId: string): Promise<void> {
  const batch = deliveries(deliveryCount, runId)
  await closedLoop(batch.length, 50, (i) => send(carebox.url, batch[i]!))
}

/** CPU and WAL per delivery of follow-up messages worked through by every consumer, webhooks out included. */
async function measureCost(carebox: Carebox, meter: Meter, runId: string, delivered: () => number): Promise<UnitCost> {
  const before = await beginStretch(meter, carebox.pid)
  const start = delivered()
  await sendAll(carebox, runId)
  const settled = await waitUntilSettled(meter.db, consumerNames, 120_000)
  if (settled.settledAt === null) say('  warning: not caught up within 120 s')
  // Webhook deliveries are jobs of their own: the stretch ends when the receivers have them all.
  const deadline = Date.now() + 60_000
  while (delivered() - start < deliveryCount && Date.now() < deadline) await sleep(50)
  return endStretch(meter, before, deliveryCount, carebox.pid)
}

async function connectStream(carebox: Carebox, token: string, arrivals: number[], onEvent: (frame: Extract<EventStreamFrame, { type: 'event' }>) => void) {
  const socket = new WebSocket(`${carebox.url.replace('http', 'ws')}/api/v1/events/stream?types=message.created`, {
    headers: { authorization: `Bearer ${token}` },
  })
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as EventStreamFrame
    if (frame.type !== 'event') return
    arrivals.push(Date.now() - Date.parse(frame.event.occurred_at))
    onEvent(frame)
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  return socket
}

export async function integrationsBench(): Promise<void> {
  const started = performance.now()
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'carebox-bench-integrations-'))
  await chmod(dataDir, 0o755)
  const embedded = await startEmbeddedPostgres({ dataDir, log: pino({ level: 'warn' }) })
  const children = childProcesses()
  const receivers: Receiver[] = []
  let meter: Meter | undefined
  try {
    meter = await openMeter(embedded.url)
    say(
      `Embedded PostgreSQL; Carebox in its own process, the load generator, webhook receivers and stream clients in this one, on ${os.availableParallelism()} cores.`,
    )
    const carebox = await startCarebox(children, embedded.url, {})
    await configureBench(carebox)
    // A first message from every customer, so every measured delivery is a follow-up in a known conversation.
    const warm = deliveries(customers, 'w')
    await closedLoop(warm.length, 50, (i) => send(carebox.url, warm[i]!))
    await waitUntilSettled(meter.db, consumerNames, 180_000)

    const okReceivers = [await startReceiver(200), await startReceiver(200)]
    const failing = await startReceiver(500)
    receivers.push(...okReceivers, failing)
    const delivered = () => Math.min(...okReceivers.map((r) => r.firstArrival.size))

    const without = await measureCost(carebox, meter, 'c0', () => Number.POSITIVE_INFINITY)
    const endpointIds: string[] = []
    for (const receiver of receivers) {
      const created = await call(carebox, webhooksApi.create, {
        body: { url: receiver.url, eventTypes: ['message.created'], teamId: null, allowPrivateNetwork: true },
      })
      endpointIds.push(created.endpoint.id)
    }
    const runsBefore = await senderRuns(carebox)
    const withEndpoints = await measureCost(carebox, meter, 'c3', delivered)
    const runs = (await senderRuns(carebox)) - runsBefore
    say(`Cost per ingested message, ${count(deliveryCount)} follow-ups, every consumer caught up (CPU of Carebox + PostgreSQL, WAL):`)
    say(`  no endpoint:                          ${describeUnitCost(without)}`)
    say(`  3 endpoints (one answering 500):      ${describeUnitCost(withEndpoints)}`)
    say(`  endpoint senders ran ${count(runs)} times for ${count(3 * deliveryCount)} deliveries`)
    say(
      `  added by the 3 endpoints:             ${(withEndpoints.cpuMs - without.cpuMs).toFixed(3)} ms CPU, ${count(withEndpoints.walBytes - without.walBytes)} B WAL per message`,
    )

    // Latency at a steady 200 changes/s (message.created, one per delivery).
    for (const receiver of receivers) receiver.firstArrival.clear()
    const rate = 200
    // Each change from the next customer in turn, as changes arrive from many conversations at once (the events of one
    // conversation go one after another, in order, by design).
    await openLoop(rate, latencySeconds * 1000, (i) => send(carebox.url, delivery(i, 'l')))
    const expected = rate * latencySeconds
    const deadline = Date.now() + 60_000
    while (delivered() < expected && Date.now() < deadline) await sleep(100)
    say(`Change → webhook received, ${rate} changes/s from as many conversations for ${latencySeconds} s, 3 endpoints, one answering 500 to every attempt:`)
    okReceivers.forEach((receiver, i) => say(`  endpoint ${i + 1} (200): ${describe([...receiver.firstArrival.values()])}`))
    const { rows } = await meter.db.query<{ waiting: number; retrying: number }>(
      `select count(*) filter (where next_attempt_at is null)::int as waiting, count(*) filter (where attempts > 0)::int as retrying
       from webhook_deliveries where endpoint_id = $1 and status = 'pending'`,
      [endpointIds[2]],
    )
    say(
      `  endpoint 3 (500): ${count(failing.firstArrival.size)} distinct events reached it in this stretch, retries of earlier ones included (${count(failing.attempts)} attempts since it was added); ` +
        `${count(rows[0]!.retrying)} deliveries wait for a retry on the schedule and ${count(rows[0]!.waiting)} behind their conversation's earlier event`,
    )

    // The event stream: 10 clients, a burst of deliveries as fast as Carebox accepts them.
    const { secret } = await call(carebox, tokensApi.create, { body: { name: 'Bench stream', scopes: ['events:read'] } })
    const arrivals: number[] = []
    const perClient = Array.from({ length: streamClients }, () => ({ count: 0, first: 0, last: 0 }))
    const sockets = await Promise.all(
      perClient.map((client) =>
        connectStream(carebox, secret, arrivals, () => {
          client.count++
          client.first ||= performance.now()
          client.last = performance.now()
        }),
      ),
    )
    await sendAll(carebox, 's')
    const streamDeadline = Date.now() + 120_000
    // Each client subscribed to message.created: one event per delivery.
    while (perClient.some((c) => c.count < deliveryCount) && Date.now() < streamDeadline) await sleep(50)
    await sleep(500)
    const rates = perClient.map((c) => (c.count / Math.max(1, c.last - c.first)) * 1000)
    say(`Event stream, ${streamClients} clients, ${count(deliveryCount)} deliveries sent as fast as accepted:`)
    say(
      `  each client received ${count(Math.min(...perClient.map((c) => c.count)))}–${count(Math.max(...perClient.map((c) => c.count)))} events, ` +
        `at ${count(Math.min(...rates))}–${count(Math.max(...rates))} events/s (first to last); ${count(rates.reduce((a, b) => a + b, 0))} events/s to all clients together`,
    )
    say(`  change → event at a client: ${describe(arrivals)}`)
    for (const socket of sockets) socket.close()
    await children.stop(carebox.child)
    say(`Whole benchmark: ${((performance.now() - started) / 1000).toFixed(1)} s`)
  } finally {
    await Promise.all(receivers.map((r) => r.close()))
    await children.stopAll()
    await meter?.close().catch(() => {})
    await embedded.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}
