import type { AttributionReport, AttributionRow } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, createUser, firstTeamId, signIn, type SignedIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { customerWrites, newConversation } from '../../support/routing.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
const clock = createTestClock(new Date('2026-03-02T09:00:00Z'))

interface Person {
  email: string
  password: string
}

let alice: Person
let lead: SignedIn
let agent: SignedIn

function at(iso: string): void {
  clock.set(new Date(iso))
}

async function as(person: Person): Promise<SignedIn> {
  return signIn(app, person.email, person.password)
}

async function post(url: string, payload: object): Promise<void> {
  const response = await app.inject({ method: 'POST', url, headers: (await as(alice)).headers, payload })
  expect(response.statusCode, response.body).toBe(200)
}

const reply = (conversationId: string) => post(`/api/conversations/${conversationId}/replies`, { text: 'On it', clientKey: crypto.randomUUID() })
const resolve = (conversationId: string) => post(`/api/conversations/${conversationId}/status`, { status: 'resolved' })

/** A referral as ingest stores it, made the conversation's first touch. */
async function cameFrom(conversationId: string, referral: { kind: 'ad' | 'link'; campaign: string; headline?: string }): Promise<void> {
  await sql`
    insert into conversation_referrals (channel_id, conversation_id, contact_id, thread_key, dedupe_key, kind, campaign, source, ref, ad_id, headline, raw,
      first_touch, received_at)
    select c.channel_id, c.id, c.contact_id, c.thread_key, ${`test:${conversationId}`}, ${referral.kind}, ${referral.campaign},
      ${referral.kind === 'ad' ? 'ADS' : 'SHORTLINK'}, ${referral.kind === 'link' ? referral.campaign : null}, ${referral.kind === 'ad' ? referral.campaign : null},
      ${referral.headline ?? null}, '{}'::jsonb, true, ${clock.now()}
    from conversations c where c.id = ${conversationId}::uuid`.execute(ctx.db)
}

/** The customer answers the survey of the conversation's latest resolve. */
async function rated(conversationId: string, rating: number): Promise<void> {
  await sql`
    insert into surveys (conversation_id, resolution_id, token, status, rating, due_at, offered_at, answered_at)
    select r.conversation_id, r.id, ${crypto.randomUUID().slice(0, 12)}, 'answered', ${rating}, r.resolved_at, r.resolved_at, ${clock.now()}
    from conversation_resolutions r where r.conversation_id = ${conversationId}::uuid
    order by r.resolved_at desc limit 1
    on conflict (resolution_id) do update set status = 'answered', rating = excluded.rating, answered_at = excluded.answered_at`.execute(ctx.db)
}

async function report(query = '?period=custom&from=2026-03-02&to=2026-03-02', who: SignedIn = lead): Promise<AttributionReport> {
  const response = await app.inject({ method: 'GET', url: `/api/reports/attribution${query}`, headers: who.headers })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<AttributionReport>()
}

