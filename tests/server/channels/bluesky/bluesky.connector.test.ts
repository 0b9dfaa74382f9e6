import { readFileSync } from 'node:fs'
import { beforeEach, describe, expect, it } from 'vitest'
import { rejectionOf, startPlatform, type PlatformReply, type PlatformRequest } from '../../../support/platform-server.js'
import { blueskyConnector, clearBlueskySessions } from '../../../../server/src/channels/bluesky/bluesky.connector.js'
import { replyRecordKey } from '../../../../server/src/channels/bluesky/bluesky.record-key.js'
import { type ChannelRuntime, ConnectorError, type OutboundMessage, UnsupportedPayloadError } from '../../../../server/src/channels/connector.js'
import { startSimulator } from '../../../../server/src/simulator/index.js'

const ourDid = 'did:plc:brandexample'
const identifier = 'brand.com'
const appPassword = 'abcd-efgh-ijkl-mnop'

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/bluesky/${name}`, import.meta.url), 'utf8'))
}

function channelAt(apiBaseUrl = 'https://bsky.social'): ChannelRuntime {
  return {
    id: 'a6f1c0de-0000-4000-8000-000000000008',
    kind: 'bluesky',
    externalId: ourDid,
    config: { apiBaseUrl, mode: 'polling', handle: 'brand.com' },
    secrets: { identifier, appPassword },
  }
}

beforeEach(() => {
  clearBlueskySessions()
})

interface Notification {
  uri: string
  reason: string
  indexedAt: string
}

/** A mention indexed `minute` minutes after 2026-01-01T00:00Z (plus `ms`). */
function notification(minute: number, reason = 'mention', ms = 0): Notification {
  const indexedAt = new Date(Date.UTC(2026, 0, 1, 0, minute, 0, ms)).toISOString()
  return {
    uri: `at://did:plc:customer${minute}/app.bsky.feed.post/3m${minute}x${ms}`,
    cid: `bafyrei${minute}x${ms}`,
    author: { did: `did:plc:customer${minute}`, handle: `c${minute}.bsky.social` },
    reason,
    record: { $type: 'app.bsky.feed.post', text: `Problem ${minute}`, createdAt: indexedAt },
    isRead: false,
    indexedAt,
  } as Notification
}

/**
 * A PDS as Bluesky runs it: app-password logins, rotating refresh tokens, access tokens that can be expired
 * on demand, listNotifications newest first with an opaque cursor paging back in time, and createRecord.
 */
function pds(notifications: Notification[] = []) {
  const state = { logins: 0, refreshes: 0, access: '', refresh: '', isRefreshRefused: false, created: [] as unknown[] }
  const newestFirst = [...notifications].sort((a, b) => Date.parse(b.indexedAt) - Date.parse(a.indexedAt))
  const issue = () => {
    state.access = `access-${state.logins}-${state.refreshes}`
    state.refresh = `refresh-${state.logins}-${state.refreshes}`
    return { accessJwt: state.access, refreshJwt: state.refresh, handle: identifier, did: ourDid }
  }
  const answer = (request: PlatformRequest): PlatformReply => {
    const bearer = request.headers.authorization?.replace(/^Bearer /, '')
    switch (request.path) {
      case '/xrpc/com.atproto.server.createSession': {
        const { identifier: id, password } = request.body as { identifier: string; password: string }
        if (id !== identifier || password !== appPassword)
          return { status: 401, body: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' } }
        state.logins++
        return { body: issue() }
      }
      case '/xrpc/com.atproto.server.refreshSession':
        if (state.isRefreshRefused || bearer !== state.refresh) return { status: 400, body: { error: 'ExpiredToken', message: 'Token has been revoked' } }
        state.refreshes++
        return { body: issue() }
    }
    if (bearer !== state.access) return { status: 400, body: { error: 'ExpiredToken', message: 'Token has expired' } }
    if (request.path === '/xrpc/app.bsky.notification.listNotifications') {
      const limit = Number(request.query.get('limit') ?? 50)
      const start = Number(request.query.get('cursor') ?? 0)
      const page = newestFirst.slice(start, start + limit)
      const more = start + limit < newestFirst.length
      return { body: { notifications: page, ...(more && { cursor: String(start + limit) }), priority: false } }
    }
    if (request.path === '/xrpc/com.atproto.repo.createRecord') {
      state.created.push(request.body)
      return { body: { uri: `at://${ourDid}/app.bsky.feed.post/3mreply${state.created.length}`, cid: 'bafyreireplycid', validationStatus: 'valid' } }
    }
    return { status: 404, body: { error: 'MethodNotImplemented' } }
  }
  return { state, answer, expireAccess: () => (state.access = 'expired') }
}

function reply(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: '3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b',
    conversationKind: 'public',
    threadKey: 'post:at://did:plc:4xq7kzexampleaaaaaaaaaaa/app.bsky.feed.post/3mabcde2fgh2k',
    recipient: { externalId: 'did:plc:7yj2examplebbbbbbbbbbbbb', handle: 'yuki.bsky.social' },
    text: 'ご不便をおかけして申し訳ありません。DMで詳細をお送りください。',
    replyToExternalId: 'at://did:plc:7yj2examplebbbbbbbbbbbbb/app.bsky.feed.post/3mabcfq7xyz2p',
    replyContext: {
      uri: 'at://did:plc:7yj2examplebbbbbbbbbbbbb/app.bsky.feed.post/3mabcfq7xyz2p',
      cid: 'bafyreireplyexampleexampleexampleexampleexampleexampleaa',
      rootUri: 'at://did:plc:4xq7kzexampleaaaaaaaaaaa/app.bsky.feed.post/3mabcde2fgh2k',
      rootCid: 'bafyreigh2akiscaildcexampleexampleexampleexampleexamplez',
    },
    ...overrides,
  }
}

