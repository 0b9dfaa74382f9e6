import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { csrfHeader } from '@carebox/shared'
import Fastify from 'fastify'
import pg from 'pg'
import pino from 'pino'
import { startEmbeddedPostgres } from '../../server/src/db/embedded.js'
import { nodeTs, startProcess } from '../support/process.js'
import { metaBytes, metaSignature } from '../support/webhooks.js'
import { benchServerEnv, signInBenchAdmin } from './bench-admin.js'
import { closedLoop, describeLatencies, get, openLoop, post } from './load.js'

const appSecret = 'bench-app-secret'
const phoneNumberId = '130000000000002'

/** A WhatsApp delivery of one text message from customer `i`, exactly as Meta shapes and signs it. */
function delivery(i: number, runId: string): { raw: Buffer; signature: string; token: string } {
  const token = `${runId}-${i}`
  const from = `55${String(10_000_000_000 + (i % 5000))}`
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
              contacts: [{ profile: { name: `Customer ${i % 5000}` }, wa_id: from }],
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

async function fastifyEmptyRate(): Promise<number> {
  const app = Fastify({ logger: false })
  app.get('/empty', async () => ({}))
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  await closedLoop(2000, 64, () => get(`${url}/empty`))
  const total = 20_000
  const ms = await closedLoop(total, 64, () => get(`${url}/empty`))
  await app.close()
  return (total / ms) * 1000
}

async function postgresCommitRate(url: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 16 })
  await pool.query('create table if not exists bench_commits (id bigserial primary key, body text not null)')
  const total = 10_000
  const ms = await closedLoop(total, 16, (i) => pool.query('insert into bench_commits (body) values ($1)', [`row ${i}`]))
  await pool.query('drop table bench_commits')
  await pool.end()
  return (total / ms) * 1000
}

async function countMessages(pool: pg.Pool, runId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from messages where external_id like $1', [`wamid.${runId}-%`])
  return rows[0]?.n ?? 0
}

