import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { seedDemoHistory } from '../../../server/src/demo/demo-history.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

// The demo's first start draws four weeks of past conversations: the satisfaction figures have history too.
let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  ctx.clock = { now: () => new Date('2026-03-30T12:00:00Z') }
  app = await buildTestApp(ctx)
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('the demo history', () => {
  it('carries satisfaction ratings, comments on low ones, and surveys never answered or not offered', async () => {
    const lead = await signedInAs(ctx, app, 'lead')
    const team = (await ctx.db.selectFrom('teams').select('id').executeTakeFirstOrThrow()).id
    const channel = await createChannel(ctx, {
      kind: 'whatsapp',
      name: 'History WhatsApp',
      externalId: '130000000000999',
      teamId: team,
      settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9/v21.0' },
      secrets: { appSecret: 'x', accessToken: 'y' },
    })
    expect(await seedDemoHistory(ctx, [channel.id])).toBeGreaterThan(100)

    const report = (await app.inject({ method: 'GET', url: `/api/reports/satisfaction?period=30d`, headers: lead.headers })).json()
    expect(report.totals.answered).toBeGreaterThan(50)
    expect(report.totals.score).toBeGreaterThan(50)
    expect(report.totals.responseRate).toBeGreaterThan(0.4)
    expect(report.totals.responseRate).toBeLessThan(0.9)
    expect(report.totals.distribution.every((n: number) => n > 0)).toBe(true)
    expect(report.trend.filter((day: { answered: number }) => day.answered > 0).length).toBeGreaterThan(20)
    expect(report.notOffered[0]?.count).toBeGreaterThan(0)
    expect(report.comments.some((c: { rating: number; comment: string | null }) => c.rating <= 2 && c.comment)).toBe(true)
  })
})
