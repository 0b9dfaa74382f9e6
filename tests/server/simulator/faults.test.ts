import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'

let sim: Simulator

beforeAll(async () => {
  sim = await startSimulator({ receipts: false })
  sim.addAccount({ kind: 'facebook', externalId: '1044', secrets: { accessToken: 'fb' } })
  sim.addAccount({ kind: 'whatsapp', externalId: '1300', secrets: { accessToken: 'wa' } })
  sim.addAccount({ kind: 'telegram', externalId: '7001', secrets: { botToken: '7001:AA' } })
  sim.addAccount({ kind: 'x', externalId: '2244', secrets: { accessToken: 'x' } })
  sim.addAccount({ kind: 'mastodon', externalId: '99', secrets: { accessToken: 'm' } })
  sim.addAccount({ kind: 'bluesky', externalId: 'did:plc:brand', secrets: { identifier: 'brand.bsky.social', appPassword: 'pw' }, handle: 'brand.bsky.social' })
})
afterAll(async () => {
  await sim.close()
})

const json = { 'content-type': 'application/json' }
const calls = {
  messenger: () =>
    fetch(`${sim.apiBaseUrl('facebook')}/1044/messages?access_token=fb`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ recipient: { id: '61' }, message: { text: 'hi' } }),
    }),
  whatsapp: () =>
    fetch(`${sim.apiBaseUrl('whatsapp')}/1300/messages?access_token=wa`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ messaging_product: 'whatsapp', to: '1', text: { body: 'hi' } }),
    }),
  telegramSend: () =>
    fetch(`${sim.apiBaseUrl('telegram')}/bot7001:AA/sendMessage`, { method: 'POST', headers: json, body: JSON.stringify({ chat_id: 1, text: 'hi' }) }),
  telegramPoll: () => fetch(`${sim.apiBaseUrl('telegram')}/bot7001:AA/getUpdates`),
  xMentions: () => fetch(`${sim.apiBaseUrl('x')}/2/users/2244/mentions`, { headers: { authorization: 'Bearer x' } }),
  mastodonPost: () =>
    fetch(`${sim.apiBaseUrl('mastodon')}/api/v1/statuses`, {
      method: 'POST',
      headers: { ...json, authorization: 'Bearer m' },
      body: JSON.stringify({ status: 'hi' }),
    }),
  blueskyLogin: () =>
    fetch(`${sim.apiBaseUrl('bluesky')}/xrpc/com.atproto.server.createSession`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ identifier: 'brand.bsky.social', password: 'pw' }),
    }),
}

