import { randomUUID } from 'node:crypto'
import { csrfHeader, type Message } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, firstTeamId, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext, type createTestClock } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'

// What an attacker (another site, another team, an integration token, a crafted body) can do to the console's
// actions: nothing, and nothing reaches the customer.
let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let sim: Simulator
let agentA: SignedIn
let agentB: SignedIn
let admin: SignedIn
let conversationA: string
let conversationB: string
let failedReplyB: string

const appSecret = 'meta-app-secret-attacks'
const whatsappA = { externalId: '130000000000201', secrets: { appSecret, accessToken: 'wa-a' }, channelId: '' }
const whatsappB = { externalId: '130000000000202', secrets: { appSecret, accessToken: 'wa-b' }, channelId: '' }

/** Everything an action could have changed, to compare before and after an attack. */
async function snapshot() {
  const { rows } = await sql<{ conversations: unknown; messages: unknown; audit: number; jobs: number }>`
    select
      (select json_agg(c order by c.id) from (select id, status, assignee_id, snoozed_until, message_count, priority, tags from conversations) c) as conversations,
      (select json_agg(m order by m.id) from (select id, kind, status, text, error, external_id from messages) m) as messages,
      (select count(*)::int from audit_log where action like 'conversation.%') as audit,
      (select count(*)::int from graphile_worker._private_jobs) as jobs`.execute(ctx.db)
  return { ...rows[0], sends: sim.sends.length }
}

function inject(method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: Record<string, unknown>) {
  return app.inject({ method, url, headers, ...(payload && { payload }) })
}

/** The console's state-changing actions on one conversation. */
function actionsOn(conversationId: string) {
  return [
    { name: 'reply', url: `/api/conversations/${conversationId}/replies`, body: { text: 'pwned', clientKey: randomUUID() } },
    { name: 'note', url: `/api/conversations/${conversationId}/notes`, body: { text: 'pwned', clientKey: randomUUID() } },
    { name: 'assign', url: `/api/conversations/${conversationId}/assign`, body: { assigneeId: null } },
    { name: 'claim', url: `/api/conversations/${conversationId}/assign`, body: { assigneeId: agentA.userId } },
    { name: 'resolve', url: `/api/conversations/${conversationId}/status`, body: { status: 'resolved' } },
  ]
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  ;(ctx.clock as ReturnType<typeof createTestClock>).set(new Date())
  app = await buildTestApp(ctx)
  const appUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  sim = await startSimulator({ retryScheduleMs: [20, 50], receipts: false })
  const teamA = await firstTeamId(ctx)
  const teamB = await createTeam(ctx, 'Team B')
  for (const [account, teamId] of [
    [whatsappA, teamA],
    [whatsappB, teamB],
  ] as const) {
    const channel = await createChannel(ctx, {
      kind: 'whatsapp',
      name: `WhatsApp ${account.externalId}`,
      externalId: account.externalId,
      teamId,
      settings: { mode: 'webhook', apiBaseUrl: sim.apiBaseUrl('whatsapp') },
      secrets: account.secrets,
    })
    account.channelId = channel.id
    sim.addAccount({ kind: 'whatsapp', externalId: account.externalId, secrets: { ...account.secrets }, webhookUrl: `${appUrl}/webhooks/meta` })
  }
  agentA = await signedInAs(ctx, app, 'agent', [teamA])
  agentB = await signedInAs(ctx, app, 'agent', [teamB])
  admin = await signedInAs(ctx, app, 'admin', [])
  const a = await sim.customerWrites(whatsappA.externalId, { from: { id: '420777000001', name: 'Customer A' }, text: 'hello A' })
  const b = await sim.customerWrites(whatsappB.externalId, { from: { id: '420777000002', name: 'Customer B' }, text: 'hello B, my address is secret' })
  await processQueue(ctx, database.pool)
  const conversationOf = async (channelId: string, externalId: string | undefined) =>
    (
      await ctx.db
        .selectFrom('messages')
        .select('conversationId')
        .where('channelId', '=', channelId)
        .where('externalId', '=', externalId ?? '')
        .executeTakeFirstOrThrow()
    ).conversationId
  conversationA = await conversationOf(whatsappA.channelId, a.externalId)
  conversationB = await conversationOf(whatsappB.channelId, b.externalId)
  // Team B has a reply that failed: something team A could try to send again.
  sim.addAccount({
    kind: 'whatsapp',
    externalId: whatsappB.externalId,
    secrets: { ...whatsappB.secrets, accessToken: 'revoked' },
    webhookUrl: `${appUrl}/webhooks/meta`,
  })
  const reply = await inject('POST', `/api/conversations/${conversationB}/replies`, agentB.headers, { text: 'we are on it', clientKey: randomUUID() })
  failedReplyB = reply.json<Message>().id
  await processQueue(ctx, database.pool)
  sim.addAccount({ kind: 'whatsapp', externalId: whatsappB.externalId, secrets: { ...whatsappB.secrets }, webhookUrl: `${appUrl}/webhooks/meta` })
  expect((await ctx.db.selectFrom('messages').select('status').where('id', '=', failedReplyB).executeTakeFirstOrThrow()).status).toBe('failed')
})
afterAll(async () => {
  await sim.close()
  await app.close()
  await database.drop()
})

