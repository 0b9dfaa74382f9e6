import type { AgentReportRow, CostReport, ReportSummary, Wallboard } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { rebuildReports } from '../../../server/src/reports/rebuild.js'
import { buildTestApp } from '../../support/app.js'
import { createUser, firstTeamId, signIn, type SignedIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { customerWrites, newConversation, runDueTimers } from '../../support/routing.js'
import { spanMismatches } from './span-sums.js'

/**
 * A known fortnight, seeded through the API and the ingest path as it happens (Prague time, Mon–Fri 09:00–17:00,
 * a 60-minute first-response target), and every headline figure checked to the second. The comments give the
 * arithmetic; Prague is UTC+1 in early March.
 */
let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let teamId: string
let channelId: string
const clock = createTestClock(new Date('2026-03-02T08:00:00Z'))
const people: Record<'alice' | 'bob' | 'lead', { id: string; email: string; password: string; session?: SignedIn }> = {} as never

async function as(who: keyof typeof people): Promise<SignedIn> {
  // Sessions expire when idle: the clock jumps days, so each step signs in afresh.
  const person = people[who]
  person.session = await signIn(app, person.email, person.password)
  return person.session
}

async function inject(who: keyof typeof people, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) {
  const response = await app.inject({ method, url, headers: (await as(who)).headers, ...(payload && { payload }) })
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(200)
  return response
}

async function at(iso: string): Promise<void> {
  clock.set(new Date(iso))
  await runDueTimers(ctx)
}

const reply = (who: 'alice' | 'bob', id: string, text = 'On it') =>
  inject(who, 'POST', `/api/conversations/${id}/replies`, { text, clientKey: crypto.randomUUID() })
const resolve = (who: 'alice' | 'bob', id: string) => inject(who, 'POST', `/api/conversations/${id}/status`, { status: 'resolved' })
const period = 'period=custom&from=2026-03-02&to=2026-03-09'

async function summary(query = period): Promise<ReportSummary> {
  return (await inject('lead', 'GET', `/api/reports/summary?${query}`)).json<ReportSummary>()
}
async function agents(query = period): Promise<{ items: AgentReportRow[]; totals: AgentReportRow }> {
  return (await inject('lead', 'GET', `/api/reports/agents?${query}`)).json()
}

let a: string
let b: string
let c: string

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock }
  app = await buildTestApp(ctx)
  teamId = await firstTeamId(ctx)
  const channel = await createChannel(ctx, {
    kind: 'telegram',
    name: 'Bot',
    externalId: '777',
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
    secrets: { botToken: '777:AA', webhookSecret: 'w' },
  })
  channelId = channel.id
  people.alice = await createUser(ctx, { role: 'agent', teamIds: [teamId], name: 'Alice' })
  people.bob = await createUser(ctx, { role: 'agent', teamIds: [teamId], name: 'Bob' })
  people.lead = await createUser(ctx, { role: 'lead', teamIds: [teamId], name: 'Lea' })
  const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' }))
  await inject('lead', 'PATCH', `/api/routing/teams/${teamId}`, { timeZone: 'Europe/Prague', businessHours: { shifts: weekdays, holidays: [] } })
  await inject('lead', 'PUT', `/api/routing/auto-replies/${channelId}`, { outOfHoursReply: 'We are closed; we answer on Monday.' })
  await inject('lead', 'POST', '/api/sla-policies', {
    name: 'Standard',
    enabled: true,
    conditions: {},
    targets: { normal: { first_response: { minutes: 60, businessHours: false } } },
  })
  await runDueTimers(ctx)

  // A: Monday 10:00 Prague. Two messages, Alice answers at 5 min, a third message answered 20 min later, a note,
  // resolved at 11:00.
  await at('2026-03-02T09:00:00Z')
  a = await newConversation(ctx, channelId, 'dm', 'Ana')
  await customerWrites(ctx, a, 'Hello, where is my order?')
  await at('2026-03-02T09:02:00Z')
  await customerWrites(ctx, a, 'The box arrived broken.')
  await at('2026-03-02T09:05:00Z')
  await reply('alice', a)
  await at('2026-03-02T09:10:00Z')
  await customerWrites(ctx, a, 'And the receipt?')
  await at('2026-03-02T09:30:00Z')
  await reply('alice', a, 'Attached')
  await at('2026-03-02T09:31:00Z')
  await inject('alice', 'POST', `/api/conversations/${a}/notes`, { text: 'Sent the receipt', clientKey: crypto.randomUUID() })
  await at('2026-03-02T10:00:00Z')
  await resolve('alice', a)

  // C: Monday 13:00 Prague, never answered: its first-response target breaches at 14:00.
  await at('2026-03-02T12:00:00Z')
  c = await newConversation(ctx, channelId, 'dm', 'Cyril')
  await customerWrites(ctx, c, 'Anyone there?')
  await at('2026-03-02T13:00:01Z')

  // A again on Tuesday 10:00 Prague, within 7 days of its resolve: a reopen and a new cycle, Bob's.
  await at('2026-03-03T09:00:00Z')
  await customerWrites(ctx, a, 'One more thing')
  await at('2026-03-03T09:10:00Z')
  await reply('bob', a)
  await at('2026-03-03T09:20:00Z')
  await resolve('bob', a)

  // B: Saturday 11:00 Prague, out of hours: the automatic acknowledgement goes out (never a response); the
  // target breaches at 12:00; Alice answers on Monday 09:30 Prague.
  await at('2026-03-07T10:00:00Z')
  b = await newConversation(ctx, channelId, 'dm', 'Bea')
  await customerWrites(ctx, b, 'Is anyone working today?')
  await at('2026-03-07T11:00:01Z')
  await at('2026-03-09T08:30:00Z')
  await reply('alice', b)
  await at('2026-03-09T12:00:00Z')
})

afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('a seeded fortnight, figure by figure', () => {
  it('gives every headline figure exactly', async () => {
    const { headline, period: info } = await summary()
    expect(info).toMatchObject({
      timeZone: 'Europe/Prague',
      firstDay: '2026-03-02',
      lastDay: '2026-03-09',
      granularity: 'day',
      from: '2026-03-01T23:00:00.000Z',
      to: '2026-03-09T12:00:00.000Z',
    })
    // Cycles begun: A (Mon), A again (Tue), C (Mon), B (Sat); answered: all but C.
    expect(headline).toMatchObject({ inboundConversations: 4, answeredConversations: 3, conversationResponseRate: 0.75 })
    // Customer messages: A 3 + 1, C 1, B 1; all answered but C's.
    expect(headline).toMatchObject({ customerMessages: 6, answeredMessages: 5, messageResponseRate: 5 / 6 })
    // First responses: A 5 min, A's reopen 10 min, B 46 h 30 min (kept to the hour past a day: 46 h).
    // In business time B waited only Monday 09:00–09:30.
    expect(headline.firstResponse).toEqual({
      calendar: { median: 600, p90: 165_600, count: 3 },
      business: { median: 600, p90: 1_800, count: 3 },
    })
    // Next response: A's third message, answered after 20 min.
    expect(headline.nextResponse.calendar).toEqual({ median: 1_200, p90: 1_200, count: 1 })
    // Resolution: A 60 min, A's reopen 20 min. Handle (first reply to resolve): 55 min and 10 min.
    expect(headline.resolution.calendar).toEqual({ median: 1_200, p90: 3_600, count: 2 })
    expect(headline.handle.calendar).toEqual({ median: 600, p90: 3_300, count: 2 })
    expect(headline.handle.business).toEqual({ median: 600, p90: 3_300, count: 2 })
    // Both of A's first responses met the hour; B's and C's breached.
    expect(headline.sla.first_response).toEqual({ achieved: 2, breached: 2, rate: 0.5 })
    expect(headline.sla.all).toEqual({ achieved: 2, breached: 2, rate: 0.5 })
    // A was resolved twice and reopened by its customer once, within 7 days.
    expect(headline).toMatchObject({ resolved: 2, reopened: 1, reopenRate: 0.5 })
    // Four replies by people; the note and the out-of-hours acknowledgement are counted apart.
    expect(headline).toMatchObject({ replies: 4, notes: 1, automatedReplies: 1 })
    // Now: B (answered) and C (waiting since Monday 13:00 Prague) are open.
    expect(headline.backlog).toEqual({ open: 2, waiting: 1, oldestWaitingSince: '2026-03-02T12:00:00.000Z' })
  })

  it('draws volume by day, the response trend, SLA by day and the hour-of-week heatmap in Prague time', async () => {
    const report = await summary()
    expect(report.volume).toEqual([
      { at: '2026-03-02', channelId, inbound: 4, replied: 2 },
      { at: '2026-03-03', channelId, inbound: 1, replied: 1 },
      { at: '2026-03-07', channelId, inbound: 1, replied: 0 },
      { at: '2026-03-09', channelId, inbound: 0, replied: 1 },
    ])
    expect(report.firstResponseTrend.find((p) => p.at === '2026-03-02')).toEqual({ at: '2026-03-02', median: 300, p90: 300, count: 1 })
    expect(report.firstResponseTrend.find((p) => p.at === '2026-03-07')).toEqual({ at: '2026-03-07', median: 165_600, p90: 165_600, count: 1 })
    expect(report.firstResponseTrend).toHaveLength(8)
    expect(report.slaTrend.filter((p) => p.achieved + p.breached > 0)).toEqual([
      { at: '2026-03-02', achieved: 1, breached: 1 },
      { at: '2026-03-03', achieved: 1, breached: 0 },
      { at: '2026-03-07', achieved: 0, breached: 1 },
    ])
    const heat = Object.fromEntries(report.hourOfWeek.map((count, index): [number, number] => [index, count]).filter(([, count]) => count > 0))
    // Monday 10:00 (A ×3), Monday 13:00 (C), Tuesday 10:00 (A again), Saturday 11:00 (B).
    expect(heat).toEqual({ [1 * 24 + 10]: 3, [1 * 24 + 13]: 1, [2 * 24 + 10]: 1, [6 * 24 + 11]: 1 })
  })

  it('splits the work per agent, and the rows add up to the team totals', async () => {
    const { items, totals } = await agents()
    const alice = items.find((row) => row.name === 'Alice')
    const bob = items.find((row) => row.name === 'Bob')
    const nobody = items.find((row) => row.agentId === null)
    expect(alice).toMatchObject({
      replies: 3,
      resolved: 1,
      reopened: 1,
      reopenRate: 1,
      firstResponse: { median: 300, p90: 165_600, count: 2 },
      sla: { achieved: 1, breached: 1 },
    })
    expect(bob).toMatchObject({
      replies: 1,
      resolved: 1,
      reopened: 0,
      firstResponse: { median: 600, count: 1 },
      handle: { median: 600, count: 1 },
      sla: { achieved: 1, breached: 0 },
    })
    // C: nobody answered or owned it; its breach is nobody's in particular.
    expect(nobody).toMatchObject({ replies: 0, resolved: 0, sla: { achieved: 0, breached: 1 } })
    for (const key of ['replies', 'resolved', 'reopened'] as const)
      expect(
        items.reduce((sum, row) => sum + row[key], 0),
        key,
      ).toBe(totals[key])
    expect(items.reduce((sum, row) => sum + row.firstResponse.count, 0)).toBe(totals.firstResponse.count)
    expect(items.reduce((sum, row) => sum + row.sla.achieved, 0)).toBe(totals.sla.achieved)
    expect(items.reduce((sum, row) => sum + row.sla.breached, 0)).toBe(totals.sla.breached)
    expect(totals).toMatchObject({ replies: 4, resolved: 2, reopened: 1, sla: { achieved: 2, breached: 2 } })
  })

  it('narrows to one agent and to one day', async () => {
    const alice = await summary(`${period}&agentId=${people.alice.id}`)
    expect(alice.headline).toMatchObject({ inboundConversations: 2, answeredConversations: 2, replies: 3, resolved: 1 })
    const tuesday = await summary('period=custom&from=2026-03-03&to=2026-03-03')
    expect(tuesday.period.granularity).toBe('hour')
    expect(tuesday.headline).toMatchObject({ inboundConversations: 1, customerMessages: 1, replies: 1, resolved: 1, reopened: 0 })
    expect(tuesday.volume).toEqual([{ at: '2026-03-03T10', channelId, inbound: 1, replied: 1 }])
  })

  it('gives the wallboard what is happening now', async () => {
    const board = (await inject('lead', 'GET', '/api/reports/wallboard')).json<Wallboard>()
    // C waits, breached; B was answered. Nobody has a console open; no cycle began today (Monday the 9th).
    expect(board).toEqual({
      at: '2026-03-09T12:00:00.000Z',
      waitingNow: 1,
      oldestWaitingSince: '2026-03-02T12:00:00.000Z',
      atRisk: 1,
      agentsOnline: 0,
      todayInbound: 0,
      todayAnswered: 0,
      todayResponseRate: null,
      todayRatings: 0,
      todaySatisfaction: null,
      teams: [{ id: teamId, name: 'Support', online: 0, away: 0, offline: 3, waiting: 1 }],
    })
  })

  it('values the work with the default cost inputs', async () => {
    const cost = (await inject('lead', 'GET', `/api/reports/cost?${period}`)).json<CostReport>()
    // Two resolved; no working time recorded (no console was open), so $1.00 each. Avoided: 2 × 0.5 × $6.00.
    expect(cost).toMatchObject({ resolved: 2, socialCostBasis: 'per_conversation', socialCost: 2, avoidedCost: 6, netSaving: 4, costPerResolution: 1, roi: 2 })
    expect(cost.handleHours).toBe(0)
    expect(cost.band.low).toEqual({ deflectionRate: 0.25, avoidedCost: 3, netSaving: 1, roi: 0.5 })
    expect(cost.band.high).toEqual({ deflectionRate: 1, avoidedCost: 12, netSaving: 10, roi: 5 })
  })

  it('gives the same figures after pnpm rollups:rebuild recomputes them from scratch', async () => {
    const before = { summary: await summary(), agents: await agents(), alice: await summary(`${period}&agentId=${people.alice.id}`) }
    const rows = async () => (await sql<{ n: number }>`select count(*)::int as n from report_daily where count <> 0`.execute(ctx.db)).rows[0]?.n
    const liveRows = await rows()

    await rebuildReports(ctx.db, clock.now())

    expect(await rows()).toBe(liveRows)
    expect({ summary: await summary(), agents: await agents(), alice: await summary(`${period}&agentId=${people.alice.id}`) }).toEqual(before)
  })

  it('keeps each longer span equal to the sum of its days, which periods are read from', async () => {
    expect(await spanMismatches(ctx.db)).toEqual([])
    const { rows } = await sql<{ spans: number }>`select count(distinct span)::int as spans from report_daily where count <> 0`.execute(ctx.db)
    expect(rows[0]?.spans).toBe(5)
    // 2026-03-02..09 is read as the 3-day spans from 03-02 and 03-05, and two days: the same figures as day by day.
    const { headers } = await as('lead')
    const read = async (query: string) => (await app.inject({ method: 'GET', url: `/api/reports/summary?${query}`, headers })).json<ReportSummary>()
    const days = await Promise.all(['02', '03', '04', '05', '06', '07', '08', '09'].map((d) => read(`period=custom&from=2026-03-${d}&to=2026-03-${d}`)))
    const whole = await read(period)
    expect(whole.headline.customerMessages).toBeGreaterThan(0)
    expect(days.reduce((sum, s) => sum + s.headline.customerMessages, 0)).toBe(whole.headline.customerMessages)
    expect(days.reduce((sum, s) => sum + s.headline.inboundConversations, 0)).toBe(whole.headline.inboundConversations)
    expect(days.reduce((sum, s) => sum + s.headline.firstResponse.calendar.count, 0)).toBe(whole.headline.firstResponse.calendar.count)
    expect(days.reduce((sum, s) => sum + s.headline.sla.all.breached, 0)).toBe(whole.headline.sla.all.breached)
  })

  // Last: it moves the team to another zone.
  it('moves past days to a new time zone and opening hours on its own, as a rebuild would count them', async () => {
    const prague = await summary()
    await inject('lead', 'PATCH', `/api/routing/teams/${teamId}`, { timeZone: 'America/New_York' })
    expect(await runDueTimers(ctx)).toContain('reports.team-resync')

    const { rows: zones } = await sql<{ zone: string }>`select distinct time_zone as zone from report_conversations`.execute(ctx.db)
    expect(zones).toEqual([{ zone: 'America/New_York' }])
    const moved = { summary: await summary(), agents: await agents() }
    expect(moved.summary.period.timeZone).toBe('America/New_York')
    // 09:00-17:00 in New York is 15:00-23:00 in Prague: the business-time figures change with the zone.
    expect(moved.summary.headline.firstResponse.business).not.toEqual(prague.headline.firstResponse.business)
    expect(await spanMismatches(ctx.db)).toEqual([])

    await rebuildReports(ctx.db, clock.now())

    expect({ summary: await summary(), agents: await agents() }).toEqual(moved)
  })
})
