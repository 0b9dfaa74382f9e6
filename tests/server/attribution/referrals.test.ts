import type { ConversationAttribution } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'
import { metaBytes, metaSignature, postMeta } from '../../support/webhooks.js'

const appSecret = 'meta-app-secret'
const pageId = '104455667788990'
const phoneNumberId = '130000000000002'
const psid = '6123456789012345'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let agent: SignedIn

type MessagingEvent = Record<string, unknown>

function page(...events: MessagingEvent[]) {
  return { object: 'page', entry: [{ id: pageId, time: 1767225600000, messaging: events }] }
}

function message(mid: string, text: string, timestamp: number, extra: Record<string, unknown> = {}): MessagingEvent {
  return { sender: { id: psid }, recipient: { id: pageId }, timestamp, message: { mid, text, ...extra } }
}

function click(referral: unknown, timestamp: number): MessagingEvent {
  return { sender: { id: psid }, recipient: { id: pageId }, timestamp, referral }
}

const springAd = { ref: 'spring', ad_id: '120226305854810726', source: 'ADS', type: 'OPEN_THREAD', ads_context_data: { ad_title: 'Spring sale' } }
const storeLink = { ref: 'qr-store-berlin', source: 'SHORTLINK', type: 'OPEN_THREAD' }

async function deliver(body: unknown): Promise<void> {
  const raw = metaBytes(body)
  const response = await postMeta(app, raw, metaSignature(raw, appSecret))
  expect(response.statusCode).toBe(200)
  await processQueue(ctx, database.pool)
}

async function conversationIds(): Promise<string[]> {
  return (await ctx.db.selectFrom('conversations').select('id').orderBy('createdAt').execute()).map((row) => row.id)
}

