import { randomUUID } from 'node:crypto'
import type { ConversationDetail, ConversationPage, ConversationSummary, Message, ServerToClientEvents } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { socketAuth } from '../../../server/src/auth/socket-auth.js'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { attachRealtime } from '../../../server/src/realtime/realtime.js'
import { buildReadEntry, metaBody, startSimulator, type CustomerMessage, type Simulator } from '../../../server/src/simulator/index.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, createUser, firstTeamId, signIn, type SignedIn } from '../../support/auth.js'
import { createTestContext, type createTestClock } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'

// The agent console's server side: views, search, the customer panel, notes, assignment and status, with
// conversations that arrive the real way (the platform simulator's signed webhooks, then ingest).
let database: TestDatabase
let ctx: AppContext
let clock: ReturnType<typeof createTestClock>
let app: FastifyInstance
let baseUrl: string
let sim: Simulator
let teamA: string
let teamB: string
let agentA: SignedIn
let agentA2: SignedIn
let leadA: SignedIn
let agentB: SignedIn
let admin: SignedIn
const names: Record<string, string> = {}

const hourMs = 60 * 60 * 1000
const appSecret = 'meta-app-secret-console'

interface Account {
  kind: 'whatsapp' | 'telegram' | 'facebook'
  externalId: string
  secrets: Record<string, string>
  team: 'A' | 'B'
  channelId: string
}

const whatsappA: Account = { kind: 'whatsapp', externalId: '130000000000101', secrets: { appSecret, accessToken: 'wa-a' }, team: 'A', channelId: '' }
const telegramA: Account = {
  kind: 'telegram',
  externalId: '7000000101',
  secrets: { botToken: '7000000101:AAconsole', webhookSecret: 'tg-console' },
  team: 'A',
  channelId: '',
}
const pageA: Account = { kind: 'facebook', externalId: '104400000000101', secrets: { appSecret, accessToken: 'page-a' }, team: 'A', channelId: '' }
const whatsappB: Account = { kind: 'whatsapp', externalId: '130000000000102', secrets: { appSecret, accessToken: 'wa-b' }, team: 'B', channelId: '' }

let people = 0
function newPersonId(account: Account): string {
  people += 1
  return account.kind === 'whatsapp' ? `42077700${String(people).padStart(4, '0')}` : `${6_200_000_000 + people}`
}

/** A customer writes through the platform, and ingest stores it; returns the conversation. */
async function customerWrote(account: Account, message: Partial<CustomerMessage> & { text: string }): Promise<{ conversationId: string; personId: string }> {
  const personId = message.from?.id ?? newPersonId(account)
  const report = await sim.customerWrites(account.externalId, { ...message, from: { name: `Customer ${personId}`, ...message.from, id: personId } })
  expect(report.delivered).toBe(true)
  await processQueue(ctx, database.pool)
  const row = await ctx.db
    .selectFrom('messages')
    .select('conversationId')
    .where('channelId', '=', account.channelId)
    .where('externalId', '=', report.externalId ?? '')
    .executeTakeFirstOrThrow()
  return { conversationId: row.conversationId, personId }
}

async function signedInNamed(role: 'agent' | 'lead' | 'admin', teamIds: string[], name: string): Promise<SignedIn> {
  const user = await createUser(ctx, { role, teamIds, name })
  names[user.id] = name
  return signIn(app, user.email, user.password)
}

function get(url: string, who: SignedIn) {
  return app.inject({ method: 'GET', url, headers: who.headers })
}

function post(url: string, who: SignedIn, payload: Record<string, unknown>) {
  return app.inject({ method: 'POST', url, headers: who.headers, payload })
}

async function list(who: SignedIn, query: Record<string, string>): Promise<string[]> {
  const response = await get(`/api/conversations?${new URLSearchParams({ limit: '100', ...query }).toString()}`, who)
  expect(response.statusCode, response.body).toBe(200)
  return response.json<ConversationPage>().items.map((item) => item.id)
}

/** The ids of `list(...)` among `known`, sorted: other tests' conversations share the database. */
async function listOf(who: SignedIn, query: Record<string, string>, known: string[]): Promise<string[]> {
  return (await list(who, query)).filter((id) => known.includes(id)).sort()
}

