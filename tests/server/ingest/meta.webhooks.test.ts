import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AppContext } from '../../../server/src/context.js'
import { createChannel, updateChannel } from '../../../server/src/channels/channels.service.js'
import { ingestHandler } from '../../../server/src/ingest/ingest.job.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'
import { metaBytes, metaSignature, postMeta } from '../../support/webhooks.js'
import { teamOfChannel } from '../../support/routing.js'

const appSecret = 'meta-app-secret'
const pageId = '104455667788990'
const phoneNumberId = '130000000000002'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let admin: SignedIn
let pageChannelId: string
let whatsappChannelId: string
let verifyToken: string

function messengerText(mid: string, text: string, psid = '6123456789012345', timestamp = 1767225599871) {
  return {
    object: 'page',
    entry: [
      {
        id: pageId,
        time: timestamp + 100,
        messaging: [{ sender: { id: psid }, recipient: { id: pageId }, timestamp, message: { mid, text } }],
      },
    ],
  }
}

function whatsappBody(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '120000000000001',
        changes: [
          {
            field: 'messages',
            value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId }, ...value },
          },
        ],
      },
    ],
  }
}

async function counts() {
  const { rows } = await sql<{ events: number; messages: number; conversations: number; contacts: number }>`
    select (select count(*)::int from inbound_events) as events, (select count(*)::int from messages) as messages,
           (select count(*)::int from conversations) as conversations, (select count(*)::int from contacts) as contacts`.execute(ctx.db)
  return rows[0]
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  admin = await signedInAs(ctx, app, 'admin')
  const page = await createChannel(ctx, {
    kind: 'facebook',
    name: 'Acme Page',
    externalId: pageId,
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9/graph' },
    secrets: { appSecret, accessToken: 'page-token' },
  })
  pageChannelId = page.id
  verifyToken = page.verifyToken as string
  const whatsapp = await createChannel(ctx, {
    kind: 'whatsapp',
    name: 'Acme WhatsApp',
    externalId: phoneNumberId,
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9/graph' },
    secrets: { appSecret, accessToken: 'wa-token' },
  })
  whatsappChannelId = whatsapp.id
})
beforeEach(async () => {
  // cascade: and every table that hangs off these (drafts, reads, notes about contacts, merges).
  await sql`truncate inbound_events, messages, message_receipts, conversations, contact_identity_aliases, contact_identities, contacts cascade`.execute(ctx.db)
  await sql`delete from graphile_worker._private_jobs`.execute(ctx.db)
  await sql`update channels set error_count = 0`.execute(ctx.db)
  await updateChannel(ctx, pageChannelId, { enabled: true })
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('GET /webhooks/meta', () => {
  it('echoes the challenge for the right verify token', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/webhooks/meta?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=1158201444`,
    })

    expect(response.statusCode).toBe(200)
    expect(response.body).toBe('1158201444')
  })

  it('answers 403 for a wrong verify token', async () => {
    const response = await app.inject({ method: 'GET', url: '/webhooks/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1' })

    expect(response.statusCode).toBe(403)
  })
})

describe('POST /webhooks/meta', () => {
  it('stores a signed delivery and turns it into a contact, a conversation and a message before answering', async () => {
    const raw = metaBytes(messengerText('m_first', 'Hi, my parcel 88213 never arrived'))

    const response = await postMeta(app, raw, metaSignature(raw, appSecret))
    const answered = await counts()
    await processQueue(ctx, database.pool)

    expect(response.statusCode).toBe(200)
    expect(answered).toEqual({ events: 1, messages: 1, conversations: 1, contacts: 1 })
    expect(await counts()).toEqual({ events: 1, messages: 1, conversations: 1, contacts: 1 })
    const message = await ctx.db.selectFrom('messages').select(['text', 'direction', 'status', 'externalId']).executeTakeFirstOrThrow()
    expect(message).toEqual({ text: 'Hi, my parcel 88213 never arrived', direction: 'inbound', status: 'received', externalId: 'm_first' })
  })

  it('keeps non-ASCII text intact through the escaped bytes Meta signs', async () => {
    const raw = metaBytes(messengerText('m_cjk', '我的包裹还没到，能帮我查一下吗？'))

    await postMeta(app, raw, metaSignature(raw, appSecret))
    await processQueue(ctx, database.pool)

    const message = await ctx.db.selectFrom('messages').select('text').executeTakeFirstOrThrow()
    expect(message.text).toBe('我的包裹还没到，能帮我查一下吗？')
  })

  it.each([
    ['no signature', undefined],
    ['a signature made with another secret', metaSignature(metaBytes(messengerText('m_x', 'hello')), 'not-the-secret')],
    ['a signature over re-serialised JSON', metaSignature(Buffer.from(JSON.stringify(messengerText('m_x', 'Grüße aus Köln'))), appSecret)],
  ])('answers 401 and stores nothing for %s', async (_case, signature) => {
    const raw = metaBytes(messengerText('m_x', signature?.includes('Grüße') ? 'hello' : 'Grüße aus Köln'))

    const response = await postMeta(app, raw, signature)

    expect(response.statusCode).toBe(401)
    expect(await counts()).toMatchObject({ events: 0 })
  })

  it('answers 401 for a signature over re-serialised JSON of the same body', async () => {
    const body = messengerText('m_x', 'Grüße aus Köln')
    const raw = metaBytes(body)

    const response = await postMeta(app, raw, metaSignature(Buffer.from(JSON.stringify(body)), appSecret))

    expect(response.statusCode).toBe(401)
    expect(await counts()).toMatchObject({ events: 0 })
  })

  it.each([1, 10])('stores one message when the same delivery arrives %i more times', async (replays) => {
    const raw = metaBytes(messengerText('m_dup', 'Where is my refund?'))
    const signature = metaSignature(raw, appSecret)

    const statuses = [(await postMeta(app, raw, signature)).statusCode]
    for (let i = 0; i < replays; i++) statuses.push((await postMeta(app, raw, signature)).statusCode)
    await processQueue(ctx, database.pool)

    expect(new Set(statuses)).toEqual(new Set([200]))
    expect(await counts()).toEqual({ events: 1, messages: 1, conversations: 1, contacts: 1 })
  })

  it('answers 404 and stores nothing for a Page no channel has', async () => {
    const body = messengerText('m_other', 'hello')
    body.entry[0]!.id = '999999999'
    const raw = metaBytes(body)

    const response = await postMeta(app, raw, metaSignature(raw, appSecret))

    expect(response.statusCode).toBe(404)
    expect(await counts()).toMatchObject({ events: 0 })
  })

  it('answers 403 and stores nothing for a disabled channel', async () => {
    await app.inject({ headers: admin.headers, method: 'PATCH', url: `/api/channels/${pageChannelId}`, payload: { enabled: false } })
    const raw = metaBytes(messengerText('m_disabled', 'hello'))

    const response = await postMeta(app, raw, metaSignature(raw, appSecret))

    expect(response.statusCode).toBe(403)
    expect(await counts()).toMatchObject({ events: 0 })
  })

  it('answers 413 above 3 MB', async () => {
    const raw = metaBytes(messengerText('m_big', 'x'.repeat(3 * 1024 * 1024)))

    const response = await postMeta(app, raw, metaSignature(raw, appSecret))

    expect(response.statusCode).toBe(413)
    expect(await counts()).toMatchObject({ events: 0 })
  })

  it('accepts a WhatsApp batch near the 3 MB limit', async () => {
    const messages = Array.from({ length: 400 }, (_, i) => ({
      from: `55119888${String(i).padStart(5, '0')}`,
      id: `wamid.big${i}`,
      timestamp: '1767226200',
      type: 'text',
      text: { body: `message ${i} ${'é'.repeat(1000)}` },
    }))
    const raw = metaBytes(whatsappBody({ contacts: [], messages }))

    const response = await postMeta(app, raw, metaSignature(raw, appSecret))
    await processQueue(ctx, database.pool)

    expect(raw.length).toBeGreaterThan(2 * 1024 * 1024)
    expect(response.statusCode).toBe(200)
    expect(await counts()).toMatchObject({ messages: 400, conversations: 400 })
  })

  it.each([
    ['malformed JSON', Buffer.from('{"object": "page", "entry": [')],
    ['deeply nested JSON', Buffer.from(`${'['.repeat(5000)}${']'.repeat(5000)}`)],
    ['a __proto__ key', Buffer.from('{"object":"page","entry":[],"__proto__":{"polluted":true}}')],
  ])('answers 400 and stores nothing for %s', async (_case, raw) => {
    const response = await postMeta(app, raw, metaSignature(raw, appSecret))

    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('bad_request')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(await counts()).toMatchObject({ events: 0 })
  })

  it('dead-letters an unknown field, answers 200, and replays it from the API', async () => {
    const body = { object: 'page', entry: [{ id: pageId, time: 1767225700, changes: [{ field: 'ratings', value: { review_text: 'meh' } }] }] }
    const raw = metaBytes(body)

    const response = await postMeta(app, raw, metaSignature(raw, appSecret))
    await processQueue(ctx, database.pool)
    const letters = (await app.inject({ headers: admin.headers, method: 'GET', url: `/api/channels/${pageChannelId}/dead-letters` })).json()
    const channel = (await app.inject({ headers: admin.headers, method: 'GET', url: '/api/channels' }))
      .json()
      .find((c: { id: string }) => c.id === pageChannelId)

    expect(response.statusCode).toBe(200)
    expect(letters).toEqual([expect.objectContaining({ channelId: pageChannelId, source: 'webhook', error: expect.stringMatching(/ratings/), payload: body })])
    expect(channel).toMatchObject({ deadLetterCount: 1, errorCount: 1 })

    // The replay answers once its ingest job has run: the worker runs alongside, as in a running Carebox.
    const replaying = app.inject({ headers: admin.headers, method: 'POST', url: `/api/channels/${pageChannelId}/dead-letters/${letters[0].id}/replay` })
    await vi.waitFor(async () => {
      const letter = await ctx.db.selectFrom('inboundEvents').select('status').where('id', '=', letters[0].id).executeTakeFirstOrThrow()
      expect(letter.status).toBe('pending')
    })
    await processQueue(ctx, database.pool)
    const replay = await replaying

    expect(replay.json()).toEqual({ status: 'failed', error: expect.stringMatching(/ratings/) })
    expect((await app.inject({ headers: admin.headers, method: 'GET', url: `/api/channels/${pageChannelId}/dead-letters` })).json()).toHaveLength(1)
  })

  it('dead-letters an unknown object type signed for a known Page, answering 200', async () => {
    const body = { object: 'user', entry: [{ id: pageId, time: 1767225700, changes: [{ field: 'photos', value: {} }] }] }
    const raw = metaBytes(body)

    const response = await postMeta(app, raw, metaSignature(raw, appSecret))
    await processQueue(ctx, database.pool)
    const letters = (await app.inject({ headers: admin.headers, method: 'GET', url: `/api/channels/${pageChannelId}/dead-letters` })).json()

    expect(response.statusCode).toBe(200)
    expect(letters).toEqual([expect.objectContaining({ payload: body })])
    expect(await counts()).toMatchObject({ messages: 0 })
  })

  it('does not let a dead letter block other conversations', async () => {
    const bad = metaBytes({ object: 'page', entry: [{ id: pageId, time: 1, changes: [{ field: 'ratings', value: {} }] }] })
    const good = metaBytes(messengerText('m_after_bad', 'still here'))

    await postMeta(app, bad, metaSignature(bad, appSecret))
    await postMeta(app, good, metaSignature(good, appSecret))
    await processQueue(ctx, database.pool)

    expect(await counts()).toMatchObject({ events: 2, messages: 1 })
  })

  it('takes up the envelopes a batch had claimed when its process died, on the batch job’s retry', async () => {
    for (const [i, text] of ['first', 'second', 'third'].entries()) {
      const raw = metaBytes(messengerText(`m_killed_${i}`, text, `61234567890${i}`))
      await postMeta(app, raw, metaSignature(raw, appSecret))
    }
    const { rows } = await sql<{ id: string }>`select id from inbound_events order by seq`.execute(ctx.db)
    // The first envelope's job had claimed all three and died with its process; the other two jobs found theirs
    // claimed and finished. Only the first job is left, and it runs again as a retry.
    await sql`delete from graphile_worker._private_jobs`.execute(ctx.db)
    await ingestHandler.run(ctx, { eventIds: [rows[0]!.id] }, { attempts: 2, maxAttempts: 25 })
    await processQueue(ctx, database.pool)

    expect(await counts()).toMatchObject({ events: 3, messages: 3 })
  })

  it('routes every entry of a batch across Pages and WhatsApp numbers', async () => {
    const messenger = messengerText('m_batch_1', 'first')
    messenger.entry.push(messengerText('m_batch_2', 'second', '700000000000001', 1767225600000).entry[0]!)
    const raw = metaBytes(messenger)
    const wa = metaBytes(
      whatsappBody({
        contacts: [
          { profile: { name: 'Ana Souza' }, wa_id: '5511988887777', user_id: 'BR.1502576394655843' },
          { profile: { name: 'Bo Li' }, wa_id: '5511977776666' },
        ],
        messages: [
          { from: '5511988887777', id: 'wamid.a', timestamp: '1767226200', type: 'text', text: { body: 'Meu pedido chegou quebrado' } },
          { from: '5511977776666', id: 'wamid.b', timestamp: '1767226201', type: 'text', text: { body: '我要退款' } },
          { from: '5511988887777', id: 'wamid.c', timestamp: '1767226202', type: 'text', text: { body: 'Foto em seguida' } },
        ],
      }),
    )

    await postMeta(app, raw, metaSignature(raw, appSecret))
    await postMeta(app, wa, metaSignature(wa, appSecret))
    await processQueue(ctx, database.pool)

    expect(await counts()).toMatchObject({ messages: 5, conversations: 4, contacts: 4 })
    const ana = await ctx.db
      .selectFrom('contactIdentities')
      .innerJoin('contactIdentityAliases', 'contactIdentityAliases.identityId', 'contactIdentities.id')
      .select(['externalId', 'alias', 'name'])
      .where('contactIdentities.channelId', '=', whatsappChannelId)
      .where('name', '=', 'Ana Souza')
      .executeTakeFirstOrThrow()
    expect(ana).toEqual({ externalId: 'BR.1502576394655843', alias: '5511988887777', name: 'Ana Souza' })
  })

  it('keeps the WhatsApp contact when a user_id appears later for a known wa_id', async () => {
    const first = metaBytes(
      whatsappBody({
        contacts: [{ profile: { name: 'Ana' }, wa_id: '5511988887777' }],
        messages: [{ from: '5511988887777', id: 'wamid.old', timestamp: '1767226200', type: 'text', text: { body: 'Oi' } }],
      }),
    )
    const later = metaBytes(
      whatsappBody({
        contacts: [{ profile: { name: 'Ana' }, wa_id: '5511988887777', user_id: 'BR.77' }],
        messages: [{ from: '5511988887777', id: 'wamid.new', timestamp: '1767226300', type: 'text', text: { body: 'Ainda aqui' } }],
      }),
    )

    await postMeta(app, first, metaSignature(first, appSecret))
    await processQueue(ctx, database.pool)
    await postMeta(app, later, metaSignature(later, appSecret))
    await processQueue(ctx, database.pool)

    expect(await counts()).toMatchObject({ messages: 2, conversations: 1, contacts: 1 })
  })

  it('finds the WhatsApp contact by its wa_id alias when a later message carries no user_id', async () => {
    const withBoth = metaBytes(
      whatsappBody({
        contacts: [{ profile: { name: 'Bo' }, wa_id: '5511911112222', user_id: 'BR.99' }],
        messages: [{ from: '5511911112222', id: 'wamid.both', timestamp: '1767226200', type: 'text', text: { body: 'Olá' } }],
      }),
    )
    const waOnly = metaBytes(
      whatsappBody({
        contacts: [{ profile: { name: 'Bo' }, wa_id: '5511911112222' }],
        messages: [{ from: '5511911112222', id: 'wamid.waonly', timestamp: '1767226300', type: 'text', text: { body: 'Alguém aí?' } }],
      }),
    )

    await postMeta(app, withBoth, metaSignature(withBoth, appSecret))
    await processQueue(ctx, database.pool)
    await postMeta(app, waOnly, metaSignature(waOnly, appSecret))
    await processQueue(ctx, database.pool)

    expect(await counts()).toMatchObject({ messages: 2, conversations: 1, contacts: 1 })
  })

  it('ends a message read when read arrives before delivered, and never moves a status back', async () => {
    const conversation = await ctx.db
      .insertInto('contacts')
      .values({ name: 'Ana', firstSeenAt: new Date(), lastSeenAt: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((contact) =>
        ctx.db
          .insertInto('conversations')
          .values({
            channelId: whatsappChannelId,
            teamId: teamOfChannel(whatsappChannelId),
            contactId: contact.id,
            threadKey: 'dm:BR.1',
            kind: 'dm',
            lastMessageAt: new Date(),
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      )
    await ctx.db
      .insertInto('messages')
      .values({
        conversationId: conversation.id,
        channelId: whatsappChannelId,
        externalId: 'wamid.ourReply',
        direction: 'outbound',
        authorKind: 'agent',
        text: 'Sorry about that!',
        status: 'sent',
        sentAt: new Date('2026-01-01T00:00:00Z'),
      })
      .execute()
    const status = (s: string, ts: string) =>
      metaBytes(whatsappBody({ statuses: [{ id: 'wamid.ourReply', status: s, timestamp: ts, recipient_id: '5511988887777' }] }))

    for (const raw of [status('read', '1767226620'), status('delivered', '1767226610'), status('sent', '1767226600')]) {
      await postMeta(app, raw, metaSignature(raw, appSecret))
      await processQueue(ctx, database.pool)
    }

    const message = await ctx.db.selectFrom('messages').select('status').where('externalId', '=', 'wamid.ourReply').executeTakeFirstOrThrow()
    expect(message.status).toBe('read')
  })

  it('keeps each commenter of a public thread as the author of their comment', async () => {
    const comment = (id: string, from: { id: string; name: string }, message: string) => ({
      field: 'feed',
      value: { item: 'comment', verb: 'add', post_id: `${pageId}_311`, comment_id: id, parent_id: `${pageId}_311`, from, message, created_time: 1767225695 },
    })
    const raw = metaBytes({
      object: 'page',
      entry: [
        {
          id: pageId,
          time: 1767225700,
          changes: [
            comment('311_1', { id: '55', name: 'Dana Ruiz' }, 'Open on Sunday?'),
            comment('311_2', { id: '56', name: 'Olek Nowak' }, 'Also on holidays?'),
          ],
        },
      ],
    })

    await postMeta(app, raw, metaSignature(raw, appSecret))
    await processQueue(ctx, database.pool)
    const [conversation] = (await app.inject({ headers: admin.headers, method: 'GET', url: '/api/conversations' })).json().items
    const messages = (await app.inject({ headers: admin.headers, method: 'GET', url: `/api/conversations/${conversation.id}/messages` })).json().items

    expect(conversation.kind).toBe('public')
    expect(messages.map((m: { author: { name: string } }) => m.author.name).sort()).toEqual(['Dana Ruiz', 'Olek Nowak'])
  })

  it('reopens a resolved conversation when the customer writes again', async () => {
    const first = metaBytes(messengerText('m_one', 'Thanks, solved!'))
    await postMeta(app, first, metaSignature(first, appSecret))
    await processQueue(ctx, database.pool)
    await ctx.db.updateTable('conversations').set({ status: 'resolved' }).execute()

    const again = metaBytes(messengerText('m_two', 'Actually it broke again', '6123456789012345', 1767229999000))
    await postMeta(app, again, metaSignature(again, appSecret))
    await processQueue(ctx, database.pool)

    const conversation = await ctx.db.selectFrom('conversations').select(['status', 'messageCount']).executeTakeFirstOrThrow()
    expect(conversation).toEqual({ status: 'open', messageCount: 2 })
  })
})
