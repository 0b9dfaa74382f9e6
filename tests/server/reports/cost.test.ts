import type { CostReport } from '@carebox/shared'
import { minMeasuredResolutions } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { recordWorkingMinute } from '../../../server/src/reports/working-time.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, createUser, firstTeamId, signIn, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { customerWrites, newConversation } from '../../support/routing.js'

/**
 * Social cost from the minutes agents actually worked (agent_work_minutes), with the default inputs:
 * $20 + $5 an hour, $6 a call, 50% deflection, $1 per conversation until 30 resolutions are measured.
 */
let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let agent: SignedIn
let lead: SignedIn
let otherTeamConversation: string
const resolved: string[] = []
const clock = createTestClock(new Date('2026-03-02T09:00:00Z'))
const period = 'period=custom&from=2026-03-02&to=2026-03-02'

async function cost(query = period): Promise<CostReport> {
  const response = await app.inject({ method: 'GET', url: `/api/reports/cost?${query}`, headers: lead.headers })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<CostReport>()
}

/** `minutes` working minutes of the agent in the conversation, one a minute from 10:00 UTC. */
async function worked(conversationId: string, minutes: number, userId = agent.userId): Promise<void> {
  for (let i = 0; i < minutes; i++) await recordWorkingMinute(ctx.db, { conversationId, userId, at: new Date(Date.UTC(2026, 2, 2, 10, i, 30)) })
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock }
  app = await buildTestApp(ctx)
  const teamId = await firstTeamId(ctx)
  const channel = await createChannel(ctx, {
    kind: 'telegram',
    name: 'Bot',
    externalId: '778',
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
    secrets: { botToken: '778:AA', webhookSecret: 'w' },
  })
  const user = await createUser(ctx, { role: 'agent', teamIds: [teamId], name: 'Alice' })
  agent = await signIn(app, user.email, user.password)
  lead = await signedInAs(ctx, app, 'lead', [teamId])
  for (let i = 0; i < minMeasuredResolutions; i++) {
    const id = await newConversation(ctx, channel.id, 'dm', `Customer ${i}`)
    await customerWrites(ctx, id, 'Where is my order?')
    const response = await app.inject({ method: 'POST', url: `/api/conversations/${id}/status`, headers: agent.headers, payload: { status: 'resolved' } })
    expect(response.statusCode, response.body).toBe(200)
    resolved.push(id)
  }
  const otherTeam = await createTeam(ctx, 'Other team')
  const otherChannel = await createChannel(ctx, {
    kind: 'telegram',
    name: 'Other bot',
    externalId: '779',
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
    secrets: { botToken: '779:AA', webhookSecret: 'w' },
    teamId: otherTeam,
  })
  otherTeamConversation = await newConversation(ctx, otherChannel.id)
  clock.set(new Date('2026-03-02T16:00:00Z'))
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('GET /api/reports/cost', () => {
  it('keeps the per-conversation default while too few resolutions have working time recorded', async () => {
    for (const id of resolved.slice(0, minMeasuredResolutions - 1)) await worked(id, 6)

    const report = await cost()

    // 29 measured of 30: $1 × 30 resolved. Avoided: 30 × 0.5 × $6 = $90.
    expect(report).toMatchObject({ resolved: 30, socialCostBasis: 'per_conversation', socialCost: 30, avoidedCost: 90, netSaving: 60 })
    expect(report.breakdown).toMatchObject({ basis: 'per_conversation', measuredResolutions: 29, workedConversations: 29, resolved: 30 })
    expect(report.breakdown.workedHours).toBeCloseTo((29 * 6) / 60, 9)
    expect(report.breakdown.explanation).toBe(
      '30 resolved conversations × 50% that would have been calls × $6 per call = $90 avoided; 30 resolved × $1 per conversation = $30, the default until 30 resolved conversations have working time recorded (29 so far); net $60.',
    )
  })

  it('prices the minutes agents worked once enough resolutions are measured', async () => {
    await worked(resolved[minMeasuredResolutions - 1]!, 6)
    // Neither the same minute twice, nor another team's conversation, nor a minute outside the period counts.
    await worked(resolved[0]!, 6)
    await worked(otherTeamConversation, 30)
    await recordWorkingMinute(ctx.db, { conversationId: resolved[1]!, userId: agent.userId, at: new Date('2026-03-03T10:00:00Z') })

    const report = await cost()

    // 30 × 6 minutes = 3 hours × ($20 + $5) = $75; net $90 − $75 = $15.
    expect(report).toMatchObject({ resolved: 30, socialCostBasis: 'measured', socialCost: 75, avoidedCost: 90, netSaving: 15, roi: 0.2, handleHours: 3 })
    expect(report.costPerResolution).toBeCloseTo(2.5, 9)
    expect(report.breakdown).toEqual({
      workedHours: 3,
      workedConversations: 30,
      measuredResolutions: 30,
      resolved: 30,
      hourlyCost: 25,
      avoidedPerResolution: 3,
      basis: 'measured',
      explanation:
        '30 resolved conversations × 50% that would have been calls × $6 per call = $90 avoided; 3 hours agents spent in 30 conversations × $25 an hour = $75; net $15.',
    })
    expect(report.band.low).toEqual({ deflectionRate: 0.25, avoidedCost: 45, netSaving: -30, roi: -0.4 })
    expect(report.series).toEqual([{ at: '2026-03-02', avoidedCost: 90, socialCost: 75, netSaving: 15 }])
  })

  it('counts only the filtered agent’s minutes', async () => {
    const someoneElse = await createUser(ctx, { role: 'agent', teamIds: [await firstTeamId(ctx)], name: 'Bob' })
    await recordWorkingMinute(ctx.db, { conversationId: resolved[2]!, userId: someoneElse.id, at: new Date('2026-03-02T11:00:00Z') })

    const all = await cost()
    const alice = await cost(`${period}&agentId=${agent.userId}`)

    expect(all.breakdown.workedHours).toBeCloseTo(181 / 60, 9)
    expect(alice.breakdown.workedHours).toBe(3)
  })
})
