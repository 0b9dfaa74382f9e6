import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AppContext } from '../../../server/src/context.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { senderKey, webhookFailingDisableAfterMs } from '../../../server/src/webhooks/deliver.task.js'
import { sendWebhooksHandler } from '../../../server/src/webhooks/send.job.js'
import { webhookDns, type ResolveHost } from '../../../server/src/webhooks/webhook-post.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext, type createTestClock } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'
import { connectWhatsApp } from '../../support/whatsapp-account.js'
import { startReceiver, Webhook } from './receiver.js'

// Signed outbound webhooks end to end: real changes become deliveries a receiver on loopback (an admin's explicit
// private-network exception) verifies with the standardwebhooks library; retries, 410, disabling after days of
// failures, replays, and the address guard, which refuses before any connection is opened.
const phoneNumberId = '130000000000977'
const job = { attempts: 1, maxAttempts: 5 }

let database: TestDatabase
let ctx: AppContext
let clock: ReturnType<typeof createTestClock>
let app: FastifyInstance
let sim: Simulator
let admin: SignedIn
let receiver: Awaited<ReturnType<typeof startReceiver>>
const systemResolve = webhookDns.resolveHost

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  clock = ctx.clock as typeof clock
  // Receivers check webhook-timestamp against their own clock, and the queue runs jobs by the database's.
  clock.set(new Date())
  app = await buildTestApp(ctx)
  const appUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  sim = await startSimulator({ retryScheduleMs: [20, 50], receipts: false })
  await connectWhatsApp(ctx, sim, appUrl, { name: 'Webhooks WhatsApp', phoneNumberId, businessAccountId: '120000000000977', appSecret: 'webhooks-secret' })
  admin = await signedInAs(ctx, app, 'admin')
  receiver = await startReceiver()
})

afterAll(async () => {
  await receiver?.close()
  await sim?.close()
  await app?.close()
  await database?.drop()
})

beforeEach(() => {
  // A retry scheduled seconds ahead stays ahead of the database's clock while the test runs.
  clock.set(new Date())
})

afterEach(async () => {
  webhookDns.resolveHost = systemResolve
  vi.restoreAllMocks()
  receiver.received.length = 0
  receiver.state.answers = []
  receiver.state.then = 200
  // Each test's endpoints stay to themselves: the next test's changes go to its own.
  await ctx.db.updateTable('webhookEndpoints').set({ enabled: false }).execute()
})

async function createEndpoint(body: Record<string, unknown> = {}): Promise<WebhookEndpointWithSecret> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/webhooks',
    headers: admin.headers,
    payload: { url: receiver.url, eventTypes: [], teamId: null, allowPrivateNetwork: true, ...body },
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json()
}

async function sendTest(endpointId: string): Promise<WebhookDelivery> {
  const response = await app.inject({ method: 'POST', url: `/api/webhooks/${endpointId}/test`, headers: admin.headers })
  expect(response.statusCode, response.body).toBe(200)
  return response.json()
}

async function deliveries(endpointId: string): Promise<WebhookDelivery[]> {
  const response = await app.inject({ method: 'GET', url: `/api/webhooks/${endpointId}/deliveries`, headers: admin.headers })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().items
}

async function endpoint(id: string): Promise<WebhookEndpoint> {
  const response = await app.inject({ method: 'GET', url: '/api/webhooks', headers: admin.headers })
  return (response.json().items as WebhookEndpoint[]).find((e) => e.id === id)!
}