describe('verifyWebhook', () => {
  it('accepts no request, as Bluesky is polled only', () => {
    const request = { headers: {}, rawBody: Buffer.from(JSON.stringify(fixture('mention.json'))) }

    expect(blueskyConnector.verifyWebhook(request, channelAt())).toBe(false)
  })
})

describe('dedupeKey', () => {
  it('keys a notification by its uri', () => {
    const payload = fixture('mention.json')

    expect(blueskyConnector.dedupeKey(payload, Buffer.from(JSON.stringify(payload)))).toBe(
      'at://did:plc:4xq7kzexampleaaaaaaaaaaa/app.bsky.feed.post/3mabcde2fgh2k',
    )
  })
})

describe('parse', () => {
  it('turns a mention into a public message that is its own thread root', () => {
    const events = blueskyConnector.parse(fixture('mention.json'), channelAt())

    expect(events).toEqual([
      {
        type: 'message',
        externalId: 'at://did:plc:4xq7kzexampleaaaaaaaaaaa/app.bsky.feed.post/3mabcde2fgh2k',
        threadKey: 'post:at://did:plc:4xq7kzexampleaaaaaaaaaaa/app.bsky.feed.post/3mabcde2fgh2k',
        conversationKind: 'public',
        direction: 'inbound',
        contact: {
          externalId: 'did:plc:4xq7kzexampleaaaaaaaaaaa',
          handle: 'ines.bsky.social',
          name: 'Inês',
          avatarUrl: 'https://cdn.bsky.app/img/avatar/plain/did:plc:4xq7kzexampleaaaaaaaaaaa/bafkreiavatarexample@jpeg',
        },
        text: '@brand.com a minha assinatura renovou depois de eu cancelar 😤',
        attachments: [],
        sentAt: '2026-01-01T00:25:00.000Z',
        subject: '@brand.com a minha assinatura renovou depois de eu cancelar 😤',
        replyContext: {
          uri: 'at://did:plc:4xq7kzexampleaaaaaaaaaaa/app.bsky.feed.post/3mabcde2fgh2k',
          cid: 'bafyreigh2akiscaildcexampleexampleexampleexampleexamplez',
          rootUri: 'at://did:plc:4xq7kzexampleaaaaaaaaaaa/app.bsky.feed.post/3mabcde2fgh2k',
          rootCid: 'bafyreigh2akiscaildcexampleexampleexampleexampleexamplez',
        },
      },
    ])
  })

  it('puts a reply in the thread of its root, with its parent and images', () => {
    const events = blueskyConnector.parse(fixture('reply.json'), channelAt())

    expect(events).toEqual([
      {
        type: 'message',
        externalId: 'at://did:plc:7yj2examplebbbbbbbbbbbbb/app.bsky.feed.post/3mabcfq7xyz2p',
        threadKey: 'post:at://did:plc:4xq7kzexampleaaaaaaaaaaa/app.bsky.feed.post/3mabcde2fgh2k',
        conversationKind: 'public',
        direction: 'inbound',
        contact: { externalId: 'did:plc:7yj2examplebbbbbbbbbbbbb', handle: 'yuki.bsky.social', name: 'ゆき' },
        text: '返金の手続きはまだですか？スクリーンショットを添付します。',
        attachments: [{ kind: 'image', mediaId: 'bafkreiimageexampleexampleexampleexampleexampleexample01', mimeType: 'image/jpeg' }],
        sentAt: '2026-01-01T00:40:00.000Z',
        replyToExternalId: 'at://did:plc:brandexample/app.bsky.feed.post/3mabcef5abc2x',
        subject: '返金の手続きはまだですか？スクリーンショットを添付します。',
        replyContext: {
          uri: 'at://did:plc:7yj2examplebbbbbbbbbbbbb/app.bsky.feed.post/3mabcfq7xyz2p',
          cid: 'bafyreireplyexampleexampleexampleexampleexampleexampleaa',
          rootUri: 'at://did:plc:4xq7kzexampleaaaaaaaaaaa/app.bsky.feed.post/3mabcde2fgh2k',
          rootCid: 'bafyreigh2akiscaildcexampleexampleexampleexampleexamplez',
        },
      },
    ])
  })

  it('marks as echo a post by our own account', () => {
    const payload = { ...notification(3, 'quote'), author: { did: ourDid, handle: 'brand.com' } }

    const [event] = blueskyConnector.parse(payload, channelAt())

    expect(event).toMatchObject({ type: 'message', direction: 'echo' })
  })

  it('returns no events for a like', () => {
    expect(blueskyConnector.parse(fixture('like.json'), channelAt())).toEqual([])
  })

  it.each([
    ['a body without uri', { reason: 'mention' }],
    ['a mention without author', { uri: 'at://x', cid: 'b', reason: 'mention', record: {} }],
    ['a mention without cid', { ...notification(1), cid: undefined }],
  ])('throws UnsupportedPayloadError for %s', (_case, payload) => {
    expect(() => blueskyConnector.parse(payload, channelAt())).toThrow(UnsupportedPayloadError)
  })
})