async function thread(conversationId: string, who = agentA): Promise<Message[]> {
  const response = await get(`/api/conversations/${conversationId}/messages`, who)
  expect(response.statusCode).toBe(200)
  return response.json<{ items: Message[] }>().items
}

async function auditOf(conversationId: string) {
  return ctx.db.selectFrom('auditLog').select(['action', 'actorUserId', 'details']).where('targetId', '=', conversationId).orderBy('at').orderBy('id').execute()
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  clock = ctx.clock as typeof clock
  // Platforms stamp messages with the real time; sessions, the reply window and snoozes read the test clock.
  clock.set(new Date())
  app = await buildTestApp(ctx)
  ctx.realtime = attachRealtime(app.server, ctx.log, socketAuth(ctx))
  baseUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  sim = await startSimulator({ retryScheduleMs: [20, 50], receipts: false })
  teamA = await firstTeamId(ctx)
  teamB = await createTeam(ctx, 'Team B')
  for (const account of [whatsappA, telegramA, pageA, whatsappB]) {
    const channel = await createChannel(ctx, {
      kind: account.kind,
      name: `${account.team} ${account.kind}`,
      externalId: account.externalId,
      teamId: account.team === 'A' ? teamA : teamB,
      settings: { mode: 'webhook', apiBaseUrl: sim.apiBaseUrl(account.kind) },
      secrets: account.secrets,
    })
    account.channelId = channel.id
    const webhookUrl = account.kind === 'telegram' ? `${baseUrl}/webhooks/telegram/${channel.id}` : `${baseUrl}/webhooks/meta`
    sim.addAccount({ kind: account.kind, externalId: account.externalId, secrets: { ...account.secrets }, webhookUrl })
  }
  agentA = await signedInNamed('agent', [teamA], 'Alma Agent')
  agentA2 = await signedInNamed('agent', [teamA], 'Ben Agent')
  leadA = await signedInNamed('lead', [teamA], 'Lea Lead')
  agentB = await signedInNamed('agent', [teamB], 'Bo Other')
  admin = await signedInNamed('admin', [], 'Ada Admin')
})
beforeEach(() => {
  sim.clearFaults()
})
afterAll(async () => {
  await sim.close()
  await ctx.realtime.close()
  await app.close()
  await database.drop()
})

