import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { io } from 'socket.io-client'
import { findFreePort } from '../../server/src/db/embedded.js'
import { startSimulator, type Simulator } from '../../server/src/simulator/index.js'
import {
  clusterPool,
  crashCluster,
  eventually,
  makeDataDir,
  signIn,
  startBalancer,
  startNode,
  writeChannelsFile,
  type CareboxNode,
} from '../support/carebox-node.js'
import { describeLatencies, percentile } from './load.js'

// `pnpm bench faults`: how long Carebox takes to heal, measured from outside as an operator would see it, on
// Carebox nodes started like `pnpm start` (embedded PostgreSQL) against the platform simulator.

const appSecret = 'bench-faults-secret'
const whatsappId = '130000000000901'
const whatsappId2 = '130000000000902'
const telegramBot = '7000000901'
const telegramSecrets = { botToken: `${telegramBot}:AAbenchfaults`, webhookSecret: 'bench-faults-tg' }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

interface World {
  sim: Simulator
  data: Awaited<ReturnType<typeof makeDataDir>>
  nodes: CareboxNode[]
  pool?: pg.Pool
}

async function world(name: string): Promise<World> {
  return {
    sim: await startSimulator({ retryScheduleMs: [100, 250, 500, 1000, 2000, 3000, 5000, 8000, 13_000], receiptDelayMs: 50 }),
    data: await makeDataDir(`bench-${name}`),
    nodes: [],
  }
}

async function close(w: World): Promise<void> {
  await Promise.all(w.nodes.map((n) => n.stop()))
  await w.pool?.end()
  await w.sim.close()
  await w.data.remove()
}

function whatsappChannel(sim: Simulator, externalId: string) {
  return {
    kind: 'whatsapp',
    name: `WhatsApp ${externalId}`,
    externalId,
    settings: { mode: 'webhook', apiBaseUrl: sim.apiBaseUrl('whatsapp') },
    secrets: { appSecret, accessToken: 'wa' },
  }
}

/** PostgreSQL crashes under a steady trickle of deliveries; Carebox restarts it and picks up where it was. */
async function databaseCrash(): Promise<void> {
  const w = await world('db')
  try {
    const port = await findFreePort()
    w.sim.addAccount({
      kind: 'whatsapp',
      externalId: whatsappId,
      secrets: { appSecret, accessToken: 'wa' },
      webhookUrl: `http://127.0.0.1:${port}/webhooks/meta`,
    })
    const channelsFile = await writeChannelsFile(w.data.dir, [whatsappChannel(w.sim, whatsappId)])
    w.nodes.push(await startNode({ dataDir: w.data.dir, port, env: { CAREBOX_CHANNELS_FILE: channelsFile, LOG_LEVEL: 'warn' } }))
    w.pool = await clusterPool(w.data.dir)
    const pool = w.pool
    let writing = true
    let i = 0
    const trickle = (async () => {
      const pending: Promise<unknown>[] = []
      while (writing) {
        pending.push(w.sim.customerWrites(whatsappId, { from: { id: `55119${String(i % 500).padStart(7, '0')}`, name: 'Ana' }, text: `trickle ${i}` }))
        i += 1
        await sleep(50)
      }
      await Promise.all(pending)
    })()
    await sleep(2000)
    const crashedAt = Date.now()
    await crashCluster(w.data.dir)
    await eventually(
      () => pool.query('select 1'),
      () => true,
      60_000,
      20,
    )
    const backAt = Date.now()
    const firstAfter = await eventually(
      () =>
        pool
          .query<{ at: Date | null }>('select min(created_at) as at from messages where created_at > $1', [new Date(backAt)])
          .then((r) => r.rows[0]?.at ?? null),
      (at) => at !== null,
      60_000,
      20,
    )
    await sleep(3000)
    writing = false
    await trickle
    const total = i
    const stored = await eventually(
      () =>
        pool
          .query<{ n: number; d: number }>("select count(*)::int as n, count(distinct external_id)::int as d from messages where text like 'trickle %'")
          .then((r) => r.rows[0]!),
      (r) => r.n >= total,
      90_000,
    )
    process.stdout.write(
      `PostgreSQL crash (pg_ctl stop -m immediate) under 20 deliveries/s: back ${seconds(backAt - crashedAt)} after the crash (Carebox restarted it); ` +
        `first message processed ${seconds((firstAfter?.getTime() ?? Number.NaN) - backAt)} after it was back; ` +
        `${stored.n} of ${total} deliveries stored, ${stored.d} distinct (the platform retried what was refused)\n`,
    )
  } finally {
    await close(w)
  }
}

