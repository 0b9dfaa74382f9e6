import type { ConversationSummary } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, firstTeamId, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { teamOfChannel } from '../../support/routing.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let agent: SignedIn
let teammate: SignedIn
let otherTeamAgent: SignedIn
let channelA: string
let channelA2: string
let channelB: string
const clock = createTestClock(new Date('2026-03-02T09:00:00Z'))

/** A conversation with `name`, whose customer wrote `text` at `at`, in `status`, maybe assigned. */
async function conversation(
  channelId: string,
  { name, text, at, status = 'open', assigneeId = null }: { name: string; text: string; at: Date; status?: string; assigneeId?: string | null },
): Promise<string> {
  const contact = await ctx.db.insertInto('contacts').values({ name, firstSeenAt: at, lastSeenAt: at }).returning('id').executeTakeFirstOrThrow()
  const row = await ctx.db
    .insertInto('conversations')
    .values({
      channelId,
      teamId: teamOfChannel(channelId),
      threadKey: `dm:${crypto.randomUUID()}`,
      kind: 'dm',
      contactId: contact.id,
      lastMessageAt: at,
      lastInboundAt: at,
      status,
      assigneeId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.db
    .insertInto('messages')
    .values({ conversationId: row.id, channelId, direction: 'inbound', authorKind: 'contact', kind: 'message', text, status: 'received', sentAt: at })
    .execute()
  return row.id
}

async function search(user: SignedIn, query: Record<string, string>): Promise<string[]> {
  const response = await app.inject({ method: 'GET', url: `/api/conversations?${new URLSearchParams(query).toString()}`, headers: user.headers })
  expect(response.statusCode).toBe(200)
  return response.json<{ items: ConversationSummary[] }>().items.map((c) => c.id)
}

const day = (iso: string) => new Date(iso)

let openOne: string
let resolvedOne: string
let snoozedMine: string
let otherChannel: string
let otherTeams: string

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock }
  app = await buildTestApp(ctx)
  const teamA = await firstTeamId(ctx)
  const teamB = await createTeam(ctx, 'Team B')
  const telegram = { kind: 'telegram' as const, settings: { mode: 'webhook' as const, apiBaseUrl: 'http://127.0.0.1:9' } }
  channelA = (await createChannel(ctx, { ...telegram, name: 'A', externalId: '1', teamId: teamA, secrets: { botToken: '1:A', webhookSecret: 'a' } })).id
  channelA2 = (await createChannel(ctx, { ...telegram, name: 'A2', externalId: '3', teamId: teamA, secrets: { botToken: '3:C', webhookSecret: 'c' } })).id
  channelB = (await createChannel(ctx, { ...telegram, name: 'B', externalId: '2', teamId: teamB, secrets: { botToken: '2:B', webhookSecret: 'b' } })).id
  agent = await signedInAs(ctx, app, 'agent')
  teammate = await signedInAs(ctx, app, 'agent')
  otherTeamAgent = await signedInAs(ctx, app, 'agent', [teamB])

  openOne = await conversation(channelA, { name: 'Priya Nair', text: 'my parcel is late', at: day('2026-02-27T10:00:00Z') })
  resolvedOne = await conversation(channelA, { name: 'Tom Berg', text: 'the parcel arrived broken', at: day('2026-02-10T10:00:00Z'), status: 'resolved' })
  snoozedMine = await conversation(channelA, {
    name: 'Ana Silva',
    text: 'parcel tracking does not load',
    at: day('2026-02-20T10:00:00Z'),
    status: 'snoozed',
    assigneeId: teammate.userId,
  })
  otherChannel = await conversation(channelA2, { name: 'Lee Chen', text: 'parcel to Norway', at: day('2026-02-25T10:00:00Z') })
  otherTeams = await conversation(channelB, { name: 'Priya Other', text: 'parcel for team B', at: day('2026-02-26T10:00:00Z'), status: 'resolved' })
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('GET /api/conversations (search)', () => {
  it('finds conversations in any status across the caller’s teams when no view is given', async () => {
    const ids = await search(agent, { q: 'parcel' })

    expect(ids).toEqual([openOne, otherChannel, snoozedMine, resolvedOne])
  })

  it('never finds another team’s conversation, by message or by name', async () => {
    expect(await search(agent, { q: 'parcel' })).not.toContain(otherTeams)
    expect(await search(agent, { q: 'Priya' })).toEqual([openOne])
    expect(await search(otherTeamAgent, { q: 'Priya' })).toEqual([otherTeams])
  })

  it('narrows by status', async () => {
    expect(await search(agent, { q: 'parcel', status: 'resolved' })).toEqual([resolvedOne])
    expect(await search(agent, { q: 'parcel', status: 'snoozed' })).toEqual([snoozedMine])
  })

  it('narrows by channel', async () => {
    expect(await search(agent, { q: 'parcel', channelId: channelA2 })).toEqual([otherChannel])
  })

  it('narrows by agent', async () => {
    expect(await search(agent, { q: 'parcel', assigneeId: teammate.userId })).toEqual([snoozedMine])
    expect(await search(agent, { q: 'parcel', assigneeId: agent.userId })).toEqual([])
  })

  it('narrows by the latest activity: from included, to excluded', async () => {
    expect(await search(agent, { q: 'parcel', from: '2026-02-20T10:00:00.000Z', to: '2026-02-27T10:00:00.000Z' })).toEqual([otherChannel, snoozedMine])
    expect(await search(agent, { q: 'parcel', to: '2026-02-15T00:00:00.000Z' })).toEqual([resolvedOne])
  })

  it('combines the filters, and pages through them', async () => {
    const first = await app.inject({ method: 'GET', url: `/api/conversations?q=parcel&channelId=${channelA}&limit=1`, headers: agent.headers })
    const page = first.json<{ items: ConversationSummary[]; nextCursor: string }>()
    const rest = await search(agent, { q: 'parcel', channelId: channelA, cursor: page.nextCursor })

    expect([...page.items.map((c) => c.id), ...rest]).toEqual([openOne, snoozedMine, resolvedOne])
  })

  it('refuses a time range that ends before it starts, and malformed filters', async () => {
    const backwards = await app.inject({
      method: 'GET',
      url: '/api/conversations?q=parcel&from=2026-02-27T00:00:00.000Z&to=2026-02-20T00:00:00.000Z',
      headers: agent.headers,
    })
    const badDate = await app.inject({ method: 'GET', url: '/api/conversations?q=parcel&from=yesterday', headers: agent.headers })
    const badAgent = await app.inject({ method: 'GET', url: '/api/conversations?q=parcel&assigneeId=me', headers: agent.headers })

    expect(backwards.statusCode).toBe(400)
    expect(backwards.json<{ error: { message: string } }>().error.message).toMatch(/before/)
    expect(badDate.statusCode).toBe(400)
    expect(badAgent.statusCode).toBe(400)
  })
})
