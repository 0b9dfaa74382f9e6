import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { findFreePort } from '../../../server/src/db/embedded.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { clusterPool, eventually, makeDataDir, signIn, startNode, writeChannelsFile, type CareboxNode } from '../../support/carebox-node.js'

// Outbound webhooks survive a crash: Carebox is killed with SIGKILL while deliveries are pending (some attempted
// and left unanswered by the receiver, some not yet attempted). After a restart every event is delivered, each
// with the same webhook-id as before the crash, so a receiver that deduplicates by id sees each once.

const phoneNumberId = '130000000000616'
const appSecret = 'faults-webhooks-secret'
let sim: Simulator
let data: Awaited<ReturnType<typeof makeDataDir>>
let node: CareboxNode | undefined
let pool: pg.Pool | undefined
let receiver: http.Server
let port: number
let env: Record<string, string>
/** Each request as it arrived: its webhook-id and event type, and whether it was answered 200. */
const arrivals: { id: string; type: string; answered: boolean }[] = []
let holding = true
const held: http.ServerResponse[] = []

beforeAll(async () => {
  data = await makeDataDir('faults-webhooks')
  port = await findFreePort()
  sim = await startSimulator({ retryScheduleMs: [250, 500, 1000], receipts: false })
  sim.addAccount({
    kind: 'whatsapp',
    externalId: phoneNumberId,
    secrets: { appSecret, accessToken: 'wa-token' },
    webhookUrl: `http://127.0.0.1:${port}/webhooks/meta`,
  })
  const channelsFile = await writeChannelsFile(data.dir, [
    {
      kind: 'whatsapp',
      name: 'Webhooks kill WhatsApp',
      externalId: phoneNumberId,
      settings: { mode: 'webhook', apiBaseUrl: sim.apiBaseUrl('whatsapp') },
      secrets: { appSecret, accessToken: 'wa-token' },
    },
  ])
  // Holds every request open until told otherwise: the attempts in flight when Carebox dies.
  receiver = http.createServer((request, response) => {
    request.resume()
    const body: Buffer[] = []
    request.on('data', (chunk: Buffer) => body.push(chunk))
    request.on('end', () => {
      const arrival = {
        id: String(request.headers['webhook-id']),
        type: (JSON.parse(Buffer.concat(body).toString()) as { type: string }).type,
        answered: false,
      }
      arrivals.push(arrival)
      if (holding) return void held.push(response)
      arrival.answered = true
      response.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  env = { CAREBOX_CHANNELS_FILE: channelsFile }
  node = await startNode({ dataDir: data.dir, port, env })
  const admin = await signIn(node.url)
  const created = await fetch(`${node.url}/api/webhooks`, {
    method: 'POST',
    headers: admin.headers,
    body: JSON.stringify({
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
      eventTypes: ['message.created'],
      teamId: null,
      allowPrivateNetwork: true,
    }),
  })
  expect(created.status, await created.clone().text()).toBe(200)
}, 180_000)

afterAll(async () => {
  for (const response of held) response.destroy()
  await new Promise((resolve) => receiver?.close(resolve))
  await node?.stop()
  await pool?.end()
  await sim?.close()
  await data?.remove()
})

it('delivers every pending event after a SIGKILL, with the webhook-id it had before', async () => {
  const count = 6
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      sim.customerWrites(phoneNumberId, { from: { id: `55119661${String(i).padStart(4, '0')}`, name: `Cliente ${i}` }, text: `pedido ${i}` }),
    ),
  )
  // Some attempts are in flight (held open by the receiver) when the process dies.
  await eventually(
    async () => arrivals.length,
    (n) => n >= 1,
    60_000,
  )
  pool ??= await clusterPool(data.dir)
  const pending = await pool.query<{ n: number }>(`select count(*)::int as n from webhook_deliveries where status = 'pending'`)
  expect(pending.rows[0]!.n).toBeGreaterThan(0)
  const idsBefore = new Set(arrivals.map((a) => a.id))
  await node!.kill()
  node = undefined

  holding = false
  for (const response of held.splice(0)) response.destroy()
  node = await startNode({ dataDir: data.dir, port, env })

  // Every message's event answered 200 in the end (a dead worker's jobs wait for its heartbeat to go stale).
  const delivered = await eventually(
    async () => new Set(arrivals.filter((a) => a.answered).map((a) => a.id)),
    (ids) => ids.size >= count,
    150_000,
    500,
  )
  expect(delivered.size).toBe(count)
  expect(arrivals.every((a) => a.type === 'message.created')).toBe(true)
  // The ones attempted before the crash came again with the same id; no event got a second id.
  for (const id of idsBefore) expect(delivered.has(id)).toBe(true)
  const { rows } = await pool.query<{ eventId: string; status: string }>(`select event_id as "eventId", status from webhook_deliveries order by created_at`)
  expect(rows).toHaveLength(count)
  expect(rows.every((row) => row.status === 'succeeded')).toBe(true)
  expect(new Set(rows.map((row) => row.eventId))).toEqual(delivered)
}, 300_000)