describe('send', () => {
  it('logs in and creates a reply post in our repo under the root and parent', async () => {
    const platform = pds()
    const server = await startPlatform(platform.answer)

    const result = await blueskyConnector.send(reply(), channelAt(server.url))

    expect(result).toEqual({ externalId: `at://${ourDid}/app.bsky.feed.post/3mreply1` })
    expect(server.requests.map((request) => request.path)).toEqual(['/xrpc/com.atproto.server.createSession', '/xrpc/com.atproto.repo.createRecord'])
    expect(server.requests[0]?.body).toEqual({ identifier, password: appPassword })
    expect(server.requests[1]?.headers.authorization).toBe('Bearer access-1-0')
    expect(platform.state.created).toEqual([
      {
        repo: ourDid,
        collection: 'app.bsky.feed.post',
        rkey: expect.stringMatching(/^[234567a-j][234567a-z]{12}$/),
        record: {
          $type: 'app.bsky.feed.post',
          text: 'ご不便をおかけして申し訳ありません。DMで詳細をお送りください。',
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          reply: {
            root: {
              uri: 'at://did:plc:4xq7kzexampleaaaaaaaaaaa/app.bsky.feed.post/3mabcde2fgh2k',
              cid: 'bafyreigh2akiscaildcexampleexampleexampleexampleexamplez',
            },
            parent: {
              uri: 'at://did:plc:7yj2examplebbbbbbbbbbbbb/app.bsky.feed.post/3mabcfq7xyz2p',
              cid: 'bafyreireplyexampleexampleexampleexampleexampleexampleaa',
            },
          },
        },
      },
    ])
  })

  it('uses the parent as root when the post answered starts its thread', async () => {
    const platform = pds()
    const server = await startPlatform(platform.answer)

    await blueskyConnector.send(reply({ replyContext: { uri: 'at://did:plc:a/app.bsky.feed.post/1', cid: 'bafyone' } }), channelAt(server.url))

    expect(platform.state.created).toMatchObject([
      {
        record: {
          reply: {
            root: { uri: 'at://did:plc:a/app.bsky.feed.post/1', cid: 'bafyone' },
            parent: { uri: 'at://did:plc:a/app.bsky.feed.post/1', cid: 'bafyone' },
          },
        },
      },
    ])
  })

  it('refreshes an expired access token once and retries, without logging in again', async () => {
    const platform = pds()
    const server = await startPlatform(platform.answer)
    const channel = channelAt(server.url)
    await blueskyConnector.send(reply(), channel)
    platform.expireAccess()

    const result = await blueskyConnector.send(reply(), channel)

    expect(result).toEqual({ externalId: `at://${ourDid}/app.bsky.feed.post/3mreply2` })
    expect(server.requests.slice(2).map((request) => [request.path, request.headers.authorization])).toEqual([
      ['/xrpc/com.atproto.repo.createRecord', 'Bearer access-1-0'],
      ['/xrpc/com.atproto.server.refreshSession', 'Bearer refresh-1-0'],
      ['/xrpc/com.atproto.repo.createRecord', 'Bearer access-1-1'],
    ])
    expect(platform.state.logins).toBe(1)
  })

  it('fails for good without calling Bluesky when asked for a DM', async () => {
    const server = await startPlatform(pds().answer)

    const error = await rejectionOf(blueskyConnector.send(reply({ conversationKind: 'dm' }), channelAt(server.url)))

    expect(error).toBeInstanceOf(ConnectorError)
    expect(error).toMatchObject({ retryable: false })
    expect(server.requests).toEqual([])
  })

  it('fails for good when the post answered has no uri and cid', async () => {
    const server = await startPlatform(pds().answer)

    const error = await rejectionOf(blueskyConnector.send(reply({ replyContext: {} }), channelAt(server.url)))

    expect(error).toMatchObject({ retryable: false, message: 'A Bluesky reply needs the uri and cid of the post it answers' })
  })

  it('fails for good with the XRPC message when the record is invalid', async () => {
    const platform = pds()
    const server = await startPlatform((request) =>
      request.path.endsWith('createRecord')
        ? { status: 400, body: { error: 'InvalidRequest', message: 'Record/text must not be longer than 300 graphemes' } }
        : platform.answer(request),
    )

    const error = await rejectionOf(blueskyConnector.send(reply(), channelAt(server.url)))

    expect(error).toMatchObject({
      retryable: false,
      status: 400,
      platformCode: 'InvalidRequest',
      message: 'Bluesky refused the reply: Record/text must not be longer than 300 graphemes',
    })
  })
})

