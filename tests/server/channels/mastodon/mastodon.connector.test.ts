import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { rejectionOf, startPlatform, type PlatformReply, type PlatformRequest } from '../../../support/platform-server.js'
import { type ChannelRuntime, ConnectorError, type OutboundMessage, UnsupportedPayloadError } from '../../../../server/src/channels/connector.js'
import { mastodonConnector } from '../../../../server/src/channels/mastodon/mastodon.connector.js'

const accessToken = 'mastodon-user-token-0a1b2c3d'

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/mastodon/${name}`, import.meta.url), 'utf8'))
}

function channelAt(apiBaseUrl = 'https://social.example'): ChannelRuntime {
  return {
    id: 'a6f1c0de-0000-4000-8000-000000000007',
    kind: 'mastodon',
    externalId: '1',
    config: { apiBaseUrl, mode: 'polling', handle: 'brand' },
    secrets: { accessToken },
  }
}

interface Notification {
  id: string
  type: string
}

function notification(id: number, type = 'mention'): Notification {
  return {
    id: String(id),
    type,
    created_at: '2026-01-01T00:20:00.000Z',
    account: { id: '2001', username: 'tom', acct: 'tom@fosstodon.org' },
    status: {
      id: `9${id}`,
      created_at: '2026-01-01T00:20:00.000Z',
      in_reply_to_id: null,
      visibility: 'public',
      content: `<p>Ticket ${id}</p>`,
      account: { id: '2001', acct: 'tom@fosstodon.org' },
    },
  } as Notification
}

function byId(a: Notification, b: Notification): number {
  return a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/**
 * GET /api/v1/notifications as Mastodon serves it: with min_id, the page immediately newer than it; without,
 * the newest page. Pages are newest first, with a Link header: next = older (max_id), prev = newer (min_id).
 */
function notificationsApi(all: Notification[]) {
  const ascending = [...all].sort(byId)
  return (request: PlatformRequest, baseUrl: string): PlatformReply => {
    if (request.path !== '/api/v1/notifications') return { status: 404, body: { error: 'Record not found' } }
    const limit = Number(request.query.get('limit') ?? 40)
    const minId = request.query.get('min_id')
    const page = minId ? ascending.filter((item) => byId(item, { id: minId, type: '' }) > 0).slice(0, limit) : ascending.slice(-limit)
    const newestFirst = [...page].reverse()
    const headers: Record<string, string> = {}
    if (newestFirst.length > 0) {
      const url = `${baseUrl}/api/v1/notifications?limit=${limit}&types%5B%5D=mention`
      headers.link = `<${url}&max_id=${newestFirst.at(-1)!.id}>; rel="next", <${url}&min_id=${newestFirst[0]!.id}>; rel="prev"`
    }
    return { headers, body: newestFirst }
  }
}

function reply(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: '8d7c6b5a-4e3f-4a2b-9c1d-0e9f8a7b6c5d',
    conversationKind: 'dm',
    threadKey: 'dm:tom@fosstodon.org',
    recipient: { externalId: '109876543210', handle: 'tom@fosstodon.org' },
    text: 'Sorry about that! Which firmware version is it?',
    replyToExternalId: '115812345678901234',
    replyContext: { statusId: '115812345678901234', visibility: 'direct', acct: 'tom@fosstodon.org' },
    ...overrides,
  }
}

describe('verifyWebhook', () => {
  it('accepts no request, as Mastodon is polled only', () => {
    const request = { headers: { authorization: `Bearer ${accessToken}` }, rawBody: Buffer.from(JSON.stringify(fixture('mention-direct.json'))) }

    expect(mastodonConnector.verifyWebhook(request, channelAt())).toBe(false)
  })
})

describe('dedupeKey', () => {
  it('keys a notification by its id', () => {
    const payload = fixture('mention-direct.json')

    expect(mastodonConnector.dedupeKey(payload, Buffer.from(JSON.stringify(payload)))).toBe('notification:412233445')
  })
})

describe('parse', () => {
  it('turns a direct mention into a DM with the author acct as thread', () => {
    const events = mastodonConnector.parse(fixture('mention-direct.json'), channelAt())

    expect(events).toEqual([
      {
        type: 'message',
        externalId: '115812345678901234',
        threadKey: 'dm:tom@fosstodon.org',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: {
          externalId: '109876543210',
          name: 'Tom',
          handle: 'tom@fosstodon.org',
          avatarUrl: 'https://files.social.example/cache/accounts/avatars/109/876/543/210/original/tom.png',
        },
        text: '@brand router firmware bricked my device',
        attachments: [],
        sentAt: '2026-01-01T00:19:59.000Z',
        replyContext: { statusId: '115812345678901234', visibility: 'direct', acct: 'tom@fosstodon.org' },
      },
    ])
  })

  it('turns a public reply into plain text with paragraphs, breaks, entities, its content warning and media', () => {
    const events = mastodonConnector.parse(fixture('mention-public.json'), channelAt())

    const text = [
      'Problème technique',
      '',
      "@brand Bonjour ! La mise à jour 4.2 & le routeur « AX-3000 » ne s'entendent pas :",
      '',
      '1. redémarrage en boucle',
      '2. voyant rouge <clignotant>',
      '',
      'Détails : https://forum.example.fr/t/ax-3000-boucle 😭',
    ].join('\n')
    expect(events).toEqual([
      {
        type: 'message',
        externalId: '115812345678909999',
        threadKey: 'status:115812345600000001',
        conversationKind: 'public',
        direction: 'inbound',
        contact: {
          externalId: '110223344556677',
          name: 'Camille ☕',
          handle: 'camille@piaille.fr',
          avatarUrl: 'https://files.social.example/cache/accounts/avatars/110/223/original/camille.jpg',
        },
        text,
        attachments: [{ kind: 'image', url: 'https://files.social.example/media_attachments/files/115/812/345/original/voyant.png' }],
        sentAt: '2026-01-01T00:31:01.000Z',
        replyToExternalId: '115812345600000001',
        subject: "Problème technique @brand Bonjour ! La mise à jour 4.2 & le routeur « AX-3000 » ne s'entendent pas…",
        replyContext: { statusId: '115812345678909999', visibility: 'unlisted', acct: 'camille@piaille.fr' },
      },
    ])
  })

  it('decodes an escaped entity once, not twice', () => {
    const payload = notification(5)
    ;(payload as unknown as { status: { content: string } }).status.content = '<p>write &amp;lt;b&amp;gt; &#60;3 &nbsp;&unknown;</p>'

    const [event] = mastodonConnector.parse(payload, channelAt())

    expect(event).toMatchObject({ text: 'write &lt;b&gt; <3 \u00a0&unknown;' })
  })

  it('returns no events for a notification that is not a mention', () => {
    expect(mastodonConnector.parse(fixture('favourite.json'), channelAt())).toEqual([])
  })

  it.each([
    ['a body without id', { type: 'mention' }],
    ['a mention without status', { id: '1', type: 'mention', account: { id: '2', acct: 'a' } }],
    [
      'a status with an unknown visibility',
      { ...notification(6), status: { ...(notification(6) as unknown as { status: object }).status, visibility: 'secret' } },
    ],
  ])('throws UnsupportedPayloadError for %s', (_case, payload) => {
    expect(() => mastodonConnector.parse(payload, channelAt())).toThrow(UnsupportedPayloadError)
  })
})

describe('send', () => {
  it('posts a direct status addressed to the customer, in reply, with the idempotency key', async () => {
    const platform = await startPlatform(() => ({ body: { id: '115812345678905555', visibility: 'direct' } }))

    const result = await mastodonConnector.send(reply(), channelAt(platform.url))

    expect(result).toEqual({ externalId: '115812345678905555' })
    expect(platform.requests).toMatchObject([
      {
        method: 'POST',
        path: '/api/v1/statuses',
        headers: { authorization: `Bearer ${accessToken}`, 'idempotency-key': '8d7c6b5a-4e3f-4a2b-9c1d-0e9f8a7b6c5d', 'content-type': 'application/json' },
        body: { status: '@tom@fosstodon.org Sorry about that! Which firmware version is it?', in_reply_to_id: '115812345678901234', visibility: 'direct' },
      },
    ])
  })

  it('does not address the customer twice when the text already does', async () => {
    const platform = await startPlatform(() => ({ body: { id: '115812345678905556' } }))

    await mastodonConnector.send(reply({ text: 'Hi @tom@fosstodon.org, fixed in 4.2.1.' }), channelAt(platform.url))

    expect(platform.requests[0]?.body).toMatchObject({ status: 'Hi @tom@fosstodon.org, fixed in 4.2.1.' })
  })

  it('mirrors the visibility of a public thread, with the idempotency key there too', async () => {
    const platform = await startPlatform(() => ({ body: { id: '115812345678905557' } }))
    const message = reply({
      conversationKind: 'public',
      threadKey: 'status:115812345600000001',
      text: 'Merci Camille, un correctif arrive.',
      replyToExternalId: '115812345678909999',
      replyContext: { statusId: '115812345678909999', visibility: 'unlisted', acct: 'camille@piaille.fr' },
    })

    await mastodonConnector.send(message, channelAt(platform.url))

    expect(platform.requests[0]?.body).toEqual({
      status: '@camille@piaille.fr Merci Camille, un correctif arrive.',
      in_reply_to_id: '115812345678909999',
      visibility: 'unlisted',
    })
    expect(platform.requests[0]?.headers['idempotency-key']).toBe(message.id)
  })

  it('fails for good with the instance reason when the status is invalid', async () => {
    const platform = await startPlatform(() => ({ status: 422, body: { error: 'Validation failed: Text character limit of 500 exceeded' } }))

    const error = await rejectionOf(mastodonConnector.send(reply(), channelAt(platform.url)))

    expect(error).toBeInstanceOf(ConnectorError)
    expect(error).toMatchObject({
      retryable: false,
      status: 422,
      message: 'Mastodon refused the reply: Validation failed: Text character limit of 500 exceeded',
    })
  })

  it('fails retryably until X-RateLimit-Reset when rate limited', async () => {
    const reset = new Date(Date.now() + 120_000).toISOString()
    const platform = await startPlatform(() => ({ status: 429, headers: { 'x-ratelimit-reset': reset }, body: { error: 'Too many requests' } }))

    const error = await rejectionOf(mastodonConnector.send(reply(), channelAt(platform.url)))

    expect(error).toMatchObject({ retryable: true, status: 429 })
    expect((error as ConnectorError).retryAfterMs).toBeGreaterThan(110_000)
    expect((error as ConnectorError).retryAfterMs).toBeLessThanOrEqual(120_000)
  })

  it('fails retryably on a server error', async () => {
    const platform = await startPlatform(() => ({ status: 503, body: { error: 'Service Unavailable' } }))

    const error = await rejectionOf(mastodonConnector.send(reply(), channelAt(platform.url)))

    expect(error).toMatchObject({ retryable: true, status: 503 })
  })
})

describe('poll', () => {
  it('takes the newest page of mentions on the first poll and stores the highest id', async () => {
    const platform = await startPlatform(notificationsApi([notification(412233445), notification(412233446), notification(412233447)]))

    const polled = await mastodonConnector.poll!(null, channelAt(platform.url))

    expect(platform.requests).toHaveLength(1)
    expect(platform.requests[0]?.query.getAll('types[]')).toEqual(['mention'])
    expect(platform.requests[0]?.query.get('limit')).toBe('80')
    expect(platform.requests[0]?.query.has('min_id')).toBe(false)
    expect(platform.requests[0]?.headers.authorization).toBe(`Bearer ${accessToken}`)
    expect(polled).toEqual({
      envelopes: [412233445, 412233446, 412233447].map((id) => ({ dedupeKey: `notification:${id}`, payload: notification(id) })),
      cursor: '412233447',
      hasMore: false,
    })
  })

  it('walks forward from min_id through the Link prev pages, comparing ids as numbers', async () => {
    // 99,950 … 100,119: ids grow a digit on the way, where text order and number order disagree.
    const all = Array.from({ length: 170 }, (_, index) => notification(99_950 + index))
    const platform = await startPlatform(notificationsApi(all))

    const polled = await mastodonConnector.poll!('99949', channelAt(platform.url))

    expect(platform.requests.map((request) => request.query.get('min_id'))).toEqual(['99949', '100029', '100109'])
    expect(polled.envelopes).toHaveLength(170)
    expect(polled.envelopes.at(0)?.dedupeKey).toBe('notification:99950')
    expect(polled.envelopes.at(-1)?.dedupeKey).toBe('notification:100119')
    expect(polled).toMatchObject({ cursor: '100119', hasMore: false })
  })

  it('continues from the min_id of the Link prev page', async () => {
    const platform = await startPlatform((request, baseUrl) => {
      if (request.query.get('min_id') === '100') {
        const page = Array.from({ length: 80 }, (_, index) => notification(180 - index))
        return { headers: { link: `<${baseUrl}/api/v1/notifications?min_id=175>; rel="prev"` }, body: page }
      }
      return { body: [notification(181)] }
    })

    const polled = await mastodonConnector.poll!('100', channelAt(platform.url))

    expect(platform.requests.map((request) => request.query.get('min_id'))).toEqual(['100', '175'])
    expect(polled.cursor).toBe('181')
  })

  it('stops after a few pages and reports more waiting', async () => {
    const all = Array.from({ length: 450 }, (_, index) => notification(1000 + index))
    const platform = await startPlatform(notificationsApi(all))

    const polled = await mastodonConnector.poll!('999', channelAt(platform.url))

    expect(platform.requests).toHaveLength(5)
    expect(polled.envelopes).toHaveLength(400)
    expect(polled).toMatchObject({ cursor: '1399', hasMore: true })
  })

  it('moves the cursor past notifications that are not mentions without storing them', async () => {
    const platform = await startPlatform(notificationsApi([notification(501), notification(502, 'favourite')]))

    const polled = await mastodonConnector.poll!('500', channelAt(platform.url))

    expect(polled.envelopes.map((envelope) => envelope.dedupeKey)).toEqual(['notification:501'])
    expect(polled.cursor).toBe('502')
  })

  it('keeps the cursor when nothing is newer', async () => {
    const platform = await startPlatform(notificationsApi([notification(501)]))

    const polled = await mastodonConnector.poll!('501', channelAt(platform.url))

    expect(polled).toEqual({ envelopes: [], cursor: null, hasMore: false })
  })

  it('fails retryably until X-RateLimit-Reset when rate limited', async () => {
    const reset = new Date(Date.now() + 60_000).toISOString()
    const platform = await startPlatform(() => ({ status: 429, headers: { 'x-ratelimit-reset': reset }, body: { error: 'Too many requests' } }))

    const error = await rejectionOf(mastodonConnector.poll!('1', channelAt(platform.url)))

    expect(error).toBeInstanceOf(ConnectorError)
    expect(error).toMatchObject({ retryable: true, status: 429 })
    expect((error as ConnectorError).retryAfterMs).toBeGreaterThan(50_000)
  })

  it('fails retryably on a server error', async () => {
    const platform = await startPlatform(() => ({ status: 500, body: { error: 'We are sorry, but something went wrong' } }))

    const error = await rejectionOf(mastodonConnector.poll!('1', channelAt(platform.url)))

    expect(error).toMatchObject({ retryable: true, status: 500 })
  })

  it('fails for good when the instance rejects the token', async () => {
    const platform = await startPlatform(() => ({ status: 401, body: { error: 'The access token is invalid' } }))

    const error = await rejectionOf(mastodonConnector.poll!('1', channelAt(platform.url)))

    expect(error).toMatchObject({ retryable: false, status: 401 })
  })
})