describe('GET /api/conversations views', () => {
  const c: Record<string, string> = {}
  let known: string[]

  beforeAll(async () => {
    c.unassigned = (await customerWrote(whatsappA, { text: 'view: unassigned' })).conversationId
    c.mine = (await customerWrote(whatsappA, { text: 'view: mine' })).conversationId
    c.teammates = (await customerWrote(telegramA, { text: 'view: a teammate has it' })).conversationId
    c.snoozed = (await customerWrote(whatsappA, { text: 'view: snoozed' })).conversationId
    c.resolved = (await customerWrote(telegramA, { text: 'view: resolved' })).conversationId
    c.otherTeam = (await customerWrote(whatsappB, { text: 'view: team B' })).conversationId
    known = Object.values(c)
    expect((await post(`/api/conversations/${c.mine}/assign`, agentA, { assigneeId: agentA.userId })).statusCode).toBe(200)
    expect((await post(`/api/conversations/${c.teammates}/assign`, agentA2, { assigneeId: agentA2.userId })).statusCode).toBe(200)
    const until = new Date(clock.now().getTime() + 2 * hourMs).toISOString()
    expect((await post(`/api/conversations/${c.snoozed}/status`, agentA, { status: 'snoozed', snoozedUntil: until })).statusCode).toBe(200)
    expect((await post(`/api/conversations/${c.resolved}/status`, agentA, { status: 'resolved' })).statusCode).toBe(200)
  })

  it('gives an agent the right set for every view, and nothing of another team', async () => {
    const sets = {
      unassigned: await listOf(agentA, { view: 'unassigned' }, known),
      mine: await listOf(agentA, { view: 'mine' }, known),
      teams: await listOf(agentA, { view: 'teams' }, known),
      open: await listOf(agentA, { view: 'open' }, known),
      snoozed: await listOf(agentA, { view: 'snoozed' }, known),
      resolved: await listOf(agentA, { view: 'resolved' }, known),
      all: await listOf(agentA, { view: 'all' }, known),
      none: await listOf(agentA, {}, known),
    }

    const sorted = (...ids: string[]) => ids.sort()
    expect(sets).toEqual({
      unassigned: [c.unassigned],
      mine: [c.mine],
      teams: sorted(c.unassigned!, c.mine!, c.teammates!),
      open: sorted(c.unassigned!, c.mine!, c.teammates!),
      snoozed: [c.snoozed],
      resolved: [c.resolved],
      all: sorted(c.unassigned!, c.mine!, c.teammates!, c.snoozed!, c.resolved!),
      none: sorted(c.unassigned!, c.mine!, c.teammates!, c.snoozed!, c.resolved!),
    })
  })

  it('shows an admin every team under open and all, and only their own teams under teams', async () => {
    expect(await listOf(admin, { view: 'all' }, known)).toEqual([...known].sort())
    expect(await listOf(admin, { view: 'open' }, known)).toEqual([c.unassigned!, c.mine!, c.teammates!, c.otherTeam!].sort())
    expect(await listOf(admin, { view: 'teams' }, known)).toEqual([])
    expect(await listOf(agentB, { view: 'all' }, known)).toEqual([c.otherTeam])
  })

  it('pages with an opaque cursor, without overlap, and refuses a forged one', async () => {
    const first = await get('/api/conversations?view=all&limit=2', agentA)
    const page1 = first.json<ConversationPage>()
    const second = await get(`/api/conversations?view=all&limit=2&cursor=${encodeURIComponent(page1.nextCursor ?? '')}`, agentA)
    const forged = await get(`/api/conversations?cursor=${Buffer.from("2026-01-01T00:00:00Z|' or 1=1 --").toString('base64url')}`, agentA)

    expect(page1.items).toHaveLength(2)
    expect(page1.nextCursor).toEqual(expect.any(String))
    const page2 = second.json<ConversationPage>()
    expect(page2.items.map((i) => i.id).filter((id) => page1.items.some((p) => p.id === id))).toEqual([])
    expect(page2.items[0]!.lastMessageAt <= page1.items[1]!.lastMessageAt).toBe(true)
    expect(forged.statusCode).toBe(400)
  })

  it('filters by priority and tag, alone and together', async () => {
    await ctx.db
      .updateTable('conversations')
      .set({ priority: 'urgent', tags: ['vip', 'refund'] })
      .where('id', '=', c.unassigned!)
      .execute()
    await ctx.db
      .updateTable('conversations')
      .set({ priority: 'urgent', tags: ['refund'] })
      .where('id', '=', c.mine!)
      .execute()
    await ctx.db
      .updateTable('conversations')
      .set({ priority: 'low', tags: ['vip'] })
      .where('id', '=', c.teammates!)
      .execute()

    expect(await listOf(agentA, { priority: 'urgent' }, known)).toEqual([c.unassigned!, c.mine!].sort())
    expect(await listOf(agentA, { tag: 'vip' }, known)).toEqual([c.unassigned!, c.teammates!].sort())
    expect(await listOf(agentA, { priority: 'urgent', tag: 'vip' }, known)).toEqual([c.unassigned])
    expect(await listOf(agentA, { view: 'mine', tag: 'refund' }, known)).toEqual([c.mine])
    expect((await get('/api/conversations?priority=critical', agentA)).statusCode).toBe(400)
    expect((await get('/api/conversations?tag=two%20words', agentA)).statusCode).toBe(400)
  })
})