describe('webhooks consumer and delivery', () => {
  it('delivers a customer message as signed events the standardwebhooks library verifies', async () => {
    const { endpoint: created, secret } = await createEndpoint({ eventTypes: ['conversation.created', 'message.created'] })

    await sim.customerWrites(phoneNumberId, { from: { id: '5511990000001', name: 'Ana' }, text: 'Where is my order?', at: clock.now() })
    await processQueue(ctx, database.pool)

    const wh = new Webhook(secret)
    const events = receiver.received.map((r) => {
      expect(r.headers['content-type']).toBe('application/json')
      return wh.verify(r.body, r.headers) as { id: string; type: string; team_id: string; data: Record<string, unknown> }
    })
    const conversation = await ctx.db.selectFrom('conversations').select(['id', 'teamId']).orderBy('createdAt', 'desc').executeTakeFirstOrThrow()
    expect(events.map((e) => e.type).sort()).toEqual(['conversation.created', 'message.created'])
    expect(events.find((e) => e.type === 'conversation.created')).toMatchObject({
      team_id: conversation.teamId,
      data: { conversation: { id: conversation.id } },
    })
    expect(events.find((e) => e.type === 'message.created')?.data).toMatchObject({ message: { conversation_id: conversation.id, direction: 'in' } })
    for (const [i, r] of receiver.received.entries()) {
      expect(r.headers['webhook-id']).toBe(events[i]!.id)
      expect(r.headers['webhook-id']).toMatch(/^evt_\d+$/)
    }
    const log = await deliveries(created.id)
    expect(log.map((d) => [d.status, d.attempts, d.lastStatus])).toEqual([
      ['succeeded', 1, 200],
      ['succeeded', 1, 200],
    ])
    expect(log[0]!.lastLatencyMs).toEqual(expect.any(Number))
    expect(log[0]!.lastResponseExcerpt).toBe('answered 200')
  })

  it('sends nothing an endpoint did not subscribe to, nor another team’s events', async () => {
    const team = await ctx.db.insertInto('teams').values({ name: 'Elsewhere' }).returning('id').executeTakeFirstOrThrow()
    const { endpoint: created } = await createEndpoint({ eventTypes: ['sla.breached'] })
    const { endpoint: otherTeam } = await createEndpoint({ teamId: team.id })

    await sim.customerWrites(phoneNumberId, { from: { id: '5511990000002', name: 'Bia' }, text: 'Hello', at: clock.now() })
    await processQueue(ctx, database.pool)

    expect(receiver.received).toEqual([])
    expect(await deliveries(created.id)).toEqual([])
    expect(await deliveries(otherTeam.id)).toEqual([])
  })

  it('retries a 500 on the schedule, with the same webhook-id, until the last attempt fails', async () => {
    const { endpoint: created } = await createEndpoint()
    receiver.state.then = 500

    const test = await sendTest(created.id)
    await processQueue(ctx, database.pool)
    const [afterFirst] = await deliveries(created.id)
    await processQueue(ctx, database.pool, { runScheduled: true })
    const [afterAll] = await deliveries(created.id)

    expect(afterFirst).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500, lastResponseExcerpt: 'answered 500' })
    const wait = Date.parse(afterFirst!.nextAttemptAt!) - Date.parse(afterFirst!.lastAttemptAt!)
    expect(wait).toBeGreaterThanOrEqual(4500)
    expect(wait).toBeLessThanOrEqual(5500)
    expect(afterAll).toMatchObject({ id: test.id, status: 'failed', attempts: 10, lastStatus: 500, nextAttemptAt: null })
    expect(receiver.received).toHaveLength(10)
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([test.eventId]))
  })

  it('honours Retry-After on a 429', async () => {
    const { endpoint: created } = await createEndpoint()
    receiver.state.answers = [{ status: 429, headers: { 'retry-after': '3600' } }]

    await sendTest(created.id)
    await processQueue(ctx, database.pool)

    const [delivery] = await deliveries(created.id)
    expect(Date.parse(delivery!.nextAttemptAt!) - Date.parse(delivery!.lastAttemptAt!)).toBe(3600_000)
  })

  it('pauses the endpoint for the Retry-After, then sends what waited', async () => {
    const { endpoint: created } = await createEndpoint()
    receiver.state.answers = [{ status: 429, headers: { 'retry-after': '60' } }]

    const throttled = await sendTest(created.id)
    await processQueue(ctx, database.pool)
    const waiting = await sendTest(created.id)
    await processQueue(ctx, database.pool)
    const duringPause = await deliveries(created.id)
    const paused = await endpoint(created.id)
    await processQueue(ctx, database.pool, { runScheduled: true })

    expect(Date.parse(paused.pausedUntil!) - clock.now().getTime()).toBe(60_000)
    expect(duringPause.find((d) => d.id === waiting.id)).toMatchObject({ status: 'pending', attempts: 0 })
    // After the pause both go, in parallel: their arrival order is not theirs to keep (no conversation).
    const [first, ...afterPause] = receiver.received.map((r) => r.headers['webhook-id'])
    expect(first).toBe(throttled.eventId)
    expect(afterPause.sort()).toEqual([throttled.eventId, waiting.eventId].sort())
    expect((await deliveries(created.id)).map((d) => d.status)).toEqual(['succeeded', 'succeeded'])
  })

  it('takes a Retry-After far in the future as at most a day, and pauses the endpoint at most 5 minutes', async () => {
    const { endpoint: created } = await createEndpoint()
    receiver.state.answers = [{ status: 429, headers: { 'retry-after': '99999999999999' } }]

    await sendTest(created.id)
    await processQueue(ctx, database.pool)

    const [delivery] = await deliveries(created.id)
    expect(Date.parse(delivery!.nextAttemptAt!) - Date.parse(delivery!.lastAttemptAt!)).toBe(24 * 3600_000)
    expect(Date.parse((await endpoint(created.id)).pausedUntil!) - clock.now().getTime()).toBe(5 * 60_000)
  })

  it('sends nothing while another sender holds the endpoint, and looks again soon after', async () => {
    const { endpoint: created } = await createEndpoint()
    const tests = await Promise.all(Array.from({ length: 5 }, () => sendTest(created.id)))
    // Another worker's sender (graphile-worker's local queue may start two jobs of one endpoint at once).
    const other = { senderLeaseId: randomUUID(), senderLeaseUntil: new Date(clock.now().getTime() + 60_000) }
    await ctx.db.updateTable('webhookEndpoints').set(other).where('id', '=', created.id).execute()

    // The wake sendTest queued is taken away: what is left after the run is what the run itself queued.
    await sql`delete from graphile_worker._private_jobs where key = ${senderKey(created.id)}`.execute(ctx.db)
    await sendWebhooksHandler.run(ctx, { endpointId: created.id }, job)
    const sentMeanwhile = receiver.received.length
    const { rows } = await sql<{ runAt: Date }>`
      select run_at as "runAt" from graphile_worker._private_jobs where key = ${senderKey(created.id)}`.execute(ctx.db)
    await ctx.db.updateTable('webhookEndpoints').set({ senderLeaseUntil: null }).where('id', '=', created.id).execute()
    await processQueue(ctx, database.pool, { runScheduled: true })

    expect(sentMeanwhile).toBe(0)
    // It looks again in about a second, rather than leave the deliveries to the next change.
    expect(rows).toHaveLength(1)
    expect(rows[0]!.runAt.getTime() - clock.now().getTime()).toBe(1000)
    expect(receiver.received.map((r) => r.headers['webhook-id']).sort()).toEqual(tests.map((t) => t.eventId).sort())
  })

  it('disables an endpoint that answers 410 at once, and tells the admins', async () => {
    const { endpoint: created } = await createEndpoint()
    receiver.state.answers = [{ status: 410 }]

    await sendTest(created.id)
    await processQueue(ctx, database.pool, { runScheduled: true })

    expect(await endpoint(created.id)).toMatchObject({ enabled: false, disabledReason: 'The endpoint answered 410 Gone.' })
    expect((await deliveries(created.id))[0]).toMatchObject({ status: 'failed', attempts: 1, lastStatus: 410 })
    expect(receiver.received).toHaveLength(1)
    expect(await notificationsFor(admin.userId, `${created.url}: The endpoint answered 410 Gone.`)).toBe(1)
  })

  it('disables an endpoint failing for days and tells the admins', async () => {
    const { endpoint: created } = await createEndpoint()
    await ctx.db
      .updateTable('webhookEndpoints')
      .set({ failingSince: new Date(clock.now().getTime() - webhookFailingDisableAfterMs) })
      .where('id', '=', created.id)
      .execute()
    receiver.state.then = 503

    await sendTest(created.id)
    await processQueue(ctx, database.pool)

    expect(await endpoint(created.id)).toMatchObject({ enabled: false, disabledReason: 'Every attempt failed for 3 days.' })
    expect(await notificationsFor(admin.userId, `${created.url}: Every attempt failed for 3 days.`)).toBe(1)
  })

  it('forgets the failing time after a success', async () => {
    const { endpoint: created } = await createEndpoint()
    receiver.state.answers = [{ status: 500 }]

    await sendTest(created.id)
    await processQueue(ctx, database.pool)
    const failing = await endpoint(created.id)
    await processQueue(ctx, database.pool, { runScheduled: true })

    expect(failing.failingSince).not.toBeNull()
    expect(await endpoint(created.id)).toMatchObject({ enabled: true, failingSince: null })
  })
})

