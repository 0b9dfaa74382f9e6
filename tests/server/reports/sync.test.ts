import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { customerWrites, newConversation } from '../../support/routing.js'
import { drainAllChanges } from '../../support/queue.js'
import { spanMismatches } from './span-sums.js'

let database: TestDatabase
let ctx: AppContext
let channelId: string

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  channelId = (
    await createChannel(ctx, {
      kind: 'telegram',
      name: 'Bot',
      externalId: '2',
      settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
      secrets: { botToken: '2:A', webhookSecret: 'w' },
    })
  ).id
})
afterAll(async () => {
  await database.drop()
})

describe('keeping the rollups in step', () => {
  it('counts a conversation under any tag a person may write, a bar included', async () => {
    const id = await newConversation(ctx, channelId)
    await sql`update conversations set tags = '{"launch|eu", vip}' where id = ${id}::uuid`.execute(ctx.db)

    await customerWrites(ctx, id, 'My order never arrived')

    const { rows } = await sql<{ tag: string; count: number }>`
      select tag, sum(count)::int as count from report_daily_tags where span = 1 and metric = 'customer_messages' group by tag order by tag`.execute(ctx.db)
    expect(rows).toEqual([
      { tag: 'launch|eu', count: 1 },
      { tag: 'vip', count: 1 },
    ])
  })

  it('takes back a customer message the platform deleted', async () => {
    const id = await newConversation(ctx, channelId)
    const messageId = await customerWrites(ctx, id, 'Please call me at 555 0100')
    const count = async () =>
      (
        await sql<{
          n: number
        }>`select coalesce(sum(count), 0)::int as n from report_daily where span = 1 and metric = 'customer_messages' and channel_id = ${channelId}::uuid`.execute(
          ctx.db,
        )
      ).rows[0]?.n
    const before = await count()
    const { applyEvents } = await import('../../../server/src/ingest/ingest.service.js')
    const message = await ctx.db.selectFrom('messages').select('externalId').where('id', '=', messageId).executeTakeFirstOrThrow()

    await ctx.db
      .transaction()
      .execute((trx) =>
        applyEvents(trx, { id: channelId, kind: 'telegram' }, [{ type: 'delete', externalId: message.externalId as string, at: new Date().toISOString() }]),
      )
    await drainAllChanges(ctx)

    expect(await count()).toBe((before ?? 0) - 1)
    expect(await spanMismatches(ctx.db)).toEqual([])
  })
})
