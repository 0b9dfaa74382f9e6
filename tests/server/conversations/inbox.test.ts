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
let channelA: string
let channelB: string
let teamBId: string
const clock = createTestClock(new Date('2026-03-02T09:00:00Z'))

/** A conversation whose customer (speaking `language`) last wrote at `at`. */
async function conversation(channelId: string, language: string | null, at: Date): Promise<string> {
  const contact = await ctx.db
    .insertInto('contacts')
    .values({ name: `Customer ${language}`, language, firstSeenAt: at, lastSeenAt: at })
    .returning('id')
    .executeTakeFirstOrThrow()
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
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

async function list(user: SignedIn, query: string): Promise<ConversationSummary[]> {
  const response = await app.inject({ method: 'GET', url: `/api/conversations?${query}`, headers: user.headers })
  return response.json<{ items: ConversationSummary[] }>().items
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock }
  app = await buildTestApp(ctx)
  const teamB = await createTeam(ctx, 'Team B')
  teamBId = teamB
  const telegram = { kind: 'telegram' as const, settings: { mode: 'webhook' as const, apiBaseUrl: 'http://127.0.0.1:9' } }
  channelA = (
    await createChannel(ctx, { ...telegram, name: 'A', externalId: '1', teamId: await firstTeamId(ctx), secrets: { botToken: '1:A', webhookSecret: 'a' } })
  ).id
  channelB = (await createChannel(ctx, { ...telegram, name: 'B', externalId: '2', teamId: teamB, secrets: { botToken: '2:B', webhookSecret: 'b' } })).id
  agent = await signedInAs(ctx, app, 'agent')
  teammate = await signedInAs(ctx, app, 'agent')
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('unread', () => {
  it('is per person: opening marks it read for you only, and a new customer message makes it unread again', async () => {
    const id = await conversation(channelA, 'es', clock.now())

    const read = await app.inject({ method: 'POST', url: `/api/conversations/${id}/read`, headers: agent.headers })

    expect(read.json<ConversationSummary>().unread).toBe(false)
    expect((await list(agent, 'view=open')).find((c) => c.id === id)?.unread).toBe(false)
    expect((await list(teammate, 'view=open')).find((c) => c.id === id)?.unread).toBe(true)
    await ctx.db
      .updateTable('conversations')
      .set({ lastInboundAt: new Date(clock.now().getTime() + 1000) })
      .where('id', '=', id)
      .execute()
    expect((await list(agent, 'view=open')).find((c) => c.id === id)?.unread).toBe(true)
  })

  it('counts each view and its unread conversations, for the caller', async () => {
    const before = (await app.inject({ method: 'GET', url: '/api/conversations/counts', headers: agent.headers })).json<{
      views: Record<string, { total: number; unread: number }>
    }>()
    const mine = await conversation(channelA, null, clock.now())
    await app.inject({ method: 'POST', url: `/api/conversations/${mine}/assign`, headers: agent.headers, payload: { assigneeId: agent.userId } })
    await conversation(channelB, null, clock.now())

    const after = (await app.inject({ method: 'GET', url: '/api/conversations/counts', headers: agent.headers })).json<{
      views: Record<string, { total: number; unread: number }>
    }>()

    expect(after.views.mine).toEqual({ total: (before.views.mine?.total ?? 0) + 1, unread: (before.views.mine?.unread ?? 0) + 1 })
    // Team B's new conversation is not the agent's to count.
    expect(after.views.open?.total).toBe((before.views.open?.total ?? 0) + 1)
  })
})

describe('filters and bulk actions', () => {
  it('filters by the customer language', async () => {
    const spanish = await conversation(channelA, 'es-MX', clock.now())
    const czech = await conversation(channelA, 'cs', clock.now())

    const ids = (await list(agent, 'language=es&limit=100')).map((c) => c.id)

    expect(ids).toContain(spanish)
    expect(ids).not.toContain(czech)
    expect((await app.inject({ method: 'GET', url: "/api/conversations?language=es' or 1=1", headers: agent.headers })).statusCode).toBe(400)
  })

  it("applies an action to each conversation it may, and reports another team's as failed without touching it", async () => {
    const [one, two, theirs] = [
      await conversation(channelA, null, clock.now()),
      await conversation(channelA, null, clock.now()),
      await conversation(channelB, null, clock.now()),
    ]

    const response = await app.inject({
      method: 'POST',
      url: '/api/conversations/bulk',
      headers: agent.headers,
      payload: { ids: [one, two, theirs], action: { type: 'status', status: 'resolved' } },
    })

    const body = response.json<{ updated: ConversationSummary[]; failed: { id: string; error: string }[] }>()
    expect(body.updated.map((c) => [c.id, c.status])).toEqual([
      [one, 'resolved'],
      [two, 'resolved'],
    ])
    expect(body.failed).toEqual([{ id: theirs, error: 'No such conversation.' }])
    expect((await ctx.db.selectFrom('conversations').select('status').where('id', '=', theirs).executeTakeFirstOrThrow()).status).toBe('open')
  })

  it('tags many at once, keeping the tags each had', async () => {
    const id = await conversation(channelA, null, clock.now())
    await app.inject({ method: 'PATCH', url: `/api/conversations/${id}`, headers: agent.headers, payload: { tags: ['billing'] } })

    const response = await app.inject({
      method: 'POST',
      url: '/api/conversations/bulk',
      headers: agent.headers,
      payload: { ids: [id], action: { type: 'tag', tag: 'VIP' } },
    })

    expect(response.json<{ updated: ConversationSummary[] }>().updated[0]?.tags).toEqual(['billing', 'vip'])
    expect((await list(agent, 'tag=VIP')).map((c) => c.id)).toContain(id)
  })

  it('needs the CSRF token', async () => {
    const id = await conversation(channelA, null, clock.now())

    const response = await app.inject({
      method: 'POST',
      url: '/api/conversations/bulk',
      headers: { cookie: agent.cookie },
      payload: { ids: [id], action: { type: 'status', status: 'resolved' } },
    })

    expect(response.statusCode).toBe(403)
    expect((await ctx.db.selectFrom('conversations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('open')
  })
})

describe('transfer to another team', () => {
  it("moves the conversation to the other team's queue: they see and work it, the first team no longer does", async () => {
    const id = await conversation(channelA, 'en', clock.now())
    await app.inject({ method: 'POST', url: `/api/conversations/${id}/assign`, headers: agent.headers, payload: { assigneeId: agent.userId } })
    const agentB = await signedInAs(ctx, app, 'agent', [teamBId])
    const directory = await app.inject({ method: 'GET', url: '/api/teams/directory', headers: agent.headers })
    expect(directory.json<{ items: { id: string }[] }>().items.map((t) => t.id)).toContain(teamBId)

    const moved = await app.inject({ method: 'POST', url: `/api/conversations/${id}/transfer`, headers: agent.headers, payload: { teamId: teamBId } })

    expect(moved.json<ConversationSummary>()).toMatchObject({ teamId: teamBId, assignee: null })
    expect((await app.inject({ method: 'GET', url: `/api/conversations/${id}`, headers: agent.headers })).statusCode).toBe(404)
    const seenByB = await app.inject({ method: 'GET', url: `/api/conversations/${id}`, headers: agentB.headers })
    expect(seenByB.statusCode).toBe(200)
    expect((await list(agentB, 'view=unassigned&limit=100')).map((c) => c.id)).toContain(id)
    const contactId = seenByB.json<{ customer: { id: string } }>().customer.id
    const note = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/notes`, headers: agentB.headers, payload: { text: 'moved to us' } })
    expect(note.statusCode).toBe(200)
    const audit = await ctx.db.selectFrom('auditLog').select('details').where('action', '=', 'conversation.transferred').where('targetId', '=', id).execute()
    expect(audit.map((a) => a.details)).toEqual([{ fromTeam: await firstTeamId(ctx), toTeam: teamBId, unassigned: agent.userId }])
  })

  it('moves a channel’s conversations along when the channel changes team, except one a person moved on purpose', async () => {
    const teamC = await createTeam(ctx, 'Team C')
    const telegram = { kind: 'telegram' as const, settings: { mode: 'webhook' as const, apiBaseUrl: 'http://127.0.0.1:9' } }
    const channel = (
      await createChannel(ctx, {
        ...telegram,
        name: 'Moving',
        externalId: '33',
        teamId: await firstTeamId(ctx),
        secrets: { botToken: '33:M', webhookSecret: 'm' },
      })
    ).id
    const [follows, transferred] = [await conversation(channel, null, clock.now()), await conversation(channel, null, clock.now())]
    const admin = await signedInAs(ctx, app, 'admin')
    const transfer = await app.inject({
      method: 'POST',
      url: `/api/conversations/${transferred}/transfer`,
      headers: admin.headers,
      payload: { teamId: teamBId },
    })
    expect(transfer.statusCode).toBe(200)

    const moved = await app.inject({ method: 'PATCH', url: `/api/channels/${channel}`, headers: admin.headers, payload: { teamId: teamC } })

    expect(moved.statusCode, moved.body).toBe(200)
    const teams = await ctx.db.selectFrom('conversations').select(['id', 'teamId']).where('channelId', '=', channel).execute()
    expect(Object.fromEntries(teams.map((t) => [t.id, t.teamId]))).toEqual({ [follows]: teamC, [transferred]: teamBId })
    const recorded = await ctx.db
      .selectFrom('changes')
      .select(['conversationId', 'teamId', 'data'])
      .where('type', '=', 'conversation.transferred')
      .where('conversationId', '=', follows)
      .execute()
    expect(recorded).toEqual([
      { conversationId: follows, teamId: teamC, data: { fromTeamId: await firstTeamId(ctx), toTeamId: teamC, reason: 'channel moved' } },
    ])
  })

  it("refuses moving another team's conversation (404), changing nothing", async () => {
    const id = await conversation(channelB, null, clock.now())
    const teamOf = async () => (await ctx.db.selectFrom('conversations').select('teamId').where('id', '=', id).executeTakeFirstOrThrow()).teamId
    const before = await teamOf()

    const response = await app.inject({
      method: 'POST',
      url: `/api/conversations/${id}/transfer`,
      headers: agent.headers,
      payload: { teamId: await firstTeamId(ctx) },
    })

    expect(response.statusCode).toBe(404)
    expect(await teamOf()).toBe(before)
  })
})