describe('order and batching', () => {
  /** The webhook-ids the receiver got for message.created events of the conversation, in arrival order. */
  function arrivals(conversationId: string): string[] {
    return receiver.received
      .filter((r) => (JSON.parse(r.body) as { data: { message?: { conversation_id: string } } }).data.message?.conversation_id === conversationId)
      .map((r) => r.headers['webhook-id']!)
  }

  async function conversationOf(customerName: string): Promise<string> {
    const row = await ctx.db
      .selectFrom('conversations')
      .innerJoin('contactIdentities', 'contactIdentities.contactId', 'conversations.contactId')
      .select('conversations.id')
      .where('contactIdentities.name', '=', customerName)
      .executeTakeFirstOrThrow()
    return row.id
  }

  it('holds a conversation’s later events behind one being retried, and lets other conversations through', async () => {
    await createEndpoint({ eventTypes: ['message.created'] })
    receiver.state.answers = [{ status: 500 }]

    await sim.customerWrites(phoneNumberId, { from: { id: '5511990000101', name: 'Caio' }, text: 'First', at: clock.now() })
    await processQueue(ctx, database.pool)
    await sim.customerWrites(phoneNumberId, { from: { id: '5511990000101', name: 'Caio' }, text: 'Second', at: clock.now() })
    await sim.customerWrites(phoneNumberId, { from: { id: '5511990000102', name: 'Davi' }, text: 'Hello', at: clock.now() })
    await processQueue(ctx, database.pool)
    const held = await conversationOf('Caio')
    const other = await conversationOf('Davi')
    const whileRetrying = { held: arrivals(held), other: arrivals(other) }
    await processQueue(ctx, database.pool, { runScheduled: true })

    // The first event got the 500 and waits for its retry; the second is not sent past it; the other conversation's is.
    expect(whileRetrying.held).toHaveLength(1)
    expect(whileRetrying.other).toHaveLength(1)
    const [first, second] = [...new Set(arrivals(held))]
    expect(arrivals(held)).toEqual([first, first, second])
    expect(Number(first!.slice(4))).toBeLessThan(Number(second!.slice(4)))
  })

  it('sends a burst of events each once, in the order of each conversation', async () => {
    const { endpoint: created } = await createEndpoint({ eventTypes: ['message.created'] })
    const customers = ['5511990000201', '5511990000202', '5511990000203']
    const name = (id: string) => `Burst customer ${id.slice(-1)}`

    for (let i = 0; i < 20; i++) {
      for (const id of customers) await sim.customerWrites(phoneNumberId, { from: { id, name: name(id) }, text: `Message ${i}`, at: clock.now() })
    }
    const tests = await Promise.all(Array.from({ length: 40 }, () => sendTest(created.id)))
    await processQueue(ctx, database.pool)

    for (const id of customers) {
      const seen = arrivals(await conversationOf(name(id))).map((eventId) => Number(eventId.slice(4)))
      expect(seen).toHaveLength(20)
      expect(seen).toEqual([...seen].sort((a, b) => a - b))
    }
    const ids = receiver.received.map((r) => r.headers['webhook-id'])
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(expect.arrayContaining(tests.map((t) => t.eventId)))
    expect((await deliveries(created.id)).every((d) => d.status === 'succeeded' && d.attempts === 1)).toBe(true)
  })
})

