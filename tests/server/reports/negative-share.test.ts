import type { NegativeSharePoint, ReportSummary } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, createUser, signIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { customerWrites, newConversation, runDueTimers } from '../../support/routing.js'

/**
 * Labelled customer messages over two Prague days (UTC+1 in early March), read back as the summary's negative share
 * with each filter. The model labels the texts (as in tests/server/sentiment): "broken…disappointed" negative,
 * "Order 55102" neutral, "🤷" unknown; one label is a person's.
 */
let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let channelA: string
let channelB: string
const clock = createTestClock(new Date('2026-03-02T08:00:00Z'))
const people: Record<'alice' | 'lead', { id: string; email: string; password: string }> = {} as never
const angry = 'The kettle arrived broken, I am really disappointed'
const neutral = 'Order 55102'
const unreadable = '🤷'
const period = 'period=custom&from=2026-03-02&to=2026-03-03'

async function inject(who: keyof typeof people, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
  // Sessions expire when idle and the clock jumps: each request signs in afresh.
  const { headers } = await signIn(app, people[who].email, people[who].password)
  const response = await app.inject({ method, url, headers, ...(payload && { payload }) })
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(200)
  return response
}

async function at(iso: string): Promise<void> {
  clock.set(new Date(iso))
  await runDueTimers(ctx)
}

async function trend(query: string): Promise<NegativeSharePoint[]> {
  return (await inject('lead', 'GET', `/api/reports/summary?${query}`)).json<ReportSummary>().negativeShareTrend
}

async function telegram(teamId: string, externalId: string): Promise<string> {
  const channel = await createChannel(ctx, {
    kind: 'telegram',
    name: `Bot ${externalId}`,
    externalId,
    teamId,
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
    secrets: { botToken: `${externalId}:AA`, webhookSecret: 'w' },
  })
  return channel.id
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock }
  app = await buildTestApp(ctx)
  const teamId = await createTeam(ctx, 'Negative share team')
  channelA = await telegram(teamId, '8101')
  channelB = await telegram(teamId, '8102')
  people.alice = await createUser(ctx, { role: 'agent', teamIds: [teamId], name: 'Alice' })
  people.lead = await createUser(ctx, { role: 'lead', teamIds: [teamId], name: 'Lea' })
  await inject('lead', 'PATCH', `/api/routing/teams/${teamId}`, { timeZone: 'Europe/Prague' })
  await runDueTimers(ctx)

  // 2 March, 10:00 Prague, channel A, tagged refund, answered by Alice: negative, neutral, unknown.
  await at('2026-03-02T09:00:00Z')
  const first = await newConversation(ctx, channelA)
  await customerWrites(ctx, first, angry)
  await customerWrites(ctx, first, neutral)
  await customerWrites(ctx, first, unreadable)
  await inject('alice', 'POST', `/api/conversations/${first}/replies`, { text: 'Sorry, a new one is on its way', clientKey: crypto.randomUUID() })
  await inject('alice', 'PATCH', `/api/conversations/${first}`, { tags: ['refund'] })
  // Alice's, whatever becomes of her reply: its send to the unreachable test bot may fail (and a failed reply is no
  // response), and then the assignee owns the cycle.
  await inject('lead', 'POST', `/api/conversations/${first}/assign`, { assigneeId: people.alice.id })

  // 2 March, 23:30 Prague, channel B: one negative.
  await at('2026-03-02T22:30:00Z')
  await customerWrites(ctx, await newConversation(ctx, channelB), angry)

  // 3 March, 00:30 Prague (still the 2nd in UTC), channel A: neutral to the model, negative to a person.
  await at('2026-03-02T23:30:00Z')
  const late = await customerWrites(ctx, await newConversation(ctx, channelA), neutral)
  await inject('alice', 'POST', `/api/messages/${late}/sentiment`, { label: 'negative' })
  await at('2026-03-03T08:10:00Z')
})

afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('GET /api/reports/summary negativeShareTrend', () => {
  it('counts negative and labelled messages per Prague day, unknown left out and a person’s label winning', async () => {
    const points = await trend(period)

    expect(points).toEqual([
      { at: '2026-03-02', negative: 2, labelled: 3 },
      { at: '2026-03-03', negative: 1, labelled: 1 },
    ])
  })

  it('narrows to a channel, a tag and an agent as the other figures do', async () => {
    const byChannel = await trend(`${period}&channelId=${channelB}`)
    const byTag = await trend(`${period}&tag=Refund`)
    const byAgent = await trend(`${period}&agentId=${people.alice.id}`)

    expect(byChannel).toEqual([
      { at: '2026-03-02', negative: 1, labelled: 1 },
      { at: '2026-03-03', negative: 0, labelled: 0 },
    ])
    expect(byTag).toEqual([
      { at: '2026-03-02', negative: 1, labelled: 2 },
      { at: '2026-03-03', negative: 0, labelled: 0 },
    ])
    expect(byAgent).toEqual(byTag)
  })

  it('gives today hour by hour up to now, quiet hours as zero, and by day when filtered by agent', async () => {
    const today = await trend('period=today')
    const todayByAgent = await trend(`period=today&agentId=${people.alice.id}`)

    // It is 09:10 in Prague: ten hours begun, the last one still running.
    expect(today.map((p) => p.at)).toEqual(Array.from({ length: 10 }, (_, hour) => `2026-03-03T${String(hour).padStart(2, '0')}`))
    expect(today.filter((p) => p.labelled > 0)).toEqual([{ at: '2026-03-03T00', negative: 1, labelled: 1 }])
    expect(todayByAgent).toEqual([{ at: '2026-03-03', negative: 0, labelled: 0 }])
  })
})