/** A node dies with SIGKILL while it holds jobs; the other node runs them. */
async function nodeKill(): Promise<void> {
  const w = await world('kill')
  try {
    const [portA, portB] = [await findFreePort(), await findFreePort()]
    let target = `http://127.0.0.1:${portA}`
    const balancer = await startBalancer(() => target)
    w.sim.addAccount({ kind: 'whatsapp', externalId: whatsappId, secrets: { appSecret, accessToken: 'wa' }, webhookUrl: `${balancer.url}/webhooks/meta` })
    const channelsFile = await writeChannelsFile(w.data.dir, [whatsappChannel(w.sim, whatsappId)])
    const env = { CAREBOX_CHANNELS_FILE: channelsFile, CAREBOX_REALTIME: 'postgres', LOG_LEVEL: 'warn' }
    const nodeA = await startNode({ dataDir: w.data.dir, port: portA, env })
    w.nodes.push(await startNode({ dataDir: w.data.dir, port: portB, env }))
    w.pool = await clusterPool(w.data.dir)
    const pool = w.pool
    const writes = Promise.all(
      Array.from({ length: 1000 }, (_, k) =>
        w.sim.customerWrites(whatsappId, { from: { id: `55118${String(k).padStart(7, '0')}`, name: 'Bo' }, text: `kill ${k}` }),
      ),
    )
    await sleep(700)
    const pid = nodeA.process.child.pid
    const held = async () =>
      (
        await pool.query<{ n: number }>(
          'select count(*)::int as n from graphile_worker._private_jobs where locked_by in (select worker_id from worker_heartbeats where pid = $1)',
          [pid],
        )
      ).rows[0]!.n
    const killedAt = Date.now()
    await nodeA.kill()
    const heldAtKill = await held()
    target = `http://127.0.0.1:${portB}`
    await eventually(held, (n) => n === 0, 120_000, 100)
    const unlockedAt = Date.now()
    await writes
    const stored = await eventually(
      () =>
        pool
          .query<{ n: number; d: number }>("select count(*)::int as n, count(distinct external_id)::int as d from messages where text like 'kill %'")
          .then((r) => r.rows[0]!),
      (r) => r.n >= 1000,
      120_000,
    )
    process.stdout.write(
      `Node killed (SIGKILL) under load, two nodes behind a balancer: it held ${heldAtKill} jobs; they ran elsewhere ${seconds(unlockedAt - killedAt)} after the kill ` +
        `(heartbeat stale after 30 s, swept every 5 s; graphile-worker alone: 4 h); ${stored.n} of 1000 deliveries stored, ${stored.d} distinct\n`,
    )
    await balancer.close()
  } finally {
    await close(w)
  }
}