/** Console notifications to the user about a disabled endpoint, by their text. */
async function notificationsFor(userId: string, preview: string): Promise<number> {
  const rows = await ctx.db.selectFrom('changes').select('data').where('type', '=', 'notification.created').execute()
  return rows.filter((r) => {
    const data = r.data as { userId: string; notification: { kind: string; preview: string } }
    return data.userId === userId && data.notification.kind === 'webhook_disabled' && data.notification.preview === preview
  }).length
}

describe('receivers that do not answer as they should', () => {
  it('counts a redirect as a failed attempt and never follows it, even to a name that would resolve', async () => {
    const { endpoint: created } = await createEndpoint()
    receiver.state.answers = [{ status: 302, headers: { location: 'http://metadata.internal/latest/meta-data/' } }]
    const asked: string[] = []
    webhookDns.resolveHost = async (host) => {
      asked.push(host)
      return [{ address: '169.254.169.254', family: 4 }]
    }

    await sendTest(created.id)
    await processQueue(ctx, database.pool)

    expect((await deliveries(created.id))[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 302 })
    expect(receiver.received).toHaveLength(1)
    // The redirect's host was never even looked up, let alone connected to.
    expect(asked).toEqual([])
  })

  it('gives up on an endpoint that does not answer within the timeout, and retries it later', { timeout: 60_000 }, async () => {
    const silent = http.createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const { endpoint: created } = await createEndpoint({ url: `http://127.0.0.1:${(silent.address() as { port: number }).port}/hooks` })

    await sendTest(created.id)
    await processQueue(ctx, database.pool, { timeoutMs: 45_000 })
    silent.closeAllConnections()
    await new Promise((resolve) => silent.close(resolve))

    // Still pending: the next attempt follows the schedule (a retry may already have timed out the same way).
    expect((await deliveries(created.id))[0]).toMatchObject({ status: 'pending', lastStatus: null, lastError: 'No answer within 15 s' })
  })
})

