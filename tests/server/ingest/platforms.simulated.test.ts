import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import { pollHandler } from '../../../server/src/ingest/poll.job.js'
import type { AppContext } from '../../../server/src/context.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { buildTestApp } from '../../support/app.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'

// The connectors against the platform simulator: real HTTP, each platform's wire format, signatures and cursors.
let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let sim: Simulator
let appUrl: string
const ids: Record<string, string> = {}

const telegramBot = { externalId: '7000000001', secrets: { botToken: '7000000001:AAtest' } }
const telegramHook = { externalId: '7000000002', secrets: { botToken: '7000000002:AAtest', webhookSecret: 'tg-secret_token-1' } }
const xAccount = { externalId: '2244994945', secrets: { consumerSecret: 'x-consumer-secret', accessToken: 'x-token' } }
const mastodon = { externalId: '109000000000001', secrets: { accessToken: 'mastodon-token' } }
const bluesky = { externalId: 'did:plc:acmetest', secrets: { identifier: 'acme.test', appPassword: 'app-pass' } }

async function messageTexts(channelId: string): Promise<string[]> {
  const rows = await ctx.db.selectFrom('messages').select('text').where('channelId', '=', channelId).orderBy('sentAt').execute()
  return rows.map((r) => r.text)
}

async function poll(channelId: string): Promise<void> {
  await pollHandler.run(ctx, { channelId }, { attempts: 1, maxAttempts: 3 })
  await processQueue(ctx, database.pool)
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  appUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  sim = await startSimulator({ retryScheduleMs: [20, 50], receipts: false })
  const connect = async (
    kind: 'telegram' | 'x' | 'mastodon' | 'bluesky',
    account: { externalId: string; secrets: Record<string, string> },
    mode: 'webhook' | 'polling',
    handle?: string,
  ) => {
    const channel = await createChannel(ctx, {
      kind,
      name: `${kind} ${account.externalId}`,
      externalId: account.externalId,
      settings: { mode, apiBaseUrl: sim.apiBaseUrl(kind), ...(handle && { handle }) },
      secrets: account.secrets,
    })
    ids[account.externalId] = channel.id
    sim.addAccount({
      kind,
      externalId: account.externalId,
      secrets: account.secrets,
      ...(mode === 'webhook' && { webhookUrl: `${appUrl}/webhooks/${kind}/${channel.id}` }),
      ...(handle && { handle }),
    })
  }
  await connect('telegram', telegramBot, 'polling')
  await connect('telegram', telegramHook, 'webhook')
  await connect('x', xAccount, 'webhook', 'AcmeCare')
  await connect('mastodon', mastodon, 'polling', 'acme')
  await connect('bluesky', bluesky, 'polling', 'acme.test')
})
beforeEach(() => {
  sim.clearFaults()
})
afterAll(async () => {
  await sim.close()
  await app.close()
  await database.drop()
})

describe('Telegram', () => {
  it('polls getUpdates and stores the cursor only with the messages it covers', async () => {
    await sim.customerWrites(telegramBot.externalId, { from: { id: '58212345', name: 'Lena K', language: 'de' }, text: 'Hallo, wo ist meine Bestellung?' })
    await sim.customerWrites(telegramBot.externalId, { from: { id: '58212345', name: 'Lena K' }, text: 'Noch nichts angekommen' })

    await poll(ids[telegramBot.externalId]!)
    const channel = await ctx.db.selectFrom('channels').select('pollCursor').where('id', '=', ids[telegramBot.externalId]!).executeTakeFirstOrThrow()
    await poll(ids[telegramBot.externalId]!)

    expect(await messageTexts(ids[telegramBot.externalId]!)).toEqual(['Hallo, wo ist meine Bestellung?', 'Noch nichts angekommen'])
    // The next update_id, as the offset still to send ("<id>") or already sent ("idle:<id>").
    expect(channel.pollCursor).toMatch(/^(idle:)?[1-9]\d*$/)
    const contact = await ctx.db.selectFrom('contacts').select(['name', 'language']).where('name', '=', 'Lena K').executeTakeFirstOrThrow()
    expect(contact).toEqual({ name: 'Lena K', language: 'de' })
  })

  it('waits out a 429 with its retry_after and keeps the cursor', async () => {
    const channelId = ids[telegramBot.externalId]!
    const before = await ctx.db.selectFrom('channels').select('pollCursor').where('id', '=', channelId).executeTakeFirstOrThrow()
    sim.injectFault({ kind: 'telegram', endpoint: 'poll', type: '429', count: 1, retryAfterSeconds: 42 })
    const startedAt = ctx.clock.now().getTime()

    await pollHandler.run(ctx, { channelId }, { attempts: 1, maxAttempts: 3 })

    const { rows } = await sql<{ runAt: Date }>`select run_at as "runAt" from graphile_worker.jobs where key = ${`poll:${channelId}`}`.execute(ctx.db)
    const after = await ctx.db.selectFrom('channels').select(['pollCursor', 'errorCount']).where('id', '=', channelId).executeTakeFirstOrThrow()
    expect(rows[0]!.runAt.getTime() - startedAt).toBeGreaterThanOrEqual(42_000)
    expect(after.pollCursor).toBe(before.pollCursor)
    expect(after.errorCount).toBe(1)
  })

  it('takes webhooks with the secret token and refuses them without it', async () => {
    const channelId = ids[telegramHook.externalId]!

    const report = await sim.customerWrites(telegramHook.externalId, { from: { id: '777', name: 'Ana' }, text: '¿Tenéis envío a Canarias?' })
    const forged = await app.inject({
      method: 'POST',
      url: `/webhooks/telegram/${channelId}`,
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'guessed' },
      payload: { update_id: 1, message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, text: 'forged' } },
    })
    await processQueue(ctx, database.pool)

    expect(report).toMatchObject({ delivered: true, finalStatus: 200 })
    expect(forged.statusCode).toBe(401)
    expect(await messageTexts(channelId)).toEqual(['¿Tenéis envío a Canarias?'])
    // Ingest detects the language: on the message, its conversation, and the customer Telegram told nothing of.
    const stored = await ctx.db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversationId')
      .innerJoin('contacts as ct', 'ct.id', 'c.contactId')
      .select(['m.language as message', 'c.language as conversation', 'ct.language as customer'])
      .where('m.channelId', '=', channelId)
      .executeTakeFirstOrThrow()
    expect(stored).toEqual({ message: 'es', conversation: 'es', customer: 'es' })
  })

  it('answers 404 and stores nothing for a webhook to a channel that does not exist', async () => {
    const before = await ctx.db
      .selectFrom('inboundEvents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()

    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/telegram/00000000-0000-4000-8000-000000000000',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': telegramHook.secrets.webhookSecret },
      payload: { update_id: 5, message: { message_id: 5, date: 1, chat: { id: 1, type: 'private' }, text: 'hi' } },
    })

    const after = await ctx.db
      .selectFrom('inboundEvents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(response.statusCode).toBe(404)
    expect(Number(after.n)).toBe(Number(before.n))
  })
})