/** Inbound latency with every platform healthy, then with Telegram hanging every send. */
async function platformHang(): Promise<void> {
  const w = await world('hang')
  try {
    const port = await findFreePort()
    const url = `http://127.0.0.1:${port}`
    for (const externalId of [whatsappId, whatsappId2]) {
      w.sim.addAccount({ kind: 'whatsapp', externalId, secrets: { appSecret, accessToken: 'wa' }, webhookUrl: `${url}/webhooks/meta` })
    }
    const channelsFile = await writeChannelsFile(w.data.dir, [
      whatsappChannel(w.sim, whatsappId),
      whatsappChannel(w.sim, whatsappId2),
      {
        kind: 'telegram',
        name: 'Telegram',
        externalId: telegramBot,
        settings: { mode: 'webhook', apiBaseUrl: w.sim.apiBaseUrl('telegram') },
        secrets: telegramSecrets,
      },
    ])
    const node = await startNode({ dataDir: w.data.dir, port, env: { CAREBOX_CHANNELS_FILE: channelsFile, LOG_LEVEL: 'warn' } })
    w.nodes.push(node)
    w.pool = await clusterPool(w.data.dir)
    const pool = w.pool
    const { rows: channels } = await pool.query<{ id: string; kind: string; externalId: string }>('select id, kind, external_id as "externalId" from channels')
    const telegramChannel = channels.find((c) => c.kind === 'telegram')!
    w.sim.addAccount({ kind: 'telegram', externalId: telegramBot, secrets: telegramSecrets, webhookUrl: `${url}/webhooks/telegram/${telegramChannel.id}` })
    const session = await signIn(url)
    const socket = io(url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: session.cookie } })
    const arrived = new Map<string, number>()
    socket.on('message.created', ({ message }: { message: { text: string } }) => arrived.set(message.text, Date.now()))
    await new Promise((resolve) => socket.once('connect', () => resolve(undefined)))

    const inbound = async (label: string) => {
      const sentAt = new Map<string, number>()
      const pending: Promise<unknown>[] = []
      for (let k = 0; k < 200; k++) {
        const text = `${label} ${k}`
        sentAt.set(text, Date.now())
        pending.push(w.sim.customerWrites(whatsappId, { from: { id: `55117${String(k).padStart(7, '0')}`, name: 'Cy' }, text }))
        await sleep(50)
      }
      await Promise.all(pending)
      await eventually(
        async () => [...sentAt.keys()].every((t) => arrived.has(t)),
        (done) => done,
        60_000,
      )
      return [...sentAt].map(([text, at]) => (arrived.get(text) ?? Number.NaN) - at)
    }
    const healthy = await inbound('healthy')

    // Telegram stops answering any send; 20 Telegram replies wait on it, and WhatsApp replies keep being written.
    w.sim.injectFault({ kind: 'telegram', endpoint: 'send', type: 'timeout', count: 10_000 })
    const tgConversations: string[] = []
    for (let k = 0; k < 20; k++) {
      await w.sim.customerWrites(telegramBot, { from: { id: String(6_300_000_000 + k), name: `Tg ${k}` }, text: `tg ${k}` })
    }
    await eventually(
      async () => (await pool.query('select id from conversations where channel_id = $1', [telegramChannel.id])).rows.length,
      (n) => n >= 20,
    )
    for (const row of (await pool.query<{ id: string }>('select id from conversations where channel_id = $1', [telegramChannel.id])).rows)
      tgConversations.push(row.id)
    const replyTo = (conversationId: string, text: string) =>
      fetch(`${url}/api/conversations/${conversationId}/replies`, {
        method: 'POST',
        headers: session.headers,
        body: JSON.stringify({ text, clientKey: randomUUID() }),
      })
    await Promise.all(tgConversations.map((id, k) => replyTo(id, `tg reply ${k}`)))
    const hung = await inbound('hung')
    // A WhatsApp reply whose first attempt gets a 500 while Telegram still hangs: how long until it is out.
    await w.sim.customerWrites(whatsappId2, { from: { id: '5511700000999', name: 'Di' }, text: 'wa needs reply' })
    const waConversation = await eventually(
      async () => (await pool.query<{ id: string }>("select conversation_id as id from messages where text = 'wa needs reply'")).rows[0]?.id,
      (id) => id !== undefined,
    )
    w.sim.injectFault({ kind: 'whatsapp', endpoint: 'send', type: '500', count: 1 })
    const replyStarted = Date.now()
    await replyTo(waConversation!, 'wa reply while telegram hangs')
    await eventually(
      () => w.sim.waitForSends(1, 100, (s) => s.responseStatus === 200 && JSON.stringify(s.body).includes('wa reply while telegram hangs')),
      () => true,
      60_000,
      50,
    )
    const waOutMs = Date.now() - replyStarted
    const tgSends = w.sim.sends.filter((s) => s.kind === 'telegram')
    const byText = new Map<string, number>()
    for (const send of tgSends) {
      const text = String((send.body as { text?: string }).text)
      byText.set(text, (byText.get(text) ?? 0) + 1)
    }
    socket.close()
    const p99 = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        99,
      )
    process.stdout.write(`Inbound webhook → console, 20/s, every platform answering: ${describeLatencies(healthy)}\n`)
    process.stdout.write(
      `The same while Telegram hangs every send (20 replies waiting on it): ${describeLatencies(hung)}; p99 ${((p99(hung) / p99(healthy) - 1) * 100).toFixed(0)}% from healthy (target: within 20%)\n`,
    )
    process.stdout.write(`A WhatsApp reply whose first attempt got a 500, during the hang: out after ${seconds(waOutMs)}\n`)
    process.stdout.write(
      `Telegram replies called at most once each: ${[...byText.values()].every((n) => n === 1) ? 'yes' : 'NO'} (${tgSends.length} calls for ${byText.size} replies)\n`,
    )
  } finally {
    await close(w)
  }
}

export async function faultsBench(): Promise<void> {
  await databaseCrash()
  await nodeKill()
  await platformHang()
}