describe('replay', () => {
  it('replays one delivery with the same webhook-id and body', async () => {
    const { endpoint: created, secret } = await createEndpoint()
    receiver.state.answers = [{ status: 410 }]
    const test = await sendTest(created.id)
    await processQueue(ctx, database.pool)
    await app.inject({ method: 'PATCH', url: `/api/webhooks/${created.id}`, headers: admin.headers, payload: { enabled: true } })

    const response = await app.inject({ method: 'POST', url: `/api/webhooks/${created.id}/deliveries/${test.id}/replay`, headers: admin.headers })
    await processQueue(ctx, database.pool)

    expect(response.statusCode, response.body).toBe(200)
    expect((await deliveries(created.id))[0]).toMatchObject({ id: test.id, status: 'succeeded', lastStatus: 200 })
    const [first, again] = receiver.received
    expect(again!.headers['webhook-id']).toBe(first!.headers['webhook-id'])
    expect(again!.body).toBe(first!.body)
    expect(new Webhook(secret).verify(again!.body, again!.headers)).toMatchObject({ type: 'webhook.test' })
  })

  it('replays every failed delivery since a time, and only those', async () => {
    const { endpoint: created } = await createEndpoint()
    receiver.state.then = 500
    const old = await sendTest(created.id)
    const recent = await sendTest(created.id)
    await processQueue(ctx, database.pool, { runScheduled: true })
    await ctx.db
      .updateTable('webhookDeliveries')
      .set({ createdAt: new Date(Date.now() - 2 * 24 * 3600_000) })
      .where('id', '=', old.id)
      .execute()
    receiver.state.then = 200
    receiver.received.length = 0

    const response = await app.inject({
      method: 'POST',
      url: `/api/webhooks/${created.id}/replay-failed`,
      headers: admin.headers,
      payload: { since: new Date(Date.now() - 24 * 3600_000).toISOString() },
    })
    await processQueue(ctx, database.pool)

    expect(response.json()).toEqual({ replayed: 1 })
    const log = await deliveries(created.id)
    expect(log.find((d) => d.id === recent.id)).toMatchObject({ status: 'succeeded', attempts: 1 })
    expect(log.find((d) => d.id === old.id)).toMatchObject({ status: 'failed', attempts: 10 })
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([recent.eventId])
  })
})

