import { createHmac, timingSafeEqual } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, startWebhookReceiver, type Simulator, type WebhookReceiver } from '../../../server/src/simulator/index.js'

let sim: Simulator
let receiver: WebhookReceiver

beforeAll(async () => {
  sim = await startSimulator({ retryScheduleMs: [20, 40], receipts: false })
  receiver = await startWebhookReceiver((request) => {
    const url = new URL(request.url, 'http://receiver')
    if (request.method !== 'GET') return undefined
    if (url.searchParams.has('crc_token')) {
      const token = url.searchParams.get('crc_token')!
      const responseToken = 'sha256=' + createHmac('sha256', 'consumer-secret').update(token).digest('base64')
      return { status: 200, body: JSON.stringify({ response_token: responseToken }), headers: { 'content-type': 'application/json' } }
    }
    const isValid = url.searchParams.get('hub.mode') === 'subscribe' && url.searchParams.get('hub.verify_token') === 'verify-me'
    return isValid ? { status: 200, body: url.searchParams.get('hub.challenge')! } : { status: 403, body: 'forbidden' }
  })
  sim.addAccount({ kind: 'facebook', externalId: '104455667788990', secrets: { appSecret: 'app-secret', accessToken: 'page-token' }, webhookUrl: receiver.url })
  sim.addAccount({
    kind: 'facebook',
    externalId: '104455667788991',
    secrets: { appSecret: 'app-secret', accessToken: 'page-token-2' },
    webhookUrl: receiver.url,
  })
  sim.addAccount({
    kind: 'x',
    externalId: '2244994945',
    secrets: { consumerSecret: 'consumer-secret', accessToken: 'x-token' },
    webhookUrl: receiver.url,
    handle: 'BrandCare',
  })
  sim.addAccount({ kind: 'telegram', externalId: '7000001', secrets: { botToken: '7000001:AAsecret', webhookSecret: 'tg-secret' }, webhookUrl: receiver.url })
})
afterAll(async () => {
  await sim.close()
  await receiver.close()
})

function reset() {
  receiver.received.length = 0
  receiver.statuses.length = 0
}

const hmacHex = (raw: Buffer, secret: string) => createHmac('sha256', secret).update(raw).digest('hex')

describe('customerWrites to a Meta account', () => {
  it('posts ASCII-only bytes with \\u escapes, signed over exactly those bytes', async () => {
    reset()

    const report = await sim.customerWrites('104455667788990', { from: { id: '6123456789012345', name: 'Zoë' }, text: 'Můj balík nedorazil 😞' })

    expect(report).toMatchObject({ attempts: 1, finalStatus: 200, delivered: true, externalId: expect.stringMatching(/^m_/) })
    const [request] = receiver.received
    const raw = request!.rawBody
    expect([...raw].every((byte) => byte < 0x7f)).toBe(true)
    expect(raw.toString()).toContain('M\\u016fj bal\\u00edk nedorazil \\ud83d\\ude1e')
    expect(request!.headers['content-type']).toBe('application/json')
    const header = String(request!.headers['x-hub-signature-256'])
    const expected = `sha256=${hmacHex(raw, 'app-secret')}`
    expect(timingSafeEqual(Buffer.from(header), Buffer.from(expected))).toBe(true)
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString())))
    expect(`sha256=${hmacHex(reserialised, 'app-secret')}`).not.toBe(header)
    expect(JSON.parse(raw.toString())).toMatchObject({
      object: 'page',
      entry: [{ id: '104455667788990', messaging: [{ message: { text: 'Můj balík nedorazil 😞' } }] }],
    })
  })

  it('retries after 500 twice and delivers on the third attempt with the same bytes', async () => {
    reset()
    receiver.statuses.push(500, 500)

    const report = await sim.customerWrites('104455667788990', { from: { id: '6123456789012345', name: 'Zoë' }, text: 'retry me' })

    expect(report).toMatchObject({ attempts: 3, finalStatus: 200, delivered: true })
    expect(receiver.received).toHaveLength(3)
    expect(new Set(receiver.received.map((request) => request.rawBody.toString())).size).toBe(1)
    expect(new Set(receiver.received.map((request) => request.headers['x-hub-signature-256'])).size).toBe(1)
  })

  it('gives up after the retry schedule', async () => {
    reset()
    receiver.statuses.push(503, 503, 503, 503)

    const report = await sim.customerWrites('104455667788990', { from: { id: '6123456789012345', name: 'Zoë' }, text: 'never' })

    expect(report).toMatchObject({ attempts: 3, finalStatus: 503, delivered: false })
  })

  it('counts a network error as a failed attempt', async () => {
    const closed = await startWebhookReceiver()
    await closed.close()
    sim.addAccount({ kind: 'instagram', externalId: '17841400000000009', secrets: { appSecret: 'app-secret' }, webhookUrl: closed.url })

    const report = await sim.customerWrites('17841400000000009', { from: { id: '1', name: 'A' }, text: 'anyone?' })

    expect(report).toMatchObject({ attempts: 3, finalStatus: 0, delivered: false })
  })
})