describe('poll', () => {
  it('takes the newest page on the first poll and stores the newest indexedAt', async () => {
    const platform = pds([notification(1), notification(2), notification(3, 'reply'), notification(4, 'quote')])
    const server = await startPlatform(platform.answer)

    const polled = await blueskyConnector.poll!(null, channelAt(server.url))

    const list = server.requests.filter((request) => request.path === '/xrpc/app.bsky.notification.listNotifications')
    expect(list).toHaveLength(1)
    expect(list[0]?.query.get('limit')).toBe('100')
    expect(list[0]?.query.getAll('reasons')).toEqual(['mention', 'reply', 'quote'])
    expect(list[0]?.query.has('cursor')).toBe(false)
    expect(polled).toEqual({
      envelopes: [1, 2, 3, 4].map((minute) => ({
        dedupeKey: `at://did:plc:customer${minute}/app.bsky.feed.post/3m${minute}x0`,
        payload: expect.objectContaining({ uri: `at://did:plc:customer${minute}/app.bsky.feed.post/3m${minute}x0` }),
      })),
      cursor: '2026-01-01T00:04:00.000Z',
      hasMore: false,
    })
  })

  it('walks pages back in time until the stored mark and returns what is newer, oldest first', async () => {
    const older = Array.from({ length: 30 }, (_, index) => notification(10, 'mention', index))
    const newer = Array.from({ length: 250 }, (_, index) => notification(20, 'mention', index))
    const platform = pds([...older, ...newer])
    const server = await startPlatform(platform.answer)

    const polled = await blueskyConnector.poll!('2026-01-01T00:10:00.029Z', channelAt(server.url))

    const list = server.requests.filter((request) => request.path === '/xrpc/app.bsky.notification.listNotifications')
    expect(list.map((request) => request.query.get('cursor'))).toEqual([null, '100', '200'])
    expect(polled.envelopes).toHaveLength(250)
    expect(polled.envelopes[0]?.dedupeKey).toBe('at://did:plc:customer20/app.bsky.feed.post/3m20x0')
    expect(polled.envelopes.at(-1)?.dedupeKey).toBe('at://did:plc:customer20/app.bsky.feed.post/3m20x249')
    expect(polled.cursor).toBe('2026-01-01T00:20:00.249Z')
  })

  it('leaves out other reasons the server sends, while moving the mark past them', async () => {
    const platform = pds([notification(5), notification(6, 'like')])
    const server = await startPlatform(platform.answer)

    const polled = await blueskyConnector.poll!('2026-01-01T00:04:00.000Z', channelAt(server.url))

    expect(polled.envelopes.map((envelope) => envelope.dedupeKey)).toEqual(['at://did:plc:customer5/app.bsky.feed.post/3m5x0'])
    expect(polled.cursor).toBe('2026-01-01T00:06:00.000Z')
  })

  it('keeps the mark when nothing is newer', async () => {
    const platform = pds([notification(5)])
    const server = await startPlatform(platform.answer)

    const polled = await blueskyConnector.poll!('2026-01-01T00:05:00.000Z', channelAt(server.url))

    expect(polled).toEqual({ envelopes: [], cursor: null, hasMore: false })
  })

  it('stops after ten pages', async () => {
    const platform = pds(Array.from({ length: 1100 }, (_, index) => notification(30, 'mention', index)))
    const server = await startPlatform(platform.answer)

    const polled = await blueskyConnector.poll!('2026-01-01T00:00:00.000Z', channelAt(server.url))

    expect(server.requests.filter((request) => request.path.endsWith('listNotifications'))).toHaveLength(10)
    expect(polled.envelopes).toHaveLength(1000)
    expect(polled.cursor).toBe('2026-01-01T00:30:01.099Z')
  })

  it('logs in once for many polls', async () => {
    const platform = pds([notification(1)])
    const server = await startPlatform(platform.answer)
    const channel = channelAt(server.url)

    await blueskyConnector.poll!(null, channel)
    await blueskyConnector.poll!('2026-01-01T00:01:00.000Z', channel)
    await blueskyConnector.poll!('2026-01-01T00:01:00.000Z', channel)

    expect(platform.state.logins).toBe(1)
    expect(server.requests.filter((request) => request.path.endsWith('createSession'))).toHaveLength(1)
  })

  it('refreshes an expired access token and retries the page', async () => {
    const platform = pds([notification(1)])
    const server = await startPlatform(platform.answer)
    const channel = channelAt(server.url)
    await blueskyConnector.poll!('2026-01-01T00:02:00.000Z', channel)
    platform.expireAccess()

    const polled = await blueskyConnector.poll!(null, channel)

    expect(polled.envelopes).toHaveLength(1)
    expect(platform.state).toMatchObject({ logins: 1, refreshes: 1 })
  })

  it('logs in again only when the refresh token is refused', async () => {
    const platform = pds([notification(1)])
    const server = await startPlatform(platform.answer)
    const channel = channelAt(server.url)
    await blueskyConnector.poll!('2026-01-01T00:02:00.000Z', channel)
    platform.expireAccess()
    platform.state.isRefreshRefused = true

    const polled = await blueskyConnector.poll!(null, channel)

    expect(polled.envelopes).toHaveLength(1)
    expect(server.requests.slice(2).map((request) => request.path)).toEqual([
      '/xrpc/app.bsky.notification.listNotifications',
      '/xrpc/com.atproto.server.refreshSession',
      '/xrpc/com.atproto.server.createSession',
      '/xrpc/app.bsky.notification.listNotifications',
    ])
    expect(platform.state.logins).toBe(2)
  })

  it('fails for good when Bluesky rejects the app password', async () => {
    const server = await startPlatform(pds().answer)
    const channel = { ...channelAt(server.url), secrets: { identifier, appPassword: 'wrong-pass-word-0000' } }

    const error = await rejectionOf(blueskyConnector.poll!(null, channel))

    expect(error).toBeInstanceOf(ConnectorError)
    expect(error).toMatchObject({ retryable: false, status: 401, message: 'Bluesky rejected the identifier or app password' })
  })

  it('fails retryably until RateLimit-Reset when rate limited', async () => {
    const platform = pds()
    const reset = Math.floor(Date.now() / 1000) + 300
    const server = await startPlatform((request) =>
      request.path.endsWith('listNotifications')
        ? {
            status: 429,
            headers: { 'ratelimit-limit': '3000', 'ratelimit-remaining': '0', 'ratelimit-reset': String(reset) },
            body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' },
          }
        : platform.answer(request),
    )

    const error = await rejectionOf(blueskyConnector.poll!(null, channelAt(server.url)))

    expect(error).toMatchObject({ retryable: true, status: 429, platformCode: 'RateLimitExceeded' })
    expect((error as ConnectorError).retryAfterMs).toBeGreaterThan(290_000)
    expect((error as ConnectorError).retryAfterMs).toBeLessThanOrEqual(300_000)
  })

  it('fails retryably on a server error', async () => {
    const platform = pds()
    const server = await startPlatform((request) =>
      request.path.endsWith('listNotifications')
        ? { status: 500, body: { error: 'InternalServerError', message: 'Internal Server Error' } }
        : platform.answer(request),
    )

    const error = await rejectionOf(blueskyConnector.poll!(null, channelAt(server.url)))

    expect(error).toMatchObject({ retryable: true, status: 500 })
  })
})