describe('GET /api/conversations?q=', () => {
  const c: Record<string, string> = {}
  let known: string[]

  beforeAll(async () => {
    c.czech = (
      await customerWrote(whatsappA, {
        from: { id: newPersonId(whatsappA), name: 'Květoslava Nováková' },
        text: 'Dobrý den, OBJEDNÁVKA číslo 4521 ještě nedorazila',
      })
    ).conversationId
    c.japanese = (
      await customerWrote(telegramA, { from: { id: newPersonId(telegramA), name: '田中 花子' }, text: '注文した商品がまだ届いていません。返金してください' })
    ).conversationId
    c.chinese = (
      await customerWrote(telegramA, { from: { id: newPersonId(telegramA), name: '王小明' }, text: '我的订单还没有到，请帮我查一下' })
    ).conversationId
    c.spaced = (await customerWrote(telegramA, { text: '注文 番号 は 12345 です' })).conversationId
    c.percent = (await customerWrote(whatsappA, { from: { id: newPersonId(whatsappA), name: 'Promo_100% Shop' }, text: 'hello there' })).conversationId
    c.english = (await customerWrote(whatsappA, { text: 'The parcel arrived damaged; can I get a replacement?' })).conversationId
    c.otherTeam = (
      await customerWrote(whatsappB, { from: { id: newPersonId(whatsappB), name: 'Květa Nováková' }, text: 'replacement nedorazila' })
    ).conversationId
    known = Object.values(c)
  })

  it('finds messages by their words in any language with spaces, ignoring ASCII case', async () => {
    expect(await listOf(agentA, { q: 'nedorazila' }, known)).toEqual([c.czech])
    expect(await listOf(agentA, { q: 'číslo 4521' }, known)).toEqual([c.czech])
    expect(await listOf(agentA, { q: 'NEDORAZILA' }, known)).toEqual([c.czech])
    expect(await listOf(agentA, { q: 'REPLACEMENT' }, known)).toEqual([c.english])
    expect(await listOf(agentA, { q: '番号' }, known)).toEqual([c.spaced])
    expect(await listOf(agentA, { q: 'parcel -damaged' }, known)).toEqual([])
    expect(await listOf(admin, { q: 'nedorazila' }, known)).toEqual([c.czech!, c.otherTeam!].sort())
  })

  it('finds Japanese and Chinese text only as the whole run the customer wrote (no word breaks without spaces)', async () => {
    expect(await listOf(agentA, { q: '注文した商品がまだ届いていません。返金してください' }, known)).toEqual([c.japanese])
    expect(await listOf(agentA, { q: '我的订单还没有到，请帮我查一下' }, known)).toEqual([c.chinese])
    expect(await listOf(agentA, { q: '届いていません' }, known)).toEqual([])
    expect(await listOf(agentA, { q: '订单' }, known)).toEqual([])
  })

  it('finds a word the customer wrote in accented capitals when searched in lowercase', async () => {
    // The cluster's ctype is C, where the text search parser folds only ASCII: lower() folds the rest first.
    expect(await listOf(agentA, { q: 'objednávka' }, known)).toEqual([c.czech])
  })

  it('finds customers by part of their name, in any script and case', async () => {
    expect(await listOf(agentA, { q: 'ováko' }, known)).toEqual([c.czech])
    expect(await listOf(agentA, { q: 'NOVÁK' }, known)).toEqual([c.czech])
    expect(await listOf(agentA, { q: '田中' }, known)).toEqual([c.japanese])
    expect(await listOf(agentA, { q: '小明' }, known)).toEqual([c.chinese])
  })

  it('treats %, _ and SQL-looking text as plain characters', async () => {
    const hostile = ['%', '_', '%%', '\\', "'; drop table conversations; --", "nedorazila' or '1'='1", '!:* & | <->', '"unclosed', ') or (1=1']
    const results: Record<string, string[]> = {}
    for (const q of hostile) results[q] = await listOf(agentA, { q }, known)

    expect(results['%']).toEqual([c.percent])
    expect(results._).toEqual([c.percent])
    expect(results['%%']).toEqual([])
    expect(results['\\']).toEqual([])
    expect(results["'; drop table conversations; --"]).toEqual([])
    expect(results["nedorazila' or '1'='1"]).toEqual([c.czech])
    expect(results['!:* & | <->']).toEqual([])
    expect(results['"unclosed']).toEqual([])
    expect(results[') or (1=1']).toEqual([])
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from conversations`.execute(ctx.db)
    expect(rows[0]!.n).toBeGreaterThan(0)
  })
})

describe('GET /api/conversations/:id', () => {
  it('shows the customer across channels with every earlier conversation, hiding another team’s', async () => {
    const person = newPersonId(telegramA)
    const dm = await customerWrote(telegramA, { from: { id: person, name: 'Olga Petrova', handle: 'olga_p' }, text: 'first question' })
    const mention = await customerWrote(telegramA, {
      from: { id: person, name: 'Olga Petrova', handle: 'olga_p' },
      text: '@bot public question',
      kind: 'mention',
    })
    const whatsapp = await customerWrote(whatsappA, { from: { id: newPersonId(whatsappA), name: 'Olga P.' }, text: 'same person, other app' })
    const elsewhere = await customerWrote(whatsappB, { from: { id: newPersonId(whatsappB), name: 'Olga (B)' }, text: 'team B only' })
    expect((await post(`/api/conversations/${dm.conversationId}/status`, agentA, { status: 'resolved' })).statusCode).toBe(200)
    // One person known on three channels: the contacts are merged, as a teammate would link them.
    const contactOf = async (conversationId: string) =>
      (await ctx.db.selectFrom('conversations').select('contactId').where('id', '=', conversationId).executeTakeFirstOrThrow()).contactId
    const olga = await contactOf(dm.conversationId)
    const others = [await contactOf(whatsapp.conversationId), await contactOf(elsewhere.conversationId)]
    await ctx.db.updateTable('contactIdentities').set({ contactId: olga }).where('contactId', 'in', others).execute()
    await ctx.db.updateTable('conversations').set({ contactId: olga }).where('contactId', 'in', others).execute()

    const response = await get(`/api/conversations/${whatsapp.conversationId}`, agentA)
    const asAdmin = (await get(`/api/conversations/${whatsapp.conversationId}`, admin)).json<ConversationDetail>()

    expect(response.statusCode).toBe(200)
    const detail = response.json<ConversationDetail>()
    expect(detail.conversation).toMatchObject({ id: whatsapp.conversationId, channel: { kind: 'whatsapp' }, contact: { id: olga } })
    expect(detail.customer).toMatchObject({ id: olga, name: 'Olga Petrova' })
    expect(detail.customer.identities.map((i) => [i.channel.id, i.name]).sort()).toEqual(
      [
        [telegramA.channelId, 'Olga Petrova'],
        [whatsappA.channelId, 'Olga P.'],
      ].sort(),
    )
    expect(detail.customer.conversations.map((conv) => conv.id).sort()).toEqual([dm.conversationId, mention.conversationId, whatsapp.conversationId].sort())
    expect(detail.customer.conversations.find((conv) => conv.id === dm.conversationId)).toMatchObject({ status: 'resolved', kind: 'dm', messageCount: 1 })
    expect(detail.customer.conversations.find((conv) => conv.id === mention.conversationId)).toMatchObject({ kind: 'public' })
    expect(JSON.stringify(detail)).not.toContain('team B only')
    expect(JSON.stringify(detail)).not.toContain(whatsappB.channelId)
    expect(asAdmin.customer.identities).toHaveLength(3)
    expect(asAdmin.customer.conversations.map((conv) => conv.id)).toContain(elsewhere.conversationId)
  })

  it('answers 404 for a conversation that does not exist', async () => {
    const response = await get(`/api/conversations/${randomUUID()}`, agentA)

    expect(response.statusCode).toBe(404)
  })
})

describe('POST /api/conversations/:id/notes', () => {
  it('stores a note in the thread as kind note, sends nothing and keeps the conversation’s counts', async () => {
    const { conversationId } = await customerWrote(whatsappA, { text: 'please call me back' })
    const sendsBefore = sim.sends.length
    const clientKey = randomUUID()

    const response = await post(`/api/conversations/${conversationId}/notes`, agentA, { text: 'Called twice, no answer. Try after 5 pm.', clientKey })
    const again = await post(`/api/conversations/${conversationId}/notes`, agentA, { text: 'Called twice, no answer. Try after 5 pm.', clientKey })
    await processQueue(ctx, database.pool)

    expect(response.statusCode).toBe(200)
    const note = response.json<Message>()
    expect(note).toMatchObject({ kind: 'note', text: 'Called twice, no answer. Try after 5 pm.', agent: { id: agentA.userId, name: 'Alma Agent' } })
    expect(again.json<Message>().id).toBe(note.id)
    expect(sim.sends.length).toBe(sendsBefore)
    const items = await thread(conversationId)
    expect(items.filter((m) => m.kind === 'note')).toEqual([expect.objectContaining({ id: note.id })])
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from graphile_worker._private_jobs where payload::text like ${`%${note.id}%`}`.execute(
      ctx.db,
    )
    expect(rows[0]!.n).toBe(0)
    const conversation = (await get(`/api/conversations/${conversationId}`, agentA)).json<ConversationDetail>().conversation
    expect(conversation).toMatchObject({ messageCount: 1, lastMessagePreview: 'please call me back' })
  })

  it('keeps a note unread when Messenger reports the thread as read', async () => {
    const { conversationId, personId } = await customerWrote(pageA, { text: 'hi, is the shop open today?' })
    const note = (await post(`/api/conversations/${conversationId}/notes`, agentA, { text: 'Regular customer', clientKey: randomUUID() })).json<Message>()
    clock.advance(1000)
    const assigned = await post(`/api/conversations/${conversationId}/assign`, agentA, { assigneeId: agentA.userId })
    expect(assigned.statusCode).toBe(200)

    // The customer read the thread: Messenger sends a read watermark covering everything sent before it.
    await sim.deliverRaw(
      pageA.externalId,
      metaBody('page', [buildReadEntry(pageA.externalId, { customerId: personId, watermark: Date.now() + hourMs, at: new Date() })]),
    )
    await processQueue(ctx, database.pool)

    const items = await thread(conversationId)
    expect(items.find((m) => m.id === note.id)?.status).toBe('sent')
    expect(items.filter((m) => m.kind === 'event').map((m) => m.status)).toEqual(['sent'])
  })
})

