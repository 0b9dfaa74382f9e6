import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { slaRecomputeHandler } from '../../../server/src/timers/sla-recompute.job.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

let database: TestDatabase
let ctx: AppContext
const clock = createTestClock(new Date('2026-03-02T09:00:00Z'))
const count = 10_000

async function timerCounts(): Promise<{ breach: number; distinctKeys: number; activeTargets: number; runningTargets: number }> {
  const { rows } = await sql<{ breach: number; distinctKeys: number; activeTargets: number; runningTargets: number }>`
    select
      (select count(*)::int from graphile_worker.jobs where task_identifier = 'sla.timer' and key like 'sla-breach:%') as breach,
      (select count(distinct key)::int from graphile_worker.jobs where task_identifier = 'sla.timer' and key like 'sla-breach:%') as "distinctKeys",
      (select count(*)::int from sla_targets where status = 'active') as "activeTargets",
      (select count(*)::int from sla_targets where stopped_at is null) as "runningTargets"`.execute(ctx.db)
  return rows[0]!
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock }
  const channel = await createChannel(ctx, {
    kind: 'telegram',
    name: 'Bot',
    externalId: '777',
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
    secrets: { botToken: '777:AA', webhookSecret: 'w' },
  })
  await ctx.db
    .insertInto('slaPolicies')
    .values({
      position: 1,
      name: 'Standard',
      conditions: '{}',
      targets: JSON.stringify({ normal: { first_response: { minutes: 60, businessHours: false }, resolution: { minutes: 1440, businessHours: true } } }),
    })
    .execute()
  // 10k open conversations, each with a customer message spread over the last hour.
  await sql`
    with people as (
      insert into contacts (name, first_seen_at, last_seen_at)
      select 'Customer ' || g, ${clock.now()}::timestamptz, ${clock.now()}::timestamptz from generate_series(1, ${count}) g
      returning id
    ),
    numbered as (select id, row_number() over () as n from people),
    threads as (
      insert into conversations (channel_id, team_id, contact_id, thread_key, kind, last_message_at, last_inbound_at)
      select ${channel.id}::uuid, (select team_id from channels where id = ${channel.id}::uuid), id, 'dm:' || n, 'dm', ${clock.now()}::timestamptz - (n % 60) * interval '1 minute', ${clock.now()}::timestamptz - (n % 60) * interval '1 minute'
      from numbered
      returning id, last_inbound_at
    )
    insert into messages (conversation_id, channel_id, external_id, direction, author_kind, text, status, sent_at)
    select id, ${channel.id}::uuid, 'm-' || id, 'inbound', 'contact', 'Where is my order?', 'received', last_inbound_at from threads`.execute(ctx.db)
}, 120_000)
afterAll(async () => {
  await database.drop()
})

describe('timers for 10,000 open conversations', () => {
  it('schedules exactly one breach timer per active target, and a recomputation (a restart) adds none', async () => {
    await slaRecomputeHandler.run(ctx, {}, { attempts: 1, maxAttempts: 5 })
    const first = await timerCounts()
    // First response (60 min, calendar) and resolution (business hours): both running for every conversation.
    expect(first.runningTargets).toBe(2 * count)
    expect(first.breach).toBe(first.activeTargets)
    expect(first.distinctKeys).toBe(first.breach)
    expect(first.activeTargets).toBeGreaterThanOrEqual(count)

    await slaRecomputeHandler.run(ctx, {}, { attempts: 1, maxAttempts: 5 })
    expect(await timerCounts()).toEqual(first)
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from sla_targets`.execute(ctx.db)
    expect(rows[0]?.n).toBe(2 * count)
  }, 300_000)
})
