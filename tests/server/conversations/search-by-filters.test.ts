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
let lead: SignedIn
let priya: SignedIn
let otherTeamAgent: SignedIn
const clock = createTestClock(new Date('2026-03-09T09:00:00Z'))

/** A conversation whose customer last wrote at `at`, in `status`, maybe assigned. */
async function conversation(channelId: string, { at, status, assigneeId = null }: { at: string; status: string; assigneeId?: string | null }): Promise<string> {
  const sentAt = new Date(at)
  const contact = await ctx.db
    .insertInto('contacts')
    .values({ name: 'Customer', firstSeenAt: sentAt, lastSeenAt: sentAt })
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
      lastMessageAt: sentAt,
      lastInboundAt: sentAt,
      status,
      assigneeId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

async function list(user: SignedIn, query: Record<string, string>): Promise<string[]> {
  const response = await app.inject({ method: 'GET', url: `/api/conversations?${new URLSearchParams(query).toString()}`, headers: user.headers })
  expect(response.statusCode).toBe(200)
  return response.json<{ items: ConversationSummary[] }>().items.map((c) => c.id)
}

// "Last week" as the console sends it: the first day's start, and the start of the day after the last.
const lastWeek = { from: '2026-03-02T00:00:00.000Z', to: '2026-03-09T00:00:00.000Z' }
let resolvedByPriya: string
let openWithPriya: string
let resolvedByLead: string
let resolvedByPriyaEarlier: string
let otherTeams: string

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock }
  app = await buildTestApp(ctx)
  const teamA = await firstTeamId(ctx)
  const teamB = await createTeam(ctx, 'Team B')
  const telegram = { kind: 'telegram' as const, settings: { mode: 'webhook' as const, apiBaseUrl: 'http://127.0.0.1:9' } }
  const channelA = (await createChannel(ctx, { ...telegram, name: 'A', externalId: '1', teamId: teamA, secrets: { botToken: '1:A', webhookSecret: 'a' } })).id
  const channelB = (await createChannel(ctx, { ...telegram, name: 'B', externalId: '2', teamId: teamB, secrets: { botToken: '2:B', webhookSecret: 'b' } })).id
  lead = await signedInAs(ctx, app, 'lead')
  priya = await signedInAs(ctx, app, 'agent')
  otherTeamAgent = await signedInAs(ctx, app, 'agent', [teamB])

  resolvedByPriya = await conversation(channelA, { at: '2026-03-04T10:00:00Z', status: 'resolved', assigneeId: priya.userId })
  openWithPriya = await conversation(channelA, { at: '2026-03-05T10:00:00Z', status: 'open', assigneeId: priya.userId })
  resolvedByLead = await conversation(channelA, { at: '2026-03-06T10:00:00Z', status: 'resolved', assigneeId: lead.userId })
  resolvedByPriyaEarlier = await conversation(channelA, { at: '2026-02-20T10:00:00Z', status: 'resolved', assigneeId: priya.userId })
  otherTeams = await conversation(channelB, { at: '2026-03-04T11:00:00Z', status: 'resolved', assigneeId: otherTeamAgent.userId })
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('GET /api/conversations (search by filters, no words)', () => {
  it('finds the resolved conversations an agent handled in a week, with no words and no view', async () => {
    expect(await list(lead, { status: 'resolved', assigneeId: priya.userId, ...lastWeek })).toEqual([resolvedByPriya])
  })

  it('looks through every status across the caller’s teams when only the days are given', async () => {
    expect(await list(lead, lastWeek)).toEqual([resolvedByLead, openWithPriya, resolvedByPriya])
    expect(await list(lead, { status: 'resolved' })).toEqual([resolvedByLead, resolvedByPriya, resolvedByPriyaEarlier])
  })

  it('never finds another team’s conversation', async () => {
    expect(await list(lead, { status: 'resolved', ...lastWeek })).not.toContain(otherTeams)
    expect(await list(otherTeamAgent, { status: 'resolved', ...lastWeek })).toEqual([otherTeams])
  })
})