describe('POST /api/conversations/:id/assign', () => {
  it('lets an agent take a conversation and let go of it, with an event in the thread each time', async () => {
    const { conversationId } = await customerWrote(whatsappA, { text: 'assign: claim' })

    const taken = await post(`/api/conversations/${conversationId}/assign`, agentA, { assigneeId: agentA.userId })
    const released = await post(`/api/conversations/${conversationId}/assign`, agentA, { assigneeId: null })

    expect(taken.statusCode).toBe(200)
    expect(taken.json<ConversationSummary>().assignee).toEqual({ id: agentA.userId, name: 'Alma Agent' })
    expect(released.json<ConversationSummary>().assignee).toBeNull()
    const events = (await thread(conversationId)).filter((m) => m.kind === 'event')
    expect(events.map((e) => e.text)).toEqual(['Alma Agent took the conversation', 'Alma Agent unassigned the conversation'])
    expect(events[0]).toMatchObject({ agent: { id: agentA.userId }, direction: 'outbound' })
    expect((await auditOf(conversationId)).map((a) => [a.action, a.actorUserId, a.details])).toEqual([
      ['conversation.assigned', agentA.userId, { from: null, to: agentA.userId }],
      ['conversation.assigned', agentA.userId, { from: agentA.userId, to: null }],
    ])
  })

  it('forbids an agent to assign a teammate, or to unassign a teammate’s conversation', async () => {
    const { conversationId } = await customerWrote(whatsappA, { text: 'assign: not yours' })

    const toTeammate = await post(`/api/conversations/${conversationId}/assign`, agentA, { assigneeId: agentA2.userId })
    await post(`/api/conversations/${conversationId}/assign`, agentA2, { assigneeId: agentA2.userId })
    const unassignTeammate = await post(`/api/conversations/${conversationId}/assign`, agentA, { assigneeId: null })

    expect([toTeammate.statusCode, unassignTeammate.statusCode]).toEqual([403, 403])
    const row = await ctx.db.selectFrom('conversations').select('assigneeId').where('id', '=', conversationId).executeTakeFirstOrThrow()
    expect(row.assigneeId).toBe(agentA2.userId)
    expect((await thread(conversationId)).filter((m) => m.kind === 'event')).toHaveLength(1)
  })

  it('lets a lead assign a teammate, but not someone outside the team or unknown', async () => {
    const { conversationId } = await customerWrote(whatsappA, { text: 'assign: by the lead' })
    const inactive = await createUser(ctx, { role: 'agent', teamIds: [teamA], name: 'Gone Agent' })
    await ctx.db.updateTable('users').set({ active: false }).where('id', '=', inactive.id).execute()

    const toTeammate = await post(`/api/conversations/${conversationId}/assign`, leadA, { assigneeId: agentA2.userId })
    const outsider = await post(`/api/conversations/${conversationId}/assign`, leadA, { assigneeId: agentB.userId })
    const unknown = await post(`/api/conversations/${conversationId}/assign`, leadA, { assigneeId: randomUUID() })
    const gone = await post(`/api/conversations/${conversationId}/assign`, leadA, { assigneeId: inactive.id })
    const toAdmin = await post(`/api/conversations/${conversationId}/assign`, leadA, { assigneeId: admin.userId })

    expect(toTeammate.statusCode).toBe(200)
    expect(toTeammate.json<ConversationSummary>().assignee).toEqual({ id: agentA2.userId, name: 'Ben Agent' })
    expect([outsider.statusCode, unknown.statusCode, gone.statusCode]).toEqual([400, 400, 400])
    expect(toAdmin.statusCode).toBe(200)
    expect((await thread(conversationId)).filter((m) => m.kind === 'event').map((e) => e.text)).toEqual([
      'Lea Lead assigned the conversation to Ben Agent',
      'Lea Lead assigned the conversation to Ada Admin',
    ])
  })
})

