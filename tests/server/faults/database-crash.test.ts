import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findFreePort } from '../../../server/src/db/embedded.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { clusterPool, crashCluster, eventually, logLines, makeDataDir, startNode, writeChannelsFile, type CareboxNode } from '../../support/carebox-node.js'

// PostgreSQL crashes (pg_ctl stop -m immediate) under a Carebox started the way `pnpm start` starts it: on the
// embedded cluster, which Carebox itself restarts. The platform keeps retrying what Carebox could not take, as
// Meta does; every delivery must end as exactly one processed message, with no person stepping in.

const phoneNumberId = '130000000000414'
const appSecret = 'faults-app-secret'
let sim: Simulator
let data: Awaited<ReturnType<typeof makeDataDir>>
let node: CareboxNode | undefined
let port: number
let pool: pg.Pool | undefined

beforeAll(async () => {
  data = await makeDataDir('faults-db')
  port = await findFreePort()
  // Meta retries a webhook that failed with a growing wait, for days; compressed here to about half a minute.
  sim = await startSimulator({ retryScheduleMs: [250, 500, 1000, 2000, 3000, 5000, 8000, 13_000], receiptDelayMs: 50 })
  sim.addAccount({
    kind: 'whatsapp',
    externalId: phoneNumberId,
    secrets: { appSecret, accessToken: 'wa-token' },
    webhookUrl: `http://127.0.0.1:${port}/webhooks/meta`,
  })
})
afterAll(async () => {
  await node?.stop()
  await pool?.end()
  await sim.close()
  await data.remove()
})

async function start(): Promise<CareboxNode> {
  const channelsFile = await writeChannelsFile(data.dir, [
    {
      kind: 'whatsapp',
      name: 'Faults WhatsApp',
      externalId: phoneNumberId,
      settings: { mode: 'webhook', apiBaseUrl: sim.apiBaseUrl('whatsapp') },
      secrets: { appSecret, accessToken: 'wa-token' },
    },
  ])
  return startNode({ dataDir: data.dir, port, env: { CAREBOX_CHANNELS_FILE: channelsFile } })
}

/** How many messages each of these platform ids became, once the queue has had time to drain. */
async function storedCounts(ids: string[]): Promise<Map<string, number>> {
  pool ??= await clusterPool(data.dir)
  const { rows } = await pool.query<{ externalId: string; n: number }>(
    'select external_id as "externalId", count(*)::int as n from messages where external_id = any($1) group by external_id',
    [ids],
  )
  return new Map(rows.map((r) => [r.externalId, r.n]))
}

function customersWrite(count: number, tag: string): Promise<{ externalId?: string; delivered: boolean }[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      sim.customerWrites(phoneNumberId, { from: { id: `5511977${String(i).padStart(6, '0')}`, name: `Cliente ${i}` }, text: `Pedido ${tag}-${i}?` }),
    ),
  )
}

// Each scenario waits for real recoveries (a restart, a retried webhook, a stale heartbeat).
describe('a PostgreSQL crash', { timeout: 150_000 }, () => {
  it('right after start: Carebox restarts the database, and its worker processes what comes next', async () => {
    node = await start()
    await crashCluster(data.dir)

    const reports = await customersWrite(20, 'after-start')
    const ids = reports.map((r) => r.externalId ?? '')
    const counts = await eventually(
      () => storedCounts(ids),
      (c) => c.size === ids.length,
      60_000,
    )

    expect(reports.every((r) => r.delivered)).toBe(true)
    expect([...counts.values()]).toEqual(ids.map(() => 1))
    expect(logLines(node, /embedded PostgreSQL stopped unexpectedly/)).not.toEqual([])
    const health = await eventually(
      () => fetch(`${node!.url}/healthz`).then((r) => r.json() as Promise<{ status: string }>),
      (h) => h.status === 'ok',
    )
    expect(health).toMatchObject({ status: 'ok', database: { ok: true }, worker: { ok: true } })
  })

  it('under load: every delivery is stored once and processed, and the log says when the database went and came back', async () => {
    node ??= await start()
    const writing = customersWrite(300, 'load')
    await new Promise((resolve) => setTimeout(resolve, 400))
    await crashCluster(data.dir)
    const reports = await writing
    const ids = reports.map((r) => r.externalId ?? '')

    const counts = await eventually(
      () => storedCounts(ids),
      (c) => c.size === ids.length,
      90_000,
    )
    pool ??= await clusterPool(data.dir)
    const { rows } = await pool.query<{ pending: number }>("select count(*)::int as pending from inbound_events where status = 'pending'")

    expect(reports.filter((r) => !r.delivered)).toEqual([])
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([])
    expect(counts.size).toBe(300)
    expect(rows[0]?.pending).toBe(0)
    expect(logLines(node, /database is unreachable/)).not.toEqual([])
    expect(logLines(node, /database is reachable again/)).not.toEqual([])
  })
})