describe('X', () => {
  it('answers the CRC challenge with the consumer secret', async () => {
    const check = await sim.crcCheck(xAccount.externalId)

    expect(check).toMatchObject({ ok: true, status: 200 })
  })

  it('fails the CRC challenge when the platform holds another consumer secret', async () => {
    const channelId = ids[xAccount.externalId]!
    sim.addAccount({
      kind: 'x',
      externalId: '999000111',
      secrets: { consumerSecret: 'not-the-channel-secret' },
      webhookUrl: `${appUrl}/webhooks/x/${channelId}`,
    })

    const check = await sim.crcCheck('999000111')

    expect(check.ok).toBe(false)
  })

  it('takes signed DMs and mentions', async () => {
    await sim.customerWrites(xAccount.externalId, { from: { id: '3805104374', name: 'Sam P', handle: 'samp' }, text: 'My account was charged twice' })
    await sim.customerWrites(xAccount.externalId, {
      from: { id: '3805104374', name: 'Sam P', handle: 'samp' },
      text: '@AcmeCare app keeps crashing',
      kind: 'mention',
    })
    await processQueue(ctx, database.pool)

    const kinds = await ctx.db.selectFrom('conversations').select('kind').where('channelId', '=', ids[xAccount.externalId]!).orderBy('kind').execute()
    expect(kinds.map((k) => k.kind)).toEqual(['dm', 'public'])
  })

  it('refuses a delivery signed with another secret', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `/webhooks/x/${ids[xAccount.externalId]}`,
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': 'sha256=AAAA' },
      payload: { for_user_id: xAccount.externalId, direct_message_events: [] },
    })

    expect(response.statusCode).toBe(401)
  })
})

describe('Mastodon', () => {
  it('polls mentions with min_id, turning HTML into text', async () => {
    await sim.customerWrites(mastodon.externalId, {
      from: { id: '1098', name: 'Tom', handle: 'tom@fosstodon.org' },
      text: 'router firmware bricked my device',
      kind: 'mention',
    })
    await sim.customerWrites(mastodon.externalId, { from: { id: '1099', name: 'Eva', handle: 'eva@mastodon.social' }, text: 'díky za rychlou odpověď <3' })

    await poll(ids[mastodon.externalId]!)
    await poll(ids[mastodon.externalId]!)

    const texts = await messageTexts(ids[mastodon.externalId]!)
    expect(texts).toHaveLength(2)
    expect(texts.join('\n')).toContain('díky za rychlou odpověď <3')
    expect(texts.join('\n')).not.toMatch(/<p>|<span/)
  })
})

describe('Bluesky', () => {
  it('polls newest-first notifications with one cached session', async () => {
    await sim.customerWrites(bluesky.externalId, {
      from: { id: 'did:plc:ines', name: 'Inês', handle: 'ines.bsky.social' },
      text: '@acme.test my subscription renewed after I cancelled',
      kind: 'mention',
    })

    await poll(ids[bluesky.externalId]!)
    await sim.customerWrites(bluesky.externalId, {
      from: { id: 'did:plc:ines', name: 'Inês', handle: 'ines.bsky.social' },
      text: 'still charged today',
      kind: 'mention',
    })
    await poll(ids[bluesky.externalId]!)

    expect(await messageTexts(ids[bluesky.externalId]!)).toEqual(['@acme.test my subscription renewed after I cancelled', '@acme.test still charged today'])
    expect(sim.requests.filter((r) => r.path.endsWith('com.atproto.server.createSession'))).toHaveLength(1)
  })
})