describe('POST /api/conversations/:id/status', () => {
  it('resolves, reopens and snoozes until a future time, telling the thread and the audit log', async () => {
    const { conversationId } = await customerWrote(whatsappA, { text: 'status: lifecycle' })
    const until = new Date(clock.now().getTime() + 3 * hourMs).toISOString()

    const resolved = await post(`/api/conversations/${conversationId}/status`, agentA, { status: 'resolved' })
    const reopened = await post(`/api/conversations/${conversationId}/status`, agentA, { status: 'open' })
    const snoozed = await post(`/api/conversations/${conversationId}/status`, agentA, { status: 'snoozed', snoozedUntil: until })

    expect(resolved.json<ConversationSummary>()).toMatchObject({ status: 'resolved', snoozedUntil: null })
    expect(reopened.json<ConversationSummary>()).toMatchObject({ status: 'open', snoozedUntil: null })
    expect(snoozed.json<ConversationSummary>()).toMatchObject({ status: 'snoozed', snoozedUntil: until })
    expect((await thread(conversationId)).filter((m) => m.kind === 'event').map((e) => e.text)).toEqual([
      'Alma Agent resolved the conversation',
      'Alma Agent reopened the conversation',
      `Alma Agent snoozed until ${until} the conversation`,
    ])
    expect((await auditOf(conversationId)).map((a) => [a.action, a.details])).toEqual([
      ['conversation.status_changed', { from: 'open', to: 'resolved' }],
      ['conversation.status_changed', { from: 'resolved', to: 'open' }],
      ['conversation.status_changed', { from: 'open', to: 'snoozed', snoozedUntil: until }],
    ])
  })

  it('refuses a snooze without a future time, and an end time on anything but a snooze', async () => {
    const { conversationId } = await customerWrote(whatsappA, { text: 'status: bad snoozes' })
    const past = new Date(clock.now().getTime() - 60_000).toISOString()
    const future = new Date(clock.now().getTime() + hourMs).toISOString()

    const statuses = [
      (await post(`/api/conversations/${conversationId}/status`, agentA, { status: 'snoozed' })).statusCode,
      (await post(`/api/conversations/${conversationId}/status`, agentA, { status: 'snoozed', snoozedUntil: past })).statusCode,
      (await post(`/api/conversations/${conversationId}/status`, agentA, { status: 'snoozed', snoozedUntil: 'tomorrow' })).statusCode,
      (await post(`/api/conversations/${conversationId}/status`, agentA, { status: 'resolved', snoozedUntil: future })).statusCode,
      (await post(`/api/conversations/${conversationId}/status`, agentA, { status: 'closed' })).statusCode,
    ]

    expect(statuses).toEqual([400, 400, 400, 400, 400])
    expect(await auditOf(conversationId)).toEqual([])
  })

  it('reopens a resolved or snoozed conversation when the customer writes again, clearing the snooze', async () => {
    const resolvedOne = await customerWrote(whatsappA, { text: 'status: thanks, solved' })
    const snoozedOne = await customerWrote(whatsappA, { text: 'status: I will check and come back' })
    await post(`/api/conversations/${resolvedOne.conversationId}/status`, agentA, { status: 'resolved' })
    await post(`/api/conversations/${snoozedOne.conversationId}/status`, agentA, {
      status: 'snoozed',
      snoozedUntil: new Date(clock.now().getTime() + 24 * hourMs).toISOString(),
    })

    await customerWrote(whatsappA, { from: { id: resolvedOne.personId, name: 'Back again' }, text: 'actually, one more thing' })
    await customerWrote(whatsappA, { from: { id: snoozedOne.personId, name: 'Back again' }, text: 'checked: still broken' })

    const summaries = await Promise.all(
      [resolvedOne, snoozedOne].map(
        async ({ conversationId }) => (await get(`/api/conversations/${conversationId}`, agentA)).json<ConversationDetail>().conversation,
      ),
    )
    expect(summaries.map((s) => [s.status, s.snoozedUntil])).toEqual([
      ['open', null],
      ['open', null],
    ])
  })
})

