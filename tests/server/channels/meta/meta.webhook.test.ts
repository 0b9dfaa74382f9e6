import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { UnsupportedPayloadError, type ChannelRuntime } from '../../../../server/src/channels/connector.js'
import { facebookConnector } from '../../../../server/src/channels/meta/facebook.connector.js'
import { instagramConnector } from '../../../../server/src/channels/meta/instagram.connector.js'
import { canonicalJson, metaDedupeKey, metaHandshake, splitMetaWebhook, verifyMetaSignature } from '../../../../server/src/channels/meta/meta.webhook.js'
import { whatsappConnector } from '../../../../server/src/channels/meta/whatsapp.connector.js'

function rawFixture(name: string): Buffer {
  return readFileSync(new URL(`../../../fixtures/${name}`, import.meta.url))
}

function fixture(name: string): unknown {
  return JSON.parse(rawFixture(name).toString('utf8'))
}

function sign(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

function pageChannel(secrets: ChannelRuntime['secrets']): ChannelRuntime {
  return {
    id: 'channel-1',
    kind: 'facebook',
    externalId: '104455667788990',
    config: { apiBaseUrl: 'http://127.0.0.1:1/v21.0', mode: 'webhook' },
    secrets,
  }
}

describe('verifyMetaSignature', () => {
  const appSecret = 'app-secret-for-tests'

  it('accepts a signature computed over the raw bytes', () => {
    const raw = rawFixture('facebook/unicode-escaped.json')

    const isValid = verifyMetaSignature(raw, sign(raw, appSecret), appSecret)

    expect(isValid).toBe(true)
  })

  it('rejects a signature made with another secret', () => {
    const raw = rawFixture('facebook/unicode-escaped.json')

    const isValid = verifyMetaSignature(raw, sign(raw, 'someone-elses-secret'), appSecret)

    expect(isValid).toBe(false)
  })

  it('rejects a signature computed over re-serialised JSON when the body escapes non-ASCII', () => {
    const raw = rawFixture('facebook/unicode-escaped.json')
    const reserialised = JSON.stringify(JSON.parse(raw.toString('utf8')))

    const isValid = verifyMetaSignature(raw, sign(reserialised, appSecret), appSecret)

    expect(raw.toString('utf8')).toContain('\\u00e9')
    expect(isValid).toBe(false)
  })

  it('rejects a request without the header', () => {
    const raw = rawFixture('facebook/unicode-escaped.json')

    const isValid = verifyMetaSignature(raw, undefined, appSecret)

    expect(isValid).toBe(false)
  })

  it('rejects the legacy sha1 signature format', () => {
    const raw = rawFixture('facebook/unicode-escaped.json')
    const sha1 = `sha1=${createHmac('sha1', appSecret).update(raw).digest('hex')}`

    const isValid = verifyMetaSignature(raw, sha1, appSecret)

    expect(isValid).toBe(false)
  })

  it('rejects a truncated signature without throwing', () => {
    const raw = rawFixture('facebook/unicode-escaped.json')

    const isValid = verifyMetaSignature(raw, sign(raw, appSecret).slice(0, 40), appSecret)

    expect(isValid).toBe(false)
  })

  it('rejects everything when the app secret is empty', () => {
    const raw = rawFixture('facebook/unicode-escaped.json')

    const isValid = verifyMetaSignature(raw, sign(raw, ''), '')

    expect(isValid).toBe(false)
  })
})

describe('facebookConnector.verifyWebhook', () => {
  it('reads X-Hub-Signature-256 and the channel app secret', () => {
    const raw = rawFixture('facebook/messenger-batch.json')
    const channel = pageChannel({ appSecret: 'page-app-secret' })

    const isValid = facebookConnector.verifyWebhook({ headers: { 'x-hub-signature-256': sign(raw, 'page-app-secret') }, rawBody: raw }, channel)

    expect(isValid).toBe(true)
  })

  it('rejects when the channel has no app secret', () => {
    const raw = rawFixture('facebook/messenger-batch.json')
    const channel = pageChannel({})

    const isValid = facebookConnector.verifyWebhook({ headers: { 'x-hub-signature-256': sign(raw, '') }, rawBody: raw }, channel)

    expect(isValid).toBe(false)
  })
})

describe('metaHandshake', () => {
  it('answers the challenge when the mode is subscribe and the token matches', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' }

    const answer = metaHandshake(query, 'verify-me')

    expect(answer).toEqual({ status: 200, body: '1158201444' })
  })

  it('answers 403 when the token differs', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1158201444' }

    const answer = metaHandshake(query, 'verify-me')

    expect(answer).toEqual({ status: 403, body: { error: { code: 'forbidden', message: 'The verify token does not match this channel' } } })
  })

  it('answers 403 when the mode is not subscribe', () => {
    const query = { 'hub.mode': 'unsubscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' }

    const answer = metaHandshake(query, 'verify-me')

    expect(answer.status).toBe(403)
  })

  it('answers 403 when the channel has no verify token', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': '1158201444' }

    const answer = metaHandshake(query, undefined)

    expect(answer.status).toBe(403)
  })
})

