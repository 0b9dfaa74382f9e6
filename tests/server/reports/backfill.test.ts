import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { reportsBackfillHandler, scheduleReportBackfill } from '../../../server/src/reports/backfill.job.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { customerWrites, newConversation } from '../../support/routing.js'

let database: TestDatabase
let ctx: AppContext

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
})
afterAll(async () => {
  await database.drop()
})

describe('rollups for conversations from before reports existed', () => {
  it('are computed once in the background at startup, and only when missing', async () => {
    expect(await scheduleReportBackfill(ctx)).toBe(false)
    const channel = await createChannel(ctx, {
      kind: 'telegram',
      name: 'Bot',
      externalId: '1',
      settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
      secrets: { botToken: '1:A', webhookSecret: 'w' },
    })
    const id = await newConversation(ctx, channel.id)
    await customerWrites(ctx, id, 'Hello')
    // As an upgraded installation finds them: conversations, and no rollups.
    await sql`truncate report_conversations, report_daily, report_hourly, report_cycles`.execute(ctx.db)

    expect(await scheduleReportBackfill(ctx)).toBe(true)
    const jobs = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'reports.backfill'`.execute(ctx.db)
    expect(jobs.rows[0]?.n).toBe(1)
    await reportsBackfillHandler.run(ctx, {}, { attempts: 1, maxAttempts: 3 })

    const daily = await sql<{ n: number }>`select coalesce(sum(count), 0)::int as n from report_daily where span = 1 and metric = 'customer_messages'`.execute(
      ctx.db,
    )
    expect(daily.rows[0]?.n).toBe(1)
    expect(await scheduleReportBackfill(ctx)).toBe(false)
  })
})