describe('CSRF', () => {
  it('refuses reply, note, assign and resolve without the CSRF token, with a wrong one, or from another site', async () => {
    const before = await snapshot()
    const forged = {
      missing: { cookie: agentA.cookie },
      wrong: { cookie: agentA.cookie, [csrfHeader]: `${agentA.csrfToken.slice(0, -2)}xx` },
      otherSession: { cookie: agentA.cookie, [csrfHeader]: agentB.csrfToken },
      foreignOrigin: { ...agentA.headers, origin: 'https://evil.example' },
    }

    const statuses: Record<string, number[]> = {}
    for (const [how, headers] of Object.entries(forged)) {
      statuses[how] = []
      for (const action of actionsOn(conversationA)) statuses[how].push((await inject('POST', action.url, headers, action.body)).statusCode)
    }
    await processQueue(ctx, database.pool)

    expect(statuses).toEqual({
      missing: [403, 403, 403, 403, 403],
      wrong: [403, 403, 403, 403, 403],
      otherSession: [403, 403, 403, 403, 403],
      foreignOrigin: [403, 403, 403, 403, 403],
    })
    expect(await snapshot()).toEqual(before)
  })

  it('refuses a retry without the CSRF token', async () => {
    const before = await snapshot()

    const response = await inject('POST', `/api/messages/${failedReplyB}/retry`, { cookie: agentB.cookie })

    expect(response.statusCode).toBe(403)
    expect(await snapshot()).toEqual(before)
  })
})

describe('another team’s conversation', () => {
  it('answers 404 to every action of an agent of another team, and changes nothing', async () => {
    const before = await snapshot()

    const statuses = []
    for (const action of actionsOn(conversationB)) statuses.push([action.name, (await inject('POST', action.url, agentA.headers, action.body)).statusCode])
    statuses.push(['retry', (await inject('POST', `/api/messages/${failedReplyB}/retry`, agentA.headers)).statusCode])
    await processQueue(ctx, database.pool)

    expect(statuses).toEqual([
      ['reply', 404],
      ['note', 404],
      ['assign', 404],
      ['claim', 404],
      ['resolve', 404],
      ['retry', 404],
    ])
    expect(await snapshot()).toEqual(before)
  })

  it('answers 404 for its customer panel and messages, exactly as for one that does not exist, and lists none of it', async () => {
    const panel = await inject('GET', `/api/conversations/${conversationB}`, agentA.headers)
    const messages = await inject('GET', `/api/conversations/${conversationB}/messages`, agentA.headers)
    const missing = await inject('GET', `/api/conversations/${randomUUID()}`, agentA.headers)
    const listed = await inject('GET', '/api/conversations?view=all&q=secret', agentA.headers)
    const byChannel = await inject('GET', `/api/conversations?channelId=${whatsappB.channelId}`, agentA.headers)

    expect([panel.statusCode, messages.statusCode]).toEqual([404, 404])
    expect(panel.body).toBe(missing.body)
    expect(panel.body).not.toContain('secret')
    expect(listed.json<{ items: unknown[] }>().items).toEqual([])
    expect(byChannel.json<{ items: unknown[] }>().items).toEqual([])
  })
})

describe('API tokens', () => {
  it('lets a conversations:read token read but not reply, note, assign, resolve or retry', async () => {
    const minted = await inject('POST', '/api/tokens', admin.headers, { name: 'reporting', scopes: ['conversations:read'] })
    expect(minted.statusCode).toBe(200)
    const bearer = { authorization: `Bearer ${minted.json<{ secret: string }>().secret}` }
    const before = await snapshot()

    const read = await inject('GET', `/api/conversations/${conversationA}/messages`, bearer)
    const statuses = []
    for (const action of actionsOn(conversationA)) statuses.push((await inject('POST', action.url, bearer, action.body)).statusCode)
    statuses.push((await inject('POST', `/api/messages/${failedReplyB}/retry`, bearer)).statusCode)
    await processQueue(ctx, database.pool)

    expect(read.statusCode).toBe(200)
    expect(statuses).toEqual([403, 403, 403, 403, 403, 403])
    expect(await snapshot()).toEqual(before)
  })
})

describe('mass assignment', () => {
  it('refuses reply bodies that try to set what only the server decides', async () => {
    const before = await snapshot()
    const extras = [
      { status: 'sent' },
      { direction: 'inbound' },
      { authorUserId: agentB.userId },
      { externalId: 'wamid.forged' },
      { kind: 'note' },
      { authorKind: 'contact' },
      { conversationId: conversationB },
      { sentAt: '2020-01-01T00:00:00Z' },
    ]

    const statuses = []
    for (const extra of extras) {
      const response = await inject('POST', `/api/conversations/${conversationA}/replies`, agentA.headers, { text: 'hello', clientKey: randomUUID(), ...extra })
      statuses.push(response.statusCode)
    }
    await processQueue(ctx, database.pool)

    expect(statuses).toEqual(extras.map(() => 400))
    expect(await snapshot()).toEqual(before)
  })

  it('refuses extra fields on notes, assignment and status too', async () => {
    const before = await snapshot()

    const statuses = [
      (await inject('POST', `/api/conversations/${conversationA}/notes`, agentA.headers, { text: 'n', clientKey: randomUUID(), kind: 'message' })).statusCode,
      (await inject('POST', `/api/conversations/${conversationA}/assign`, agentA.headers, { assigneeId: agentA.userId, teamId: 'x' })).statusCode,
      (await inject('POST', `/api/conversations/${conversationA}/status`, agentA.headers, { status: 'resolved', assigneeId: agentA.userId })).statusCode,
      (await inject('POST', `/api/conversations/${conversationA}/replies`, agentA.headers, { text: 'no key' })).statusCode,
      (await inject('POST', `/api/conversations/${conversationA}/replies`, agentA.headers, { text: 'bad key', clientKey: 'not-a-uuid' })).statusCode,
      (await inject('POST', `/api/conversations/not-a-uuid/replies`, agentA.headers, { text: 'x', clientKey: randomUUID() })).statusCode,
    ]

    expect(statuses).toEqual([400, 400, 400, 400, 400, 400])
    expect(await snapshot()).toEqual(before)
  })
})