describe('audit log', () => {
  it('records every console action on the conversation', async () => {
    const { conversationId } = await customerWrote(telegramA, { text: 'audit: everything' })

    await post(`/api/conversations/${conversationId}/replies`, agentA, { text: 'On it', clientKey: randomUUID() })
    await post(`/api/conversations/${conversationId}/notes`, agentA, { text: 'Internal: check stock', clientKey: randomUUID() })
    await post(`/api/conversations/${conversationId}/assign`, agentA, { assigneeId: agentA.userId })
    await post(`/api/conversations/${conversationId}/status`, agentA, { status: 'resolved' })

    expect((await auditOf(conversationId)).map((a) => [a.action, a.actorUserId])).toEqual([
      ['conversation.replied', agentA.userId],
      ['conversation.noted', agentA.userId],
      ['conversation.assigned', agentA.userId],
      ['conversation.status_changed', agentA.userId],
    ])
  })
})

describe('realtime', () => {
  type ConsoleSocket = Socket<ServerToClientEvents>
  const sockets: ConsoleSocket[] = []

  afterAll(() => {
    for (const socket of sockets) socket.close()
  })

  async function connect(who: SignedIn): Promise<ConsoleSocket> {
    const socket: ConsoleSocket = io(baseUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { origin: baseUrl, cookie: who.cookie },
    })
    sockets.push(socket)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve())
      socket.once('connect_error', reject)
    })
    return socket
  }

  it('tells the team’s consoles of replies, notes and events, and no other team', async () => {
    const { conversationId } = await customerWrote(telegramA, { text: 'realtime: hello' })
    const [socketA, socketB] = [await connect(agentA2), await connect(agentB)]
    const created: { kind: string; text: string }[] = []
    const updated: string[] = []
    const leaked: unknown[] = []
    socketA.on('message.created', (event) => {
      if (event.conversation.id === conversationId) created.push({ kind: event.message.kind, text: event.message.text })
    })
    socketA.on('conversation.updated', (event) => {
      if (event.conversation.id === conversationId) updated.push(event.conversation.status)
    })
    socketB.on('message.created', (event) => leaked.push(event))
    socketB.on('conversation.updated', (event) => leaked.push(event))

    await post(`/api/conversations/${conversationId}/replies`, agentA, { text: 'realtime: reply', clientKey: randomUUID() })
    await post(`/api/conversations/${conversationId}/notes`, agentA, { text: 'realtime: note', clientKey: randomUUID() })
    await post(`/api/conversations/${conversationId}/status`, agentA, { status: 'resolved' })

    await expect.poll(() => created.length).toBe(3)
    await expect.poll(() => updated).toEqual(['resolved'])
    expect(created).toEqual([
      { kind: 'message', text: 'realtime: reply' },
      { kind: 'note', text: 'realtime: note' },
      { kind: 'event', text: 'Alma Agent resolved the conversation' },
    ])
    expect(leaked.filter((event) => JSON.stringify(event).includes(conversationId))).toEqual([])
  })
})