describe('injectFault 429', () => {
  it('answers Meta sends with error code 613 and Retry-After, then recovers after count calls', async () => {
    sim.injectFault({ kind: 'facebook', endpoint: 'send', type: '429', count: 1, retryAfterSeconds: 7 })

    const limited = await calls.messenger()
    const next = await calls.messenger()

    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('7')
    expect(((await limited.json()) as { error: { code: number } }).error.code).toBe(613)
    expect(next.status).toBe(200)
    expect(sim.sends.slice(-2).map((send) => send.responseStatus)).toEqual([429, 200])
  })

  it('answers WhatsApp with throughput error 130429', async () => {
    sim.injectFault({ kind: 'whatsapp', type: '429', count: 1 })

    const response = await calls.whatsapp()

    expect(response.status).toBe(429)
    expect(((await response.json()) as { error: { code: number } }).error.code).toBe(130429)
  })

  it('answers Telegram with parameters.retry_after', async () => {
    sim.injectFault({ kind: 'telegram', endpoint: 'send', type: '429', count: 1, retryAfterSeconds: 3 })

    const response = await calls.telegramSend()

    expect(response.status).toBe(429)
    expect(await response.json()).toEqual({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } })
  })

  it('answers X with x-rate-limit-reset in epoch seconds', async () => {
    sim.injectFault({ kind: 'x', type: '429', count: 1, retryAfterSeconds: 60 })

    const response = await calls.xMentions()

    expect(response.status).toBe(429)
    expect(response.headers.get('x-rate-limit-remaining')).toBe('0')
    expect(Number(response.headers.get('x-rate-limit-reset')) - Date.now() / 1000).toBeGreaterThan(55)
  })

  it('answers Mastodon with Retry-After and an ISO X-RateLimit-Reset', async () => {
    sim.injectFault({ kind: 'mastodon', type: '429', count: 1, retryAfterSeconds: 30 })

    const response = await calls.mastodonPost()

    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('30')
    expect(Date.parse(response.headers.get('x-ratelimit-reset')!)).toBeGreaterThan(Date.now())
  })

  it('answers Bluesky with RateLimitExceeded on auth', async () => {
    sim.injectFault({ kind: 'bluesky', endpoint: 'auth', type: '429', count: 1 })

    const response = await calls.blueskyLogin()

    expect(response.status).toBe(429)
    expect(await response.json()).toEqual({ error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' })
  })

  it('matches only the named endpoint', async () => {
    sim.injectFault({ kind: 'telegram', endpoint: 'poll', type: '429', count: 1 })

    const send = await calls.telegramSend()
    const poll = await calls.telegramPoll()

    expect(send.status).toBe(200)
    expect(poll.status).toBe(429)
  })
})

describe('injectFault 500', () => {
  it("answers in the platform's shape, for `count` calls", async () => {
    sim.injectFault({ type: '500', count: 2 })

    const meta = await calls.messenger()
    const telegram = await calls.telegramSend()
    const recovered = await calls.telegramSend()

    expect(meta.status).toBe(500)
    expect(((await meta.json()) as { error: { is_transient: boolean } }).error.is_transient).toBe(true)
    expect(await telegram.json()).toEqual({ ok: false, error_code: 500, description: 'Internal Server Error' })
    expect(recovered.status).toBe(200)
  })
})

describe('injectFault timeout', () => {
  it("holds the request past the client's timeout and records the send with status 0", async () => {
    sim.injectFault({ kind: 'x', endpoint: 'send', type: 'timeout', count: 1 })

    const attempt = fetch(`${sim.apiBaseUrl('x')}/2/tweets`, {
      method: 'POST',
      headers: { ...json, authorization: 'Bearer x' },
      body: JSON.stringify({ text: 'hello' }),
      signal: AbortSignal.timeout(300),
    })

    await expect(attempt).rejects.toThrow()
    expect(sim.sends.at(-1)).toMatchObject({ kind: 'x', path: '/x/2/tweets', responseStatus: 0 })
  })

  it('lets close() end held requests at once', async () => {
    const other = await startSimulator()
    other.addAccount({ kind: 'mastodon', externalId: '1', secrets: { accessToken: 't' } })
    other.injectFault({ type: 'timeout', count: 1 })
    const held = fetch(`${other.apiBaseUrl('mastodon')}/api/v1/notifications`, { headers: { authorization: 'Bearer t' } }).catch((error: Error) => error)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const started = Date.now()

    await other.close()

    expect(Date.now() - started).toBeLessThan(2000)
    expect(await held).toBeInstanceOf(Error)
  })
})

describe('injectFault slow', () => {
  it('performs the send, records it with its real status, and answers after delayMs', async () => {
    sim.injectFault({ kind: 'telegram', endpoint: 'send', type: 'slow', count: 2, delayMs: 400 })

    const impatient = calls.telegramSend().then(
      () => 'answered',
      () => 'gave up',
    )
    const started = Date.now()
    const patient = await calls.telegramSend()
    const elapsed = Date.now() - started

    expect(patient.status).toBe(200)
    expect(((await patient.json()) as { ok: boolean }).ok).toBe(true)
    expect(elapsed).toBeGreaterThanOrEqual(380)
    expect(await impatient).toBe('answered')
    expect(sim.sends.slice(-2).map((send) => [send.kind, send.responseStatus, typeof send.platformMessageId])).toEqual([
      ['telegram', 200, 'string'],
      ['telegram', 200, 'string'],
    ])
  })

  it('leaves a client with a shorter timeout without an answer, though the send was made', async () => {
    sim.injectFault({ kind: 'mastodon', endpoint: 'send', type: 'slow', count: 1, delayMs: 1000 })

    const attempt = fetch(`${sim.apiBaseUrl('mastodon')}/api/v1/statuses`, {
      method: 'POST',
      headers: { ...json, authorization: 'Bearer m' },
      body: JSON.stringify({ status: 'made it' }),
      signal: AbortSignal.timeout(200),
    })

    await expect(attempt).rejects.toThrow()
    expect(sim.sends.at(-1)).toMatchObject({ kind: 'mastodon', responseStatus: 200, platformMessageId: expect.any(String) })
  })

  it('is accepted with delayMs by the control API', async () => {
    const injected = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ kind: 'x', endpoint: 'poll', type: 'slow', count: 1, delayMs: 300 }),
    })
    const started = Date.now()
    const polled = await calls.xMentions()

    expect(injected.status).toBe(201)
    expect(polled.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(280)
  })
})

describe('control API', () => {
  it('injects and clears faults, and lists sends over HTTP', async () => {
    const injected = await fetch(`${sim.url}/_sim/faults`, { method: 'POST', headers: json, body: JSON.stringify({ kind: 'mastodon', type: '500', count: 5 }) })
    const failing = await calls.mastodonPost()
    const cleared = await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' })
    const working = await calls.mastodonPost()
    const sends = (await (await fetch(`${sim.url}/_sim/sends`)).json()) as { sends: { kind: string; responseStatus: number }[] }

    expect(injected.status).toBe(201)
    expect(failing.status).toBe(500)
    expect(cleared.status).toBe(204)
    expect(working.status).toBe(200)
    expect(
      sends.sends
        .filter((send) => send.kind === 'mastodon')
        .slice(-2)
        .map((send) => send.responseStatus),
    ).toEqual([500, 200])
  })

  it('adds accounts and plays customer messages over HTTP', async () => {
    const added = await fetch(`${sim.url}/_sim/accounts`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ kind: 'mastodon', externalId: '100', secrets: { accessToken: 'm100' } }),
    })
    const written = await fetch(`${sim.url}/_sim/messages`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ accountExternalId: '100', message: { from: { id: '5', name: 'Eva' }, text: 'hello', kind: 'mention' } }),
    })
    const polled = await fetch(`${sim.apiBaseUrl('mastodon')}/api/v1/notifications`, { headers: { authorization: 'Bearer m100' } })

    expect(await added.json()).toEqual({ ok: true, apiBaseUrl: `${sim.url}/mastodon` })
    expect(await written.json()).toMatchObject({ queued: true, externalId: expect.any(String) })
    expect(((await polled.json()) as unknown[]).length).toBe(1)
  })
})