describe('secrets', () => {
  it('answers the secret once: never in listings, and sealed at rest', async () => {
    const { endpoint: created, secret } = await createEndpoint()

    const list = await app.inject({ method: 'GET', url: '/api/webhooks', headers: admin.headers })
    const row = await ctx.db.selectFrom('webhookEndpoints').select('secretCiphertext').where('id', '=', created.id).executeTakeFirstOrThrow()

    expect(secret).toMatch(/^whsec_/)
    expect(list.body).not.toContain(secret)
    expect(list.body).not.toContain(secret.slice('whsec_'.length))
    expect(row.secretCiphertext).not.toContain(secret.slice('whsec_'.length))
  })

  it('signs with the new and the old secret for a day after a rotation', async () => {
    const { endpoint: created, secret: old } = await createEndpoint()

    const rotated = await app.inject({ method: 'POST', url: `/api/webhooks/${created.id}/rotate-secret`, headers: admin.headers })
    await sendTest(created.id)
    await processQueue(ctx, database.pool)

    const { secret: next, endpoint: after } = rotated.json<WebhookEndpointWithSecret>()
    expect(next).not.toBe(old)
    expect(Date.parse(after.previousSecretUntil!) - clock.now().getTime()).toBe(24 * 3600_000)
    const [sent] = receiver.received
    expect(sent!.headers['webhook-signature']!.split(' ')).toHaveLength(2)
    expect(new Webhook(next).verify(sent!.body, sent!.headers)).toBeTruthy()
    expect(new Webhook(old).verify(sent!.body, sent!.headers)).toBeTruthy()
  })
})

describe('address guard', () => {
  /** DNS answers these addresses, and no connection can open: a guard that let one through fails the test. */
  function resolvesTo(...addresses: string[]) {
    webhookDns.resolveHost = (async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))) satisfies ResolveHost
    return vi.spyOn(http, 'request').mockImplementation(() => {
      throw new Error('a connection was attempted')
    })
  }

  it.each([
    ['the metadata address', 'http://169.254.169.254/latest/meta-data', [], false],
    ['the metadata address, even with the private exception', 'http://169.254.169.254/latest/meta-data', [], true],
    ['a private address', 'http://10.0.0.5/hook', [], false],
    ['loopback', 'http://127.0.0.1:9/hook', [], false],
    ['a name resolving to a private address', 'https://hooks.internal.example/in', ['93.184.216.34', '192.168.0.7'], false],
    ['a name resolving to the metadata address', 'https://metadata.example/in', ['169.254.169.254'], true],
  ])('refuses %s at creation, before connecting', async (_case, url, addresses, allowPrivateNetwork) => {
    const request = resolvesTo(...(addresses as string[]))

    const response = await app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: admin.headers,
      payload: { url, eventTypes: [], teamId: null, allowPrivateNetwork },
    })

    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('validation_failed')
    expect(request).not.toHaveBeenCalled()
    expect(await ctx.db.selectFrom('webhookEndpoints').select('id').where('url', '=', url).execute()).toEqual([])
  })

  it('refuses at delivery a name that now resolves to a private address, without connecting', async () => {
    resolvesTo('93.184.216.34')
    const { endpoint: created } = await createEndpoint({ url: 'https://hooks.rebinding.example/in', allowPrivateNetwork: false })
    const request = resolvesTo('10.9.8.7')

    await sendTest(created.id)
    await processQueue(ctx, database.pool)

    expect(request).not.toHaveBeenCalled()
    expect((await deliveries(created.id))[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null })
    expect((await deliveries(created.id))[0]!.lastError).toContain('10.9.8.7')
  })

  it('refuses URLs that are not http(s)', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: admin.headers,
      payload: { url: 'file:///etc/passwd', eventTypes: [], teamId: null },
    })

    expect(response.statusCode).toBe(400)
  })
})

describe('access', () => {
  it('lets only admins manage endpoints', async () => {
    const agent = await signedInAs(ctx, app, 'agent')
    const lead = await signedInAs(ctx, app, 'lead')

    for (const user of [agent, lead]) {
      const list = await app.inject({ method: 'GET', url: '/api/webhooks', headers: user.headers })
      const create = await app.inject({
        method: 'POST',
        url: '/api/webhooks',
        headers: user.headers,
        payload: { url: receiver.url, eventTypes: [], teamId: null, allowPrivateNetwork: true },
      })
      expect([list.statusCode, create.statusCode]).toEqual([403, 403])
    }
  })
})