describe('replyRecordKey', () => {
  it('gives each reply one valid TID, the same on every attempt', () => {
    const key = replyRecordKey('3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b')

    expect(key).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/)
    expect(replyRecordKey('3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b')).toBe(key)
    expect(replyRecordKey('3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0c')).not.toBe(key)
  })
})

describe('send, repeated after an unknown outcome', () => {
  async function simulatedPds() {
    const sim = await startSimulator({ receipts: false })
    sim.addAccount({ kind: 'bluesky', externalId: ourDid, secrets: { identifier, appPassword }, handle: 'brand.com' })
    return sim
  }

  it('returns the first post and leaves one post in the repo when the same reply is sent again', async () => {
    const sim = await simulatedPds()
    const channel = channelAt(sim.apiBaseUrl('bluesky'))
    try {
      const first = await blueskyConnector.send(reply(), channel)
      const again = await blueskyConnector.send(reply(), channel)
      const other = await blueskyConnector.send(reply({ id: '9c8b7a6f-5e4d-4c3b-8a2f-1e0d9c8b7a6f' }), channel)

      expect(first.externalId).toMatch(new RegExp(`^at://${ourDid}/app\\.bsky\\.feed\\.post/[234567a-j][234567a-z]{12}$`))
      expect(again).toEqual(first)
      expect(other.externalId).not.toBe(first.externalId)
      const creates = sim.sends.filter((send) => send.path.endsWith('com.atproto.repo.createRecord'))
      expect(creates.map((send) => [send.responseStatus, send.platformMessageId])).toEqual([
        [200, first.externalId],
        [500, undefined],
        [200, other.externalId],
      ])
    } finally {
      await sim.close()
    }
  })

  it('reports the refusal when the post is not there after all', async () => {
    const sim = await simulatedPds()
    sim.injectFault({ kind: 'bluesky', endpoint: 'send', type: '500', count: 1 })
    try {
      const error = await rejectionOf(blueskyConnector.send(reply(), channelAt(sim.apiBaseUrl('bluesky'))))

      expect(error).toBeInstanceOf(ConnectorError)
      expect(error).toMatchObject({ status: 500, retryable: true, outcome: 'rejected' })
    } finally {
      await sim.close()
    }
  })
})