async function attribution(conversationId: string): Promise<ConversationAttribution> {
  const response = await app.inject({ method: 'GET', url: `/api/conversations/${conversationId}/attribution`, headers: agent.headers })
  expect(response.statusCode).toBe(200)
  return response.json<ConversationAttribution>()
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  agent = await signedInAs(ctx, app, 'agent')
  await createChannel(ctx, {
    kind: 'facebook',
    name: 'Acme Page',
    externalId: pageId,
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9/graph' },
    secrets: { appSecret, accessToken: 'page-token' },
  })
  await createChannel(ctx, {
    kind: 'whatsapp',
    name: 'Acme WhatsApp',
    externalId: phoneNumberId,
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9/graph' },
    secrets: { appSecret, accessToken: 'wa-token' },
  })
})
beforeEach(async () => {
  await sql`truncate inbound_events, conversation_referrals, messages, conversations, contact_identity_aliases, contact_identities, contacts, changes cascade`.execute(
    ctx.db,
  )
  await sql`delete from graphile_worker._private_jobs`.execute(ctx.db)
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('ingest of referrals', () => {
  it('stores the ad a first message came from as its conversation’s first touch, and records referral.received', async () => {
    await deliver(page(message('m_ad_first', 'Is the blender on sale?', 1767225500000, { referral: springAd })))

    const [conversationId] = await conversationIds()
    const result = await attribution(conversationId!)
    expect(result.firstTouch).toMatchObject({
      kind: 'ad',
      source: 'ADS',
      ref: 'spring',
      adId: '120226305854810726',
      headline: 'Spring sale',
      firstTouch: true,
      hasClickId: false,
      receivedAt: '2025-12-31T23:58:20.000Z',
    })
    expect(result.referrals).toHaveLength(1)
    const changes = await ctx.db.selectFrom('changes').select(['type', 'conversationId', 'data']).where('type', '=', 'referral.received').execute()
    expect(changes).toEqual([
      {
        type: 'referral.received',
        conversationId,
        data: expect.objectContaining({ kind: 'ad', adId: '120226305854810726', ref: 'spring', headline: 'Spring sale', firstTouch: true }),
      },
    ])
  })

  it('keeps the first touch when the customer later comes back through another link, and records that one too', async () => {
    await deliver(page(message('m_1', 'Hi', 1767225500000, { referral: springAd })))
    await deliver(page(click(storeLink, 1767229100000), message('m_2', 'Back again', 1767229200000)))

    const [conversationId, ...others] = await conversationIds()
    const result = await attribution(conversationId!)
    expect(others).toEqual([])
    expect(result.referrals.map((r) => [r.kind, r.ref, r.firstTouch])).toEqual([
      ['ad', 'spring', true],
      ['link', 'qr-store-berlin', false],
    ])
    expect(result.firstTouch?.ref).toBe('spring')
  })

  it('holds a click that opens a new thread without a conversation, then gives it to the conversation the first message starts', async () => {
    await deliver(page(click(storeLink, 1767225400000)))

    expect(await conversationIds()).toEqual([])
    expect(await ctx.db.selectFrom('messages').select('id').execute()).toEqual([])
    const waiting = await ctx.db.selectFrom('conversationReferrals').select(['conversationId', 'threadKey', 'ref']).execute()
    expect(waiting).toEqual([{ conversationId: null, threadKey: `dm:${psid}`, ref: 'qr-store-berlin' }])

    await deliver(page(message('m_after_click', 'Do you have it in Berlin?', 1767225450000)))

    const [conversationId] = await conversationIds()
    const result = await attribution(conversationId!)
    expect(result.firstTouch).toMatchObject({ kind: 'link', source: 'SHORTLINK', ref: 'qr-store-berlin', firstTouch: true })
    const changes = await ctx.db.selectFrom('changes').select('type').where('type', '=', 'referral.received').execute()
    expect(changes).toHaveLength(1)
  })

  it('gives a click in an existing thread to its conversation, as its first touch when it had none', async () => {
    await deliver(page(message('m_organic', 'Hello', 1767225000000)))
    await deliver(page(click(storeLink, 1767225600000)))

    const [conversationId] = await conversationIds()
    const result = await attribution(conversationId!)
    expect(result.referrals).toHaveLength(1)
    expect(result.firstTouch).toMatchObject({ ref: 'qr-store-berlin', firstTouch: true })
    const messages = await ctx.db.selectFrom('messages').select('externalId').execute()
    expect(messages).toEqual([{ externalId: 'm_organic' }])
  })

  it('keeps the message when its referral has an unexpected shape, and stores no referral', async () => {
    await deliver(page(message('m_odd', 'Hello?', 1767225000000, { referral: 'a string, not an object' }), click({ surprise: [1, 2] }, 1767225001000)))

    const messages = await ctx.db.selectFrom('messages').select(['externalId', 'text']).execute()
    expect(messages).toEqual([{ externalId: 'm_odd', text: 'Hello?' }])
    expect(await ctx.db.selectFrom('conversationReferrals').select('id').execute()).toEqual([])
    const dead = await ctx.db.selectFrom('inboundEvents').select('status').execute()
    expect(dead).toEqual([{ status: 'processed' }])
  })

  it('stores a referral once when Meta delivers the same webhook again', async () => {
    const body = page(click(storeLink, 1767225400000), message('m_once', 'Hi', 1767225450000, { referral: springAd }))
    const raw = metaBytes(body)
    const signature = metaSignature(raw, appSecret)

    await postMeta(app, raw, signature)
    await processQueue(ctx, database.pool)
    // A redelivery Meta makes after a lost 200 carries other bytes (its own time); the same events must not repeat.
    await deliver({ ...body, entry: [{ ...body.entry[0]!, time: 1767225999999 }] })

    expect(await ctx.db.selectFrom('conversationReferrals').select('ref').orderBy('receivedAt').execute()).toEqual([
      { ref: 'qr-store-berlin' },
      { ref: 'spring' },
    ])
  })

  it('stores a click-to-WhatsApp referral with its click id on the conversation', async () => {
    await deliver({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '120000000000001',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId },
                contacts: [{ profile: { name: 'Ana Souza' }, wa_id: '5511988887777' }],
                messages: [
                  {
                    from: '5511988887777',
                    id: 'wamid.CTWA1',
                    timestamp: '1767229200',
                    type: 'text',
                    text: { body: 'Hi! I saw your ad' },
                    referral: {
                      source_url: 'https://fb.me/3cr4Wqqkv',
                      source_id: '120226305854810726',
                      source_type: 'ad',
                      headline: 'Chat with us',
                      ctwa_clid: 'ARAkLkA8rml',
                    },
                  },
                ],
              },
            },
          ],
        },
      ],
    })

    const [conversationId] = await conversationIds()
    const result = await attribution(conversationId!)
    expect(result.firstTouch).toMatchObject({
      kind: 'ad',
      source: null,
      sourceId: '120226305854810726',
      sourceType: 'ad',
      sourceUrl: 'https://fb.me/3cr4Wqqkv',
      headline: 'Chat with us',
      hasClickId: true,
    })
    const stored = await ctx.db.selectFrom('conversationReferrals').select(['ctwaClid', 'campaign']).executeTakeFirstOrThrow()
    expect(stored).toEqual({ ctwaClid: 'ARAkLkA8rml', campaign: '120226305854810726' })
  })
})
