import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel, listChannels } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { disableDemoChannels } from '../../../server/src/demo/demo.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

let database: TestDatabase
let ctx: AppContext

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
})
afterAll(async () => {
  await database.drop()
})

describe('disableDemoChannels', () => {
  it('disables demo channels left pointing at a simulator, and nothing else', async () => {
    await createChannel(ctx, {
      kind: 'telegram',
      name: 'Acme Telegram bot',
      externalId: '7000000001',
      settings: { mode: 'polling', apiBaseUrl: 'http://127.0.0.1:41234/telegram' },
      secrets: { botToken: '7000000001:AAdemo' },
    })
    await createChannel(ctx, {
      kind: 'telegram',
      name: 'Real bot',
      externalId: '5550001',
      settings: { mode: 'polling', apiBaseUrl: 'https://api.telegram.org' },
      secrets: { botToken: '5550001:AAreal' },
    })

    const disabled = await disableDemoChannels(ctx)

    expect(disabled).toBe(1)
    expect((await listChannels(ctx, null)).map((c) => [c.name, c.enabled])).toEqual([
      ['Acme Telegram bot', false],
      ['Real bot', true],
    ])
  })
})