describe('connector handshake', () => {
  it.each([
    ['facebook', facebookConnector],
    ['instagram', instagramConnector],
    ['whatsapp', whatsappConnector],
  ] as const)('uses secrets.webhookSecret as the verify token for %s', (_kind, connector) => {
    const channel = pageChannel({ webhookSecret: 'stored-verify-token' })
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'stored-verify-token', 'hub.challenge': '42' }

    const answer = connector.handshake(query, channel)

    expect(answer).toEqual({ status: 200, body: '42' })
  })
})

describe('splitMetaWebhook', () => {
  it('makes one envelope per Page entry, routed by entry id', () => {
    const body = {
      object: 'page',
      entry: [
        { id: '111', time: 1, messaging: [{ sender: { id: 'a' } }] },
        { id: '222', time: 2, changes: [{ field: 'feed', value: {} }] },
      ],
    }

    const envelopes = splitMetaWebhook(body)

    expect(envelopes).toEqual([
      { object: 'page', routingId: '111', payload: { object: 'page', entry: [{ id: '111', time: 1, messaging: [{ sender: { id: 'a' } }] }] } },
      { object: 'page', routingId: '222', payload: { object: 'page', entry: [{ id: '222', time: 2, changes: [{ field: 'feed', value: {} }] }] } },
    ])
  })

  it('routes Instagram entries by account id', () => {
    const body = fixture('instagram/dm.json')

    const envelopes = splitMetaWebhook(body)

    expect(envelopes.map((e) => [e.object, e.routingId])).toEqual([['instagram', '17841400000000001']])
    expect(envelopes[0]?.payload).toEqual(body)
  })

  it('makes one WhatsApp envelope per change, routed by phone_number_id', () => {
    const body = fixture('whatsapp/batch.json') as { entry: { changes: unknown[] }[] }

    const envelopes = splitMetaWebhook(body)

    const [first, second] = body.entry[0]?.changes ?? []
    expect(envelopes).toEqual([
      {
        object: 'whatsapp_business_account',
        routingId: '130000000000002',
        payload: { object: 'whatsapp_business_account', entry: [{ id: '120000000000001', changes: [first] }] },
      },
      {
        object: 'whatsapp_business_account',
        routingId: '130000000000003',
        payload: { object: 'whatsapp_business_account', entry: [{ id: '120000000000001', changes: [second] }] },
      },
    ])
  })

  it('routes a WhatsApp account-level change by the business account id', () => {
    const body = fixture('whatsapp/unknown-field.json')

    const envelopes = splitMetaWebhook(body)

    expect(envelopes.map((e) => e.routingId)).toEqual(['120000000000001'])
  })

  it('returns no envelope for an empty entry array', () => {
    const envelopes = splitMetaWebhook({ object: 'page', entry: [] })

    expect(envelopes).toEqual([])
  })

  it.each([
    ['a string', 'hello'],
    ['null', null],
    ['an unknown object', { object: 'user', entry: [] }],
    ['a body without entry', { object: 'page' }],
    ['an entry without id', { object: 'page', entry: [{ messaging: [] }] }],
  ])('throws UnsupportedPayloadError for %s', (_what, body) => {
    expect(() => splitMetaWebhook(body)).toThrow(UnsupportedPayloadError)
  })
})

describe('metaDedupeKey', () => {
  it('gives the same key to a retried delivery of the same entry, whatever its key order', () => {
    const first = { object: 'page', entry: [{ id: '111', time: 1767225600123, messaging: [{ sender: { id: 'a' }, timestamp: 5 }] }] }
    const retry = { entry: [{ messaging: [{ timestamp: 5, sender: { id: 'a' } }], time: 1767225609999, id: '111' }], object: 'page' }

    const keys = [metaDedupeKey('facebook', first), metaDedupeKey('facebook', retry)]

    expect(keys[0]).toMatch(/^facebook:[0-9a-f]{64}$/)
    expect(keys[1]).toBe(keys[0])
  })

  it('gives different keys to different events', () => {
    const read = { object: 'page', entry: [{ id: '111', messaging: [{ read: { watermark: 1 } }] }] }
    const later = { object: 'page', entry: [{ id: '111', messaging: [{ read: { watermark: 2 } }] }] }

    const keys = [metaDedupeKey('facebook', read), metaDedupeKey('facebook', later)]

    expect(keys[1]).not.toBe(keys[0])
  })

  it('prefixes the kind so the same payload differs across kinds', () => {
    const payload = fixture('instagram/dm.json')

    const key = instagramConnector.dedupeKey(payload, Buffer.from(''))

    expect(key).toMatch(/^instagram:/)
    expect(key.slice('instagram:'.length)).toBe(metaDedupeKey('facebook', payload).slice('facebook:'.length))
  })
})

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    const text = canonicalJson({ b: [{ d: 1, c: 2 }, 3], a: 'x', skipped: undefined })

    expect(text).toBe('{"a":"x","b":[{"c":2,"d":1},3]}')
  })
})