const empty = { ratings: 0, satisfied: 0, satisfaction: null, leads: 0, purchases: 0, revenue: [] }

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock }
  app = await buildTestApp(ctx)
  const team = await firstTeamId(ctx)
  const otherTeam = await createTeam(ctx, 'Elsewhere')
  const channel = async (externalId: string, teamId: string) =>
    (
      await createChannel(ctx, {
        kind: 'telegram',
        name: `Bot ${externalId}`,
        externalId,
        teamId,
        settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
        secrets: { botToken: `${externalId}:AA`, webhookSecret: 'w' },
      })
    ).id
  const ours = await channel('101', team)
  const theirs = await channel('201', otherTeam)
  alice = await createUser(ctx, { role: 'agent', teamIds: [team], name: 'Alice' })
  const leadPerson = await createUser(ctx, { role: 'lead', teamIds: [team] })

  // Two conversations from the spring ad: answered in 10 and 5 minutes; the first resolved, rated 5, and bought.
  at('2026-03-02T09:00:00Z')
  const ad1 = await newConversation(ctx, ours)
  await cameFrom(ad1, { kind: 'ad', campaign: '120226305854810726', headline: 'Spring sale' })
  await customerWrites(ctx, ad1, 'Is the blender on sale?')
  at('2026-03-02T09:10:00Z')
  await reply(ad1)
  at('2026-03-02T09:20:00Z')
  const ad2 = await newConversation(ctx, ours)
  await cameFrom(ad2, { kind: 'ad', campaign: '120226305854810726', headline: 'Spring sale' })
  await customerWrites(ctx, ad2, 'Do you deliver to Lyon?')
  at('2026-03-02T09:25:00Z')
  await reply(ad2)
  at('2026-03-02T09:30:00Z')
  await resolve(ad1)
  await rated(ad1, 5)
  await post(`/api/conversations/${ad1}/outcomes`, { kind: 'purchase', value: 129, currency: 'EUR' })
  await post(`/api/conversations/${ad2}/outcomes`, { kind: 'lead' })
  // A winter ad nobody answered.
  at('2026-03-02T09:40:00Z')
  const ad3 = await newConversation(ctx, ours)
  await cameFrom(ad3, { kind: 'ad', campaign: '120226305854819999', headline: 'Winter clearance' })
  await customerWrites(ctx, ad3, 'Hello?')
  // A store QR code: answered in an hour, resolved, rated 2.
  at('2026-03-02T09:50:00Z')
  const link = await newConversation(ctx, ours)
  await cameFrom(link, { kind: 'link', campaign: 'qr-store-berlin' })
  await customerWrites(ctx, link, 'Is the Berlin store open on Sunday?')
  at('2026-03-02T10:50:00Z')
  await reply(link)
  await resolve(link)
  await rated(link, 2)
  // Someone who came on their own: answered in 2 minutes, resolved.
  at('2026-03-02T11:00:00Z')
  const organic = await newConversation(ctx, ours)
  await customerWrites(ctx, organic, 'Where is my order?')
  at('2026-03-02T11:02:00Z')
  await reply(organic)
  await resolve(organic)
  // Another team's ad conversation: not the lead's to see.
  const hidden = await newConversation(ctx, theirs)
  await cameFrom(hidden, { kind: 'ad', campaign: '120226305854810726', headline: 'Spring sale' })
  await customerWrites(ctx, hidden, 'Hi')
  // The next day: outside a report of the 2nd.
  at('2026-03-03T09:00:00Z')
  const nextDay = await newConversation(ctx, ours)
  await cameFrom(nextDay, { kind: 'link', campaign: 'qr-store-berlin' })
  await customerWrites(ctx, nextDay, 'Hi again')

  at('2026-03-03T12:00:00Z')
  lead = await as(leadPerson)
  agent = await as(alice)
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('GET /api/reports/attribution', () => {
  it('reports volume, response rate, first response, resolution, satisfaction and outcomes by source, with the dashboard’s definitions', async () => {
    const result = await report()

    expect(result.period).toMatchObject({ firstDay: '2026-03-02', lastDay: '2026-03-02' })
    expect(result.bySource).toEqual<AttributionRow[]>([
      {
        source: 'ad',
        campaign: null,
        headline: null,
        conversations: 3,
        answered: 2,
        responseRate: 2 / 3,
        firstResponse: { median: 450, p90: 570, count: 2 },
        resolved: 1,
        resolutionRate: 1 / 3,
        ratings: 1,
        satisfied: 1,
        satisfaction: 100,
        leads: 1,
        purchases: 1,
        revenue: [{ currency: 'EUR', value: 129 }],
      },
      {
        source: 'link',
        campaign: null,
        headline: null,
        conversations: 1,
        answered: 1,
        responseRate: 1,
        firstResponse: { median: 3600, p90: 3600, count: 1 },
        resolved: 1,
        resolutionRate: 1,
        ratings: 1,
        satisfied: 0,
        satisfaction: 0,
        leads: 0,
        purchases: 0,
        revenue: [],
      },
      {
        source: 'organic',
        campaign: null,
        headline: null,
        conversations: 1,
        answered: 1,
        responseRate: 1,
        firstResponse: { median: 120, p90: 120, count: 1 },
        resolved: 1,
        resolutionRate: 1,
        ...empty,
      },
    ])
  })

  it('lists each ad and link with its headline, most conversations first', async () => {
    const result = await report()

    expect(result.byCampaign.map((row) => [row.source, row.campaign, row.headline, row.conversations, row.answered, row.firstResponse.median])).toEqual([
      ['ad', '120226305854810726', 'Spring sale', 2, 2, 450],
      ['ad', '120226305854819999', 'Winter clearance', 1, 0, null],
      ['link', 'qr-store-berlin', null, 1, 1, 3600],
    ])
    expect(result.byCampaign[0]).toMatchObject({ leads: 1, purchases: 1, revenue: [{ currency: 'EUR', value: 129 }], resolved: 1, satisfaction: 100 })
  })

  it('follows the period: the next day holds only its own conversation', async () => {
    const result = await report('?period=custom&from=2026-03-03&to=2026-03-03')

    expect(result.bySource.map((row) => [row.source, row.conversations])).toEqual([
      ['ad', 0],
      ['link', 1],
      ['organic', 0],
    ])
    expect(result.byCampaign.map((row) => row.campaign)).toEqual(['qr-store-berlin'])
  })

  it('answers 403 to an agent', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/reports/attribution', headers: agent.headers })

    expect(response.statusCode).toBe(403)
  })
})