describe('customerWritesBatch', () => {
  it('puts several entries for several Pages into one signed POST', async () => {
    reset()

    const report = await sim.customerWritesBatch([
      { accountExternalId: '104455667788990', message: { from: { id: '61', name: 'A' }, text: 'one' } },
      { accountExternalId: '104455667788991', message: { from: { id: '62', name: 'B' }, text: 'two', kind: 'comment' } },
      { accountExternalId: '104455667788990', message: { from: { id: '63', name: 'C' }, text: 'three' } },
    ])

    expect(report).toMatchObject({ attempts: 1, delivered: true, externalIds: [expect.any(String), expect.any(String), expect.any(String)] })
    expect(receiver.received).toHaveLength(1)
    const body = JSON.parse(receiver.received[0]!.rawBody.toString())
    expect(body.entry.map((entry: { id: string }) => entry.id)).toEqual(['104455667788990', '104455667788991', '104455667788990'])
    expect(body.entry[1].changes[0].field).toBe('feed')
  })

  it('refuses to batch accounts of different Meta apps', async () => {
    sim.addAccount({ kind: 'facebook', externalId: '999', secrets: { appSecret: 'other' }, webhookUrl: receiver.url })

    await expect(
      sim.customerWritesBatch([
        { accountExternalId: '104455667788990', message: { from: { id: '61', name: 'A' }, text: 'one' } },
        { accountExternalId: '999', message: { from: { id: '62', name: 'B' }, text: 'two' } },
      ]),
    ).rejects.toThrow(/share/)
  })
})

describe('deliverRaw', () => {
  it('signs an arbitrary string body like the platform', async () => {
    reset()

    await sim.deliverRaw('104455667788990', '{"object":"page","entry":[]}')

    const request = receiver.received[0]!
    expect(request.rawBody.toString()).toBe('{"object":"page","entry":[]}')
    expect(request.headers['x-hub-signature-256']).toBe(`sha256=${hmacHex(request.rawBody, 'app-secret')}`)
  })

  it('sends a wrong or missing signature when asked, once', async () => {
    reset()
    receiver.statuses.push(403, 403)

    const bad = await sim.deliverRaw('104455667788990', { object: 'page', entry: [] }, { signature: 'sha256=00', retry: false })
    const missing = await sim.deliverRaw('104455667788990', { object: 'page', entry: [] }, { signature: false, retry: false })

    expect(bad).toMatchObject({ attempts: 1, finalStatus: 403, delivered: false })
    expect(missing.attempts).toBe(1)
    expect(receiver.received[0]!.headers['x-hub-signature-256']).toBe('sha256=00')
    expect(receiver.received[1]!.headers['x-hub-signature-256']).toBeUndefined()
  })
})

describe('X webhooks', () => {
  it('signs Account Activity events with sha256=<base64 HMAC> of the raw body', async () => {
    reset()

    const report = await sim.customerWrites('2244994945', { from: { id: '3805104374', name: 'Sam P', handle: 'samp' }, text: 'Charged twice' })

    expect(report.delivered).toBe(true)
    const request = receiver.received[0]!
    expect(request.headers['x-twitter-webhooks-signature']).toBe('sha256=' + createHmac('sha256', 'consumer-secret').update(request.rawBody).digest('base64'))
    expect(JSON.parse(request.rawBody.toString())).toMatchObject({ for_user_id: '2244994945', direct_message_events: [{ type: 'message_create' }] })
  })

  it('passes a CRC check when the receiver answers the right response_token', async () => {
    const report = await sim.crcCheck('2244994945')

    expect(report.ok).toBe(true)
    expect(report.status).toBe(200)
  })

  it('fails a CRC check when the receiver uses the wrong secret', async () => {
    sim.addAccount({ kind: 'x', externalId: '2244994946', secrets: { consumerSecret: 'another-secret' }, webhookUrl: receiver.url })

    expect((await sim.crcCheck('2244994946')).ok).toBe(false)
  })
})

describe('verifySubscription', () => {
  it('succeeds when the endpoint echoes hub.challenge for the right verify token', async () => {
    expect(await sim.verifySubscription('104455667788990', 'verify-me')).toMatchObject({ ok: true, status: 200 })
  })

  it('fails when the endpoint refuses the verify token', async () => {
    expect(await sim.verifySubscription('104455667788990', 'wrong')).toMatchObject({ ok: false, status: 403 })
  })
})

describe('Telegram webhook mode', () => {
  it('posts one Update per request with X-Telegram-Bot-Api-Secret-Token', async () => {
    reset()

    const first = await sim.customerWrites('7000001', { from: { id: '58212345', name: 'Lena' }, text: 'eins' })
    const second = await sim.customerWrites('7000001', { from: { id: '58212345', name: 'Lena' }, text: 'zwei' })

    expect(first.delivered && second.delivered).toBe(true)
    expect(receiver.received).toHaveLength(2)
    const updates = receiver.received.map((request) => JSON.parse(request.rawBody.toString()))
    expect(receiver.received.every((request) => request.headers['x-telegram-bot-api-secret-token'] === 'tg-secret')).toBe(true)
    expect(updates[1].update_id).toBe(updates[0].update_id + 1)
    expect(updates[0].message.text).toBe('eins')
    expect(first.externalId).toBe(`58212345:${updates[0].message.message_id}`)
  })
})
