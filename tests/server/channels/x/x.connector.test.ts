import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { rejectionOf, startPlatform, type PlatformReply, type PlatformRequest } from '../../../support/platform-server.js'
import { type ChannelRuntime, ConnectorError, type OutboundMessage, UnsupportedPayloadError } from '../../../../server/src/channels/connector.js'
import { xConnector } from '../../../../server/src/channels/x/x.connector.js'

const consumerSecret = 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw'
const accessToken = 'x-user-token-Zm9vYmFy'

function rawFixture(name: string): Buffer {
  return readFileSync(new URL(`../../../fixtures/x/${name}`, import.meta.url))
}

function fixture(name: string): unknown {
  return JSON.parse(rawFixture(name).toString('utf8'))
}

function channelAt(apiBaseUrl = 'https://api.x.com'): ChannelRuntime {
  return {
    id: 'a6f1c0de-0000-4000-8000-000000000006',
    kind: 'x',
    externalId: '2244994945',
    config: { apiBaseUrl, mode: 'webhook', handle: 'BrandCare' },
    secrets: { consumerSecret, accessToken },
  }
}

function sign(body: Buffer | string, secret = consumerSecret): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`
}

function reply(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: '5b0e3c1a-7d2f-4c8e-9a6b-1f2e3d4c5b6a',
    conversationKind: 'dm',
    threadKey: 'dm:3805104374',
    recipient: { externalId: '3805104374', handle: 'samp' },
    text: 'Olá Samuel, já estornamos a cobrança duplicada.',
    ...overrides,
  }
}

describe('handshake', () => {
  it('answers the CRC with the base64 HMAC-SHA256 of the token under the consumer secret', () => {
    const crcToken = 'Y3JjLXRva2VuLTE3NjcyMjY1MDA'
    const expected = `sha256=${createHmac('sha256', consumerSecret).update(crcToken).digest('base64')}`

    const answer = xConnector.handshake!({ crc_token: crcToken }, channelAt())

    expect(answer).toEqual({ status: 200, body: { response_token: expected } })
  })

  it('answers 400 when crc_token is missing', () => {
    const answer = xConnector.handshake!({}, channelAt())

    expect(answer.status).toBe(400)
  })
})

describe('verifyWebhook', () => {
  const rawBody = rawFixture('dm-received.json')

  it('accepts the signature of the raw bytes under the consumer secret', () => {
    const request = { headers: { 'x-twitter-webhooks-signature': sign(rawBody) }, rawBody }

    expect(xConnector.verifyWebhook(request, channelAt())).toBe(true)
  })

  it('rejects a signature made with another secret', () => {
    const request = { headers: { 'x-twitter-webhooks-signature': sign(rawBody, 'another-consumer-secret') }, rawBody }

    expect(xConnector.verifyWebhook(request, channelAt())).toBe(false)
  })

  it('rejects a request without the signature header', () => {
    expect(xConnector.verifyWebhook({ headers: {}, rawBody }, channelAt())).toBe(false)
  })

  it('rejects a signature of the re-serialised JSON when the raw bytes differ', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(rawBody.toString('utf8'))))
    const request = { headers: { 'x-twitter-webhooks-signature': sign(reserialised) }, rawBody }

    expect(reserialised.equals(rawBody)).toBe(false)
    expect(xConnector.verifyWebhook(request, channelAt())).toBe(false)
  })

  it('rejects a body that gained spaces after signing', () => {
    const signed = Buffer.from('{"for_user_id":"2244994945","favorite_events":[]}')
    const request = { headers: { 'x-twitter-webhooks-signature': sign(signed) }, rawBody: Buffer.from('{"for_user_id": "2244994945", "favorite_events": []}') }

    expect(xConnector.verifyWebhook(request, channelAt())).toBe(false)
  })

  it('rejects every request when the channel has no consumer secret', () => {
    const request = { headers: { 'x-twitter-webhooks-signature': sign(rawBody) }, rawBody }

    expect(xConnector.verifyWebhook(request, { ...channelAt(), secrets: { accessToken } })).toBe(false)
  })
})

describe('dedupeKey', () => {
  it('gives a re-sent delivery the same key and another body another key', () => {
    const rawBody = rawFixture('dm-received.json')

    const first = xConnector.dedupeKey(JSON.parse(rawBody.toString('utf8')), rawBody)
    const again = xConnector.dedupeKey(JSON.parse(rawBody.toString('utf8')), Buffer.from(rawBody))
    const other = xConnector.dedupeKey({}, rawFixture('dm-sent.json'))

    expect(first).toMatch(/^x:[0-9a-f]{64}$/)
    expect(again).toBe(first)
    expect(other).not.toBe(first)
  })
})

describe('parse', () => {
  it('turns a received DM into an inbound DM with expanded links and the sender from users', () => {
    const events = xConnector.parse(fixture('dm-received.json'), channelAt())

    expect(events).toEqual([
      {
        type: 'message',
        externalId: '1871234567890123456',
        threadKey: 'dm:3805104374',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: {
          externalId: '3805104374',
          name: 'Samuel Pereira',
          handle: 'samp',
          avatarUrl: 'https://pbs.twimg.com/profile_images/1000000000000000001/samp_normal.jpg',
        },
        text: 'Minha conta foi cobrada duas vezes 😕 veja https://fatura.example.com.br/2026/01/123',
        attachments: [],
        sentAt: '2026-01-01T00:15:00.123Z',
      },
    ])
  })

  it('turns a DM we sent into an echo in the thread of its recipient, with its photo', () => {
    const events = xConnector.parse(fixture('dm-sent.json'), channelAt())

    expect(events).toEqual([
      {
        type: 'message',
        externalId: '1871234567890123999',
        threadKey: 'dm:3805104374',
        conversationKind: 'dm',
        direction: 'echo',
        contact: {
          externalId: '3805104374',
          name: 'Samuel Pereira',
          handle: 'samp',
          avatarUrl: 'https://pbs.twimg.com/profile_images/1000000000000000001/samp_normal.jpg',
        },
        text: 'Olá Samuel! Já estornamos a cobrança duplicada.',
        attachments: [{ kind: 'image', url: 'https://ton.twitter.com/1.1/ton/data/dm/1871234567890123999/1871234567000000001/receipt.jpg' }],
        sentAt: '2026-01-01T00:17:00.000Z',
      },
    ])
  })

  it('turns mentions into public messages, skipping our own tweets and retweets', () => {
    const events = xConnector.parse(fixture('tweet-create.json'), channelAt())

    expect(events).toEqual([
      {
        type: 'message',
        externalId: '1871234567890999999',
        threadKey: 'tweet:1871234567890999999',
        conversationKind: 'public',
        direction: 'inbound',
        contact: {
          externalId: '3805104374',
          name: 'Sam P',
          handle: 'samp',
          avatarUrl: 'https://pbs.twimg.com/profile_images/1000000000000000001/samp_normal.jpg',
        },
        text: '@BrandCare app keeps crashing on login',
        attachments: [],
        sentAt: '2026-01-01T00:15:00.000Z',
        subject: '@BrandCare app keeps crashing on login',
        replyContext: { tweetId: '1871234567890999999' },
      },
      {
        type: 'message',
        externalId: '1871234567891000042',
        threadKey: 'tweet:1871234567890999999',
        conversationKind: 'public',
        direction: 'inbound',
        contact: { externalId: '4455667788', name: 'Chloé Martin', handle: 'chloe_m' },
        text: "@BrandCare @samp Même problème ici depuis la mise à jour, l'appli plante dès que j'ouvre mes commandes et je ne peux plus rien suivre. Capture :",
        attachments: [{ kind: 'image', url: 'https://pbs.twimg.com/media/GcrashFR.jpg' }],
        sentAt: '2026-01-01T00:21:40.000Z',
        subject: "@BrandCare @samp Même problème ici depuis la mise à jour, l'appli plante dès que j'ouvre mes comman…",
        replyContext: { tweetId: '1871234567891000042' },
        replyToExternalId: '1871234567890999999',
      },
    ])
  })

  it('turns a deleted tweet into a delete', () => {
    const events = xConnector.parse(fixture('tweet-delete.json'), channelAt())

    expect(events).toEqual([{ type: 'delete', externalId: '1871234567891000042', at: '2026-01-01T01:13:20.000Z' }])
  })

  it.each([['favorite-events.json'], ['dm-typing.json'], ['dm-mark-read.json']])('returns no events for %s', (name) => {
    expect(xConnector.parse(fixture(name), channelAt())).toEqual([])
  })

  it('turns a polled v2 mention into a public message in its conversation', () => {
    const page = fixture('mentions-page-1.json') as { data: unknown[]; includes: { users: unknown[] } }
    const envelope = { source: 'x.mentions.v2', tweet: page.data[1], author: page.includes.users[1] }

    const events = xConnector.parse(envelope, channelAt())

    expect(events).toEqual([
      {
        type: 'message',
        externalId: '1871234567899000002',
        threadKey: 'tweet:1871234567890999999',
        conversationKind: 'public',
        direction: 'inbound',
        contact: { externalId: '6677889900', name: 'Ana Silva', handle: 'anasilva' },
        text: '@BrandCare @samp same here, since this morning',
        attachments: [],
        sentAt: '2026-01-01T01:05:00.000Z',
        subject: '@BrandCare @samp same here, since this morning',
        replyContext: { tweetId: '1871234567899000002', conversationId: '1871234567890999999' },
        replyToExternalId: '1871234567890999999',
      },
    ])
  })

  it('reads a tapped v1.1 quick-reply option as choice, from its metadata', () => {
    const payload = {
      for_user_id: '2244994945',
      direct_message_events: [
        {
          type: 'message_create',
          id: '1871234567890123999',
          created_timestamp: '1767226800000',
          message_create: {
            target: { recipient_id: '2244994945' },
            sender_id: '3805104374',
            message_data: { text: '4', quick_reply_response: { type: 'options', metadata: 'csat:s9f2Qk:4' } },
          },
        },
      ],
      users: { '3805104374': { id: '3805104374', name: 'Sam P', screen_name: 'samp' } },
    }

    const events = xConnector.parse(payload, channelAt())

    expect(events).toEqual([
      {
        type: 'message',
        externalId: '1871234567890123999',
        threadKey: 'dm:3805104374',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: '3805104374', name: 'Sam P', handle: 'samp' },
        text: '4',
        attachments: [],
        sentAt: '2026-01-01T00:20:00.000Z',
        choice: 'csat:s9f2Qk:4',
      },
    ])
  })

  it('returns no events for a polled mention written by ourselves', () => {
    const envelope = {
      source: 'x.mentions.v2',
      tweet: { id: '1', text: '@BrandCare note to self', author_id: '2244994945', created_at: '2026-01-01T01:00:00.000Z' },
    }

    expect(xConnector.parse(envelope, channelAt())).toEqual([])
  })

  it.each([
    ['a body with none of the known keys', { for_user_id: '2244994945', something_new_events: [] }],
    ['a body that is not an object', ['direct_message_events']],
    ['a polled mention without tweet', { source: 'x.mentions.v2' }],
    ['a DM event without sender', { direct_message_events: [{ type: 'message_create', id: '1', created_timestamp: '1', message_create: {} }] }],
  ])('throws UnsupportedPayloadError for %s', (_case, payload) => {
    expect(() => xConnector.parse(payload, channelAt())).toThrow(UnsupportedPayloadError)
  })
})

describe('send', () => {
  it('sends a DM to the participant of the thread and returns the DM event id', async () => {
    const platform = await startPlatform(() => ({
      status: 201,
      body: { data: { dm_conversation_id: '2244994945-3805104374', dm_event_id: '1871234567890124000' } },
    }))

    const result = await xConnector.send(reply(), channelAt(platform.url))

    expect(result).toEqual({ externalId: '1871234567890124000' })
    expect(platform.requests).toMatchObject([
      {
        method: 'POST',
        path: '/2/dm_conversations/with/3805104374/messages',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: { text: 'Olá Samuel, já estornamos a cobrança duplicada.' },
      },
    ])
  })

  it('posts a public reply to the tweet answered and returns the new tweet id', async () => {
    const platform = await startPlatform(() => ({ status: 201, body: { data: { id: '1871234567891000300', text: '@samp Sorry!' } } }))
    const message = reply({
      conversationKind: 'public',
      threadKey: 'tweet:1871234567890999999',
      text: 'Sorry! Could you DM us?',
      replyToExternalId: '1871234567891000042',
    })

    const result = await xConnector.send(message, channelAt(platform.url))

    expect(result).toEqual({ externalId: '1871234567891000300' })
    expect(platform.requests).toMatchObject([
      { method: 'POST', path: '/2/tweets', body: { text: 'Sorry! Could you DM us?', reply: { in_reply_to_tweet_id: '1871234567891000042' } } },
    ])
  })

  it('answers a public mention privately by DM to its author when asked to', async () => {
    const platform = await startPlatform(() => ({ status: 201, body: { data: { dm_conversation_id: 'c', dm_event_id: '1871234567890124001' } } }))
    const message = reply({ conversationKind: 'public', threadKey: 'tweet:1871234567890999999', visibility: 'private' })

    await xConnector.send(message, channelAt(platform.url))

    expect(platform.requests[0]?.path).toBe('/2/dm_conversations/with/3805104374/messages')
  })

  it('fails for good with the reason X gives when it refuses the DM', async () => {
    const platform = await startPlatform(() => ({
      status: 403,
      body: { title: 'Forbidden', type: 'about:blank', status: 403, detail: 'You are not permitted to send this message.' },
    }))

    const error = await rejectionOf(xConnector.send(reply(), channelAt(platform.url)))

    expect(error).toBeInstanceOf(ConnectorError)
    expect(error).toMatchObject({ retryable: false, status: 403, message: 'X refused the direct message: You are not permitted to send this message.' })
  })

  it('fails retryably until x-rate-limit-reset when rate limited', async () => {
    const reset = Math.floor(Date.now() / 1000) + 600
    const platform = await startPlatform(() => ({
      status: 429,
      headers: { 'x-rate-limit-reset': String(reset) },
      body: { title: 'Too Many Requests', status: 429 },
    }))

    const error = await rejectionOf(xConnector.send(reply({ conversationKind: 'public', threadKey: 'tweet:1' }), channelAt(platform.url)))

    expect(error).toMatchObject({ retryable: true, status: 429 })
    expect((error as ConnectorError).retryAfterMs).toBeGreaterThan(590_000)
    expect((error as ConnectorError).retryAfterMs).toBeLessThanOrEqual(600_000)
  })
})

describe('poll', () => {
  const page1 = fixture('mentions-page-1.json') as { meta: { next_token: string } }
  const page2 = fixture('mentions-page-2.json')

  function mentionsTimeline(request: PlatformRequest): PlatformReply {
    if (request.path !== '/2/users/2244994945/mentions') return { status: 404, body: { title: 'Not Found Error' } }
    return { body: request.query.get('pagination_token') === page1.meta.next_token ? page2 : page1 }
  }

  it('follows next_token from since_id and stores the newest id of the first page', async () => {
    const platform = await startPlatform(mentionsTimeline)

    const polled = await xConnector.poll!('1871234567898999999', channelAt(platform.url))

    expect(platform.requests).toHaveLength(2)
    expect(Object.fromEntries(platform.requests[0]!.query)).toEqual({
      since_id: '1871234567898999999',
      max_results: '100',
      'tweet.fields': 'created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets',
      expansions: 'author_id',
      'user.fields': 'username,name',
    })
    expect(platform.requests[0]?.headers.authorization).toBe(`Bearer ${accessToken}`)
    expect(platform.requests[1]?.query.get('pagination_token')).toBe(page1.meta.next_token)
    expect(platform.requests[1]?.query.get('since_id')).toBe('1871234567898999999')
    expect(polled.envelopes.map((envelope) => envelope.dedupeKey)).toEqual([
      'tweet:1871234567899000001',
      'tweet:1871234567899000002',
      'tweet:1871234567899000003',
    ])
    expect(polled.cursor).toBe('1871234567899000003')
    expect(polled.hasMore).toBe(false)
  })

  it('stores each mention with its author as an envelope that parse reads', async () => {
    const platform = await startPlatform(mentionsTimeline)

    const polled = await xConnector.poll!('1871234567898999999', channelAt(platform.url))
    const events = polled.envelopes.flatMap((envelope) => xConnector.parse(envelope.payload, channelAt()))

    expect(polled.envelopes[2]?.payload).toEqual({
      source: 'x.mentions.v2',
      tweet: expect.objectContaining({ id: '1871234567899000003', author_id: '5566778899' }),
      author: { id: '5566778899', name: '山田 花子', username: 'hanako_y' },
    })
    expect(events.map((event) => (event.type === 'message' ? [event.contact.handle, event.text] : event.type))).toEqual([
      ['elodie_b', '@BrandCare Bonjour, ma commande n°8841 est bloquée « en préparation » depuis une semaine.'],
      ['anasilva', '@BrandCare @samp same here, since this morning'],
      ['hanako_y', '@BrandCare 注文した商品がまだ届きません。追跡番号を教えてください。'],
    ])
  })

  it('takes only the newest page, without since_id, on the first poll', async () => {
    const platform = await startPlatform(mentionsTimeline)

    const polled = await xConnector.poll!(null, channelAt(platform.url))

    expect(platform.requests).toHaveLength(1)
    expect(platform.requests[0]?.query.has('since_id')).toBe(false)
    expect(polled.envelopes).toHaveLength(2)
    expect(polled.cursor).toBe('1871234567899000003')
  })

  it('keeps the cursor when no mention is newer than since_id', async () => {
    const platform = await startPlatform(() => ({ body: { meta: { result_count: 0 } } }))

    const polled = await xConnector.poll!('1871234567899000003', channelAt(platform.url))

    expect(polled).toEqual({ envelopes: [], cursor: null, hasMore: false })
  })

  it('fails retryably until x-rate-limit-reset when rate limited', async () => {
    const reset = Math.floor(Date.now() / 1000) + 900
    const platform = await startPlatform(() => ({
      status: 429,
      headers: { 'x-rate-limit-reset': String(reset) },
      body: { title: 'Too Many Requests', status: 429 },
    }))

    const error = await rejectionOf(xConnector.poll!('1', channelAt(platform.url)))

    expect(error).toBeInstanceOf(ConnectorError)
    expect(error).toMatchObject({ retryable: true, status: 429 })
    expect((error as ConnectorError).retryAfterMs).toBeGreaterThan(890_000)
    expect((error as ConnectorError).retryAfterMs).toBeLessThanOrEqual(900_000)
  })

  it('fails retryably on a server error', async () => {
    const platform = await startPlatform(() => ({ status: 500, body: { title: 'Internal Server Error' } }))

    const error = await rejectionOf(xConnector.poll!('1', channelAt(platform.url)))

    expect(error).toMatchObject({ retryable: true, status: 500 })
  })

  it('fails for good when X rejects the token', async () => {
    const platform = await startPlatform(() => ({ status: 401, body: { title: 'Unauthorized', status: 401, detail: 'Unauthorized' } }))

    const error = await rejectionOf(xConnector.poll!('1', channelAt(platform.url)))

    expect(error).toMatchObject({ retryable: false, status: 401 })
  })
})