export async function ingestBench(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'carebox-bench-ingest-'))
  await chmod(dataDir, 0o755)
  const log = pino({ level: 'warn' })
  const embedded = await startEmbeddedPostgres({ dataDir, log })
  const isWorkerOn = (process.env.BENCH_WORKER ?? 'on') === 'on'
  const [command, args] = nodeTs(path.join(import.meta.dirname, 'bench-server.ts'))
  // BENCH_PROFILE_DIR=<dir> writes a CPU profile of the Carebox process there when it exits.
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []
  const carebox = startProcess(command, [...profile, ...args], {
    ...benchServerEnv(embedded.url),
    CAREBOX_WORKER: isWorkerOn ? 'on' : 'off',
    CAREBOX_WORKER_CONCURRENCY: process.env.BENCH_CONCURRENCY ?? '8',
  })
  const pool = new pg.Pool({ connectionString: embedded.url, max: 2 })
  try {
    const [, serverUrl = ''] = await carebox.waitFor(/READY (\S+)/, 120_000)
    const server = { url: serverUrl }
    process.stdout.write(`Fastify empty route, same machine: ${Math.round(await fastifyEmptyRate())} requests/s\n`)
    process.stdout.write(`PostgreSQL single-row commits, 16 clients: ${Math.round(await postgresCommitRate(embedded.url))} commits/s\n`)

    const session = await signInBenchAdmin(server.url)
    const created = await fetch(`${server.url}/api/channels`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session.cookie, [csrfHeader]: session.csrfToken },
      body: JSON.stringify({
        kind: 'whatsapp',
        name: 'Bench WhatsApp',
        externalId: phoneNumberId,
        settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
        secrets: { appSecret, accessToken: 'unused' },
      }),
    })
    if (!created.ok) throw new Error(`could not create the bench channel: ${await created.text()}`)
    const webhookUrl = `${server.url}/webhooks/meta`
    const send = (d: { raw: Buffer; signature: string }) => post(webhookUrl, d.raw, { 'content-type': 'application/json', 'x-hub-signature-256': d.signature })

    // Sustained throughput: deliveries accepted as fast as they come, then until every one is a message.
    const total = Number(process.env.BENCH_DELIVERIES ?? 20_000)
    const runId = `t${Date.now()}`
    const walBefore = (await pool.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]!.lsn
    const payloads = Array.from({ length: total }, (_, i) => delivery(i, runId))
    const started = performance.now()
    // Platforms deliver over many connections at once (Telegram: up to 100 per webhook).
    const connections = Number(process.env.BENCH_CONNECTIONS ?? 100)
    // BENCH_SAMPLE=1 prints what PostgreSQL's busy backends were doing (or waiting on) while the load ran.
    const tally = new Map<string, number>()
    let sampling = Boolean(process.env.BENCH_SAMPLE)
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await pool.query<{ q: string }>(
          `select coalesce(wait_event_type || ':' || wait_event, 'cpu') || ' ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as q from pg_stat_activity where state = 'active' and pid <> pg_backend_pid()`,
        )
        for (const row of rows) tally.set(row.q, (tally.get(row.q) ?? 0) + 1)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })()
    const acceptMs = await closedLoop(total, connections, (i) => send(payloads[i]!))
    if (!isWorkerOn) {
      process.stdout.write(`Accept only (no worker): ${total} deliveries in ${(acceptMs / 1000).toFixed(1)} s: ${Math.round((total / acceptMs) * 1000)}/s\n`)
      return
    }
    while ((await countMessages(pool, runId)) < total) await new Promise((resolve) => setTimeout(resolve, 20))
    sampling = false
    await sampler
    for (const [q, n] of [...tally].sort((a, b) => b[1] - a[1]).slice(0, 15)) process.stdout.write(`${String(n).padStart(6)} ${q}\n`)
    const processedMs = performance.now() - started
    const { rows: wal } = await pool.query<{ bytes: string }>('select pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::bigint as bytes', [walBefore])
    process.stdout.write(
      `Sustained: ${total} deliveries accepted in ${(acceptMs / 1000).toFixed(1)} s (${Math.round((total / acceptMs) * 1000)}/s); ` +
        `all processed into messages in ${(processedMs / 1000).toFixed(1)} s: ${Math.round((total / processedMs) * 1000)} deliveries/s processed ` +
        `(${Math.round(Number(wal[0]?.bytes ?? 0) / total)} bytes of WAL per delivery)\n`,
    )

    // Latency at a fixed offered load, measured by a connected console.
    const rate = Number(process.env.BENCH_RATE ?? 1000)
    const seconds = Number(process.env.BENCH_SECONDS ?? 10)
    const [listenerCommand, listenerArgs] = nodeTs(path.join(import.meta.dirname, 'socket-listener.ts'))
    const listener = startProcess(listenerCommand, [...listenerArgs, server.url], { BENCH_COOKIE: session.cookie })
    await listener.waitFor(/CONNECTED/, 30_000)
    const latencyRun = `l${Date.now()}`
    const sentWallClock = new Map<string, number>()
    const ackLatencies: number[] = []
    const latencyPayloads = Array.from({ length: rate * seconds }, (_, i) => delivery(i, latencyRun))
    await openLoop(rate, seconds * 1000, async (i) => {
      const d = latencyPayloads[i]!
      const at = performance.now()
      sentWallClock.set(d.token, Date.now())
      const status = await send(d)
      if (status === 200) ackLatencies.push(performance.now() - at)
    })
    const received = () =>
      listener
        .output()
        .split('\n')
        .filter((line) => line.startsWith(latencyRun))
    const deadline = Date.now() + 30_000
    while (received().length < latencyPayloads.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    process.kill(listener.child.pid as number, 'SIGTERM')
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    const socketLatencies = received()
      .map((line) => line.split(' '))
      .map(([token, at]) => Number(at) - (sentWallClock.get(token ?? '') ?? Number.NaN))
      .filter((ms) => Number.isFinite(ms))
    // The message row's created_at is its ingest transaction's start, on the same machine's clock.
    const { rows } = await pool.query<{ externalId: string; at: number }>(
      `select external_id as "externalId", extract(epoch from created_at) * 1000 as at from messages where external_id like $1`,
      [`wamid.${latencyRun}-%`],
    )
    const committedLatencies = rows
      .map((row) => Number(row.at) - (sentWallClock.get(row.externalId.slice('wamid.'.length)) ?? Number.NaN))
      .filter((ms) => Number.isFinite(ms))
    process.stdout.write(`At ${rate} deliveries/s for ${seconds} s:\n`)
    process.stdout.write(`  webhook answered 200 (envelope and job committed): ${describeLatencies(ackLatencies)}\n`)
    process.stdout.write(`  webhook -> message row written (ingest transaction start): ${describeLatencies(committedLatencies)}\n`)
    process.stdout.write(`  webhook -> socket event at a connected console (message committed and published): ${describeLatencies(socketLatencies)}\n`)
    for (const line of metrics.split('\n').filter((l) => /^carebox_ingest_batch_(seconds|envelopes)_(sum|count)/.test(l))) {
      process.stdout.write(`  ${line}\n`)
    }
    if (socketLatencies.length < latencyPayloads.length) {
      process.stdout.write(`  ${latencyPayloads.length - socketLatencies.length} events had not arrived after 30 s\n`)
    }
  } finally {
    await pool.end()
    if (carebox.child.exitCode === null) process.kill(carebox.child.pid as number, 'SIGTERM')
    const { stdout } = await carebox.exited
    process.stdout.write(
      stdout
        .split('\n')
        .filter((line) => line.startsWith('Carebox event loop'))
        .join('\n') + '\n',
    )
    await embedded.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}
