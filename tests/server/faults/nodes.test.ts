import type pg from 'pg'
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findFreePort } from '../../../server/src/db/embedded.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import {
  clusterPool,
  eventually,
  logLines,
  makeDataDir,
  signIn,
  startBalancer,
  startNode,
  writeChannelsFile,
  type CareboxNode,
} from '../../support/carebox-node.js'

// Two Carebox nodes on one database (CAREBOX_REALTIME=postgres), as a deployment grows past one machine: a
// console on one node sees what the other processed, and a node killed under load leaves nothing behind.

const appSecret = 'faults-nodes-secret'
const viaA = '130000000000501'
const viaB = '130000000000502'
const bot = '7000000503'
const botSecrets = { botToken: `${bot}:AAfaultsnodes`, webhookSecret: 'faults-nodes-tg' }
let sim: Simulator
let data: Awaited<ReturnType<typeof makeDataDir>>
let nodeA: CareboxNode | undefined
let nodeB: CareboxNode | undefined
let portA: number
let portB: number
let pool: pg.Pool | undefined
const sockets: Socket[] = []
let balancer: Awaited<ReturnType<typeof startBalancer>> | undefined
/** Where the balancer in front of node A's number sends traffic: A while it lives, then B. */
let aliveForA = ''

beforeAll(async () => {
  data = await makeDataDir('faults-nodes')
  ;[portA, portB] = [await findFreePort(), await findFreePort()]
  sim = await startSimulator({ retryScheduleMs: [250, 500, 1000, 2000, 3000, 5000, 8000], receiptDelayMs: 50, hangMs: 60_000 })
  // One WhatsApp number's webhooks reach node A through a balancer (which turns to B when A dies), another's go to B.
  aliveForA = `http://127.0.0.1:${portA}`
  balancer = await startBalancer(() => aliveForA)
  sim.addAccount({ kind: 'whatsapp', externalId: viaA, secrets: { appSecret, accessToken: 'wa-token' }, webhookUrl: `${balancer.url}/webhooks/meta` })
  sim.addAccount({ kind: 'whatsapp', externalId: viaB, secrets: { appSecret, accessToken: 'wa-token' }, webhookUrl: `http://127.0.0.1:${portB}/webhooks/meta` })
  // A polled Telegram bot whose getUpdates hangs: some node always has its poll job running, locked.
  sim.addAccount({ kind: 'telegram', externalId: bot, secrets: botSecrets })
  sim.injectFault({ kind: 'telegram', endpoint: 'poll', type: 'timeout', count: 10_000 })
  const channelsFile = await writeChannelsFile(data.dir, [
    ...[viaA, viaB].map((externalId) => ({
      kind: 'whatsapp',
      name: `WhatsApp ${externalId}`,
      externalId,
      settings: { mode: 'webhook', apiBaseUrl: sim.apiBaseUrl('whatsapp') },
      secrets: { appSecret, accessToken: 'wa-token' },
    })),
    { kind: 'telegram', name: 'Polled bot', externalId: bot, settings: { mode: 'polling', apiBaseUrl: sim.apiBaseUrl('telegram') }, secrets: botSecrets },
  ])
  const env = { CAREBOX_CHANNELS_FILE: channelsFile, CAREBOX_REALTIME: 'postgres' }
  nodeA = await startNode({ dataDir: data.dir, port: portA, env })
  nodeB = await startNode({ dataDir: data.dir, port: portB, env })
  pool = await clusterPool(data.dir)
}, 240_000)
afterAll(async () => {
  sockets.forEach((s) => s.disconnect())
  await Promise.all([nodeA?.stop(), nodeB?.stop()])
  await pool?.end()
  await balancer?.close()
  await sim.close()
  await data.remove()
})

function writeMany(account: string, count: number, tag: string) {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      sim.customerWrites(account, { from: { id: `5511966${String(i).padStart(6, '0')}`, name: `Cliente ${tag} ${i}` }, text: `${tag} ${i}` }),
    ),
  )
}

async function storedCounts(ids: string[]): Promise<Map<string, number>> {
  const { rows } = await pool!.query<{ externalId: string; n: number }>(
    'select external_id as "externalId", count(*)::int as n from messages where external_id = any($1) group by external_id',
    [ids],
  )
  return new Map(rows.map((r) => [r.externalId, r.n]))
}

// Each scenario waits for real recoveries (a retried webhook, a stale heartbeat).
describe('two nodes sharing one database', { timeout: 180_000 }, () => {
  it('gives a console on node A every message node B processed', async () => {
    const session = await signIn(nodeA!.url)
    const socket = io(nodeA!.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: session.cookie } })
    sockets.push(socket)
    const seen = new Set<string>()
    socket.on('message.created', ({ message }: { message: { text: string } }) => seen.add(message.text))
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve())
      socket.once('connect_error', reject)
    })

    await writeMany(viaB, 100, 'via-b')
    await writeMany(viaA, 20, 'via-a')
    await eventually(
      async () => seen.size,
      (n) => n >= 120,
      60_000,
    )

    expect([...seen].filter((text) => text.startsWith('via-b')).length).toBe(100)
    expect([...seen].filter((text) => text.startsWith('via-a')).length).toBe(20)
  })

  it('loses nothing when a node is killed under load, runs its jobs elsewhere, and restarting it leaves the other node its database', async () => {
    const killedPid = nodeA!.process.child.pid
    const heldByKilled = () =>
      pool!
        .query<{ n: number }>(
          `select count(*)::int as n from graphile_worker._private_jobs j
           where j.locked_by in (select worker_id from worker_heartbeats where pid = $1)`,
          [killedPid],
        )
        .then((r) => r.rows[0]?.n ?? 0)
    // Node A is in the middle of a job (its poll of the hanging bot) when it dies.
    await eventually(heldByKilled, (n) => n > 0, 60_000)
    const writing = writeMany(viaA, 300, 'kill')
    await new Promise((resolve) => setTimeout(resolve, 500))
    await nodeA!.kill()
    const heldAtKill = await heldByKilled()
    // The balancer sends node A's traffic to node B from now on; the platform's retries of what A never answered too.
    aliveForA = `http://127.0.0.1:${portB}`
    const reports = await writing
    const ids = reports.map((r) => r.externalId ?? '')

    const counts = await eventually(
      () => storedCounts(ids),
      (c) => c.size === ids.length,
      90_000,
    )
    // Jobs the killed node had taken are unlocked for node B once its heartbeat is stale (within a minute).
    const held = await eventually(heldByKilled, (n) => n === 0, 90_000)

    expect(reports.filter((r) => !r.delivered)).toEqual([])
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([])
    expect(counts.size).toBe(300)
    expect(heldAtKill).toBeGreaterThan(0)
    expect(held).toBe(0)

    nodeA = await startNode({ dataDir: data.dir, port: portA, env: { CAREBOX_REALTIME: 'postgres' } })
    const afterRestart = await writeMany(viaB, 10, 'after-restart')
    const restartCounts = await eventually(
      () => storedCounts(afterRestart.map((r) => r.externalId ?? '')),
      (c) => c.size === 10,
      30_000,
    )

    expect(restartCounts.size).toBe(10)
    expect((await fetch(`${nodeB!.url}/healthz`)).status).toBe(200)
    expect(logLines(nodeA, /restarting it cleanly|left running by a crashed/)).toEqual([])
  })
})
