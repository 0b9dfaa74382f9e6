import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'

let sim: Simulator
let xrpc: string
let nextAccount = 1

beforeAll(async () => {
  sim = await startSimulator({ blueskyAccessTtlMs: 300 })
  xrpc = `${sim.apiBaseUrl('bluesky')}/xrpc`
})
afterAll(async () => {
  await sim.close()
})

interface Session {
  accessJwt: string
  refreshJwt: string
  did: string
  handle: string
}

function addAccount() {
  const n = nextAccount++
  const account = { did: `did:plc:brand${n}`, handle: `brand${n}.bsky.social`, password: 'app-pass-word' }
  sim.addAccount({ kind: 'bluesky', externalId: account.did, secrets: { identifier: account.handle, appPassword: account.password }, handle: account.handle })
  return account
}

async function xrpcCall(method: string, init: { token?: string; body?: unknown; query?: string } = {}) {
  const response = await fetch(`${xrpc}/${method}${init.query ?? ''}`, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> }
}

async function login(account: { handle: string; password: string }): Promise<Session> {
  const response = await xrpcCall('com.atproto.server.createSession', { body: { identifier: account.handle, password: account.password } })
  expect(response.status).toBe(200)
  return response.body as unknown as Session
}

describe('app.bsky.notification.listNotifications', () => {
  it('serves newest first and pages backwards with the cursor', async () => {
    const account = addAccount()
    const uris: string[] = []
    for (let i = 0; i < 5; i++) {
      const report = await sim.customerWrites(account.did, { from: { id: `did:plc:customer${i}`, name: `C ${i}` }, text: `post ${i}`, kind: 'mention' })
      uris.push(report.externalId!)
    }
    const session = await login(account)
    const page = (cursor?: string) =>
      xrpcCall('app.bsky.notification.listNotifications', {
        token: session.accessJwt,
        query: `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      })

    const first = await page()
    const second = await page(first.body.cursor as string)
    const third = await page(second.body.cursor as string)
    const last = await page(third.body.cursor as string)

    const uriList = (response: { body: Record<string, unknown> }) => (response.body.notifications as { uri: string }[]).map((item) => item.uri)
    expect(uriList(first)).toEqual([uris[4], uris[3]])
    expect(uriList(second)).toEqual([uris[2], uris[1]])
    expect(uriList(third)).toEqual([uris[0]])
    expect(last.body.notifications).toEqual([])
    expect(last.body.cursor).toBeUndefined()
  })

  it('filters by reasons: a reply to our post is reason reply with root and parent refs', async () => {
    const account = addAccount()
    const session = await login(account)
    const ours = await xrpcCall('com.atproto.repo.createRecord', {
      token: session.accessJwt,
      body: {
        repo: account.did,
        collection: 'app.bsky.feed.post',
        record: { $type: 'app.bsky.feed.post', text: 'We launched 5.0!', createdAt: new Date().toISOString() },
      },
    })
    await sim.customerWrites(account.did, { from: { id: 'did:plc:ines', name: 'Inês' }, text: 'it crashes', kind: 'comment', postId: ours.body.uri as string })
    await sim.customerWrites(account.did, { from: { id: 'did:plc:tom', name: 'Tom' }, text: 'hello', kind: 'mention' })

    const replies = await xrpcCall('app.bsky.notification.listNotifications', { token: session.accessJwt, query: '?reasons=reply' })

    const notifications = replies.body.notifications as { reason: string; record: { reply: unknown }; reasonSubject: string }[]
    expect(notifications).toHaveLength(1)
    expect(notifications[0]).toMatchObject({
      reason: 'reply',
      reasonSubject: ours.body.uri,
      record: { reply: { root: { uri: ours.body.uri, cid: ours.body.cid }, parent: { uri: ours.body.uri, cid: ours.body.cid } } },
    })
  })
})

describe('sessions', () => {
  it('expires access tokens with 400 ExpiredToken, and refreshSession rotates the refresh token', async () => {
    const account = addAccount()
    const session = await login(account)
    await new Promise((resolve) => setTimeout(resolve, 400))

    const expired = await xrpcCall('app.bsky.notification.listNotifications', { token: session.accessJwt })
    const refreshed = await xrpcCall('com.atproto.server.refreshSession', { token: session.refreshJwt, body: {} })
    const fresh = await xrpcCall('app.bsky.notification.listNotifications', { token: refreshed.body.accessJwt as string })
    const reused = await xrpcCall('com.atproto.server.refreshSession', { token: session.refreshJwt, body: {} })

    expect(expired).toMatchObject({ status: 400, body: { error: 'ExpiredToken' } })
    expect(refreshed.status).toBe(200)
    expect(refreshed.body).toMatchObject({ did: account.did, handle: account.handle, accessJwt: expect.any(String), refreshJwt: expect.any(String) })
    expect(fresh.status).toBe(200)
    expect(reused.status).toBe(400)
  })

  it('answers 401 AuthenticationRequired without a token and to a wrong password', async () => {
    const account = addAccount()

    const anonymous = await xrpcCall('app.bsky.notification.listNotifications')
    const wrong = await xrpcCall('com.atproto.server.createSession', { body: { identifier: account.handle, password: 'nope' } })

    expect(anonymous).toMatchObject({ status: 401, body: { error: 'AuthenticationRequired' } })
    expect(wrong).toMatchObject({ status: 401, body: { error: 'AuthenticationRequired' } })
  })

  it('limits createSession to 30 per 5 minutes per account', async () => {
    const account = addAccount()
    const statuses: number[] = []

    for (let i = 0; i < 30; i++)
      statuses.push((await xrpcCall('com.atproto.server.createSession', { body: { identifier: account.did, password: account.password } })).status)
    const limited = await xrpcCall('com.atproto.server.createSession', { body: { identifier: account.handle, password: account.password } })

    expect(statuses.every((status) => status === 200)).toBe(true)
    expect(limited).toMatchObject({ status: 429, body: { error: 'RateLimitExceeded' } })
    expect(limited.headers.get('ratelimit-limit')).toBe('30')
    expect(limited.headers.get('ratelimit-remaining')).toBe('0')
    expect(Number(limited.headers.get('ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000)
    expect(sim.requests.filter((request) => request.path.endsWith('createSession') && request.accountExternalId === account.did)).toHaveLength(31)
  })
})

describe('com.atproto.repo.createRecord', () => {
  it('answers {uri, cid} and records the send', async () => {
    const account = addAccount()
    const session = await login(account)
    const record = { $type: 'app.bsky.feed.post', text: 'Sorry about that, DM us?', createdAt: new Date().toISOString() }

    const response = await xrpcCall('com.atproto.repo.createRecord', {
      token: session.accessJwt,
      body: { repo: account.did, collection: 'app.bsky.feed.post', record },
    })

    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({
      uri: expect.stringMatching(new RegExp(`^at://${account.did}/app\\.bsky\\.feed\\.post/[a-z2-7]{13}$`)),
      cid: expect.stringMatching(/^bafyrei/),
    })
    expect(sim.sends.at(-1)).toMatchObject({ kind: 'bluesky', accountExternalId: account.did, platformMessageId: response.body.uri, body: { record } })
  })

  it('refuses a post over 300 graphemes', async () => {
    const account = addAccount()
    const session = await login(account)

    const response = await xrpcCall('com.atproto.repo.createRecord', {
      token: session.accessJwt,
      body: {
        repo: account.did,
        collection: 'app.bsky.feed.post',
        record: { $type: 'app.bsky.feed.post', text: 'ä'.repeat(301), createdAt: new Date().toISOString() },
      },
    })

    expect(response).toMatchObject({ status: 400, body: { error: 'InvalidRequest' } })
  })
})

describe('com.atproto.repo.createRecord with an rkey', () => {
  const post = (text: string) => ({ $type: 'app.bsky.feed.post', text, createdAt: new Date().toISOString() })

  it('stores the post under the key, and refuses the same key again without storing anything', async () => {
    const account = addAccount()
    const session = await login(account)
    const rkey = '2abcdefghijkl'

    const first = await xrpcCall('com.atproto.repo.createRecord', {
      token: session.accessJwt,
      body: { repo: account.did, collection: 'app.bsky.feed.post', rkey, record: post('first') },
    })
    const again = await xrpcCall('com.atproto.repo.createRecord', {
      token: session.accessJwt,
      body: { repo: account.did, collection: 'app.bsky.feed.post', rkey, record: post('second') },
    })
    const stored = await xrpcCall('com.atproto.repo.getRecord', { query: `?repo=${account.did}&collection=app.bsky.feed.post&rkey=${rkey}` })

    expect(first).toMatchObject({ status: 200, body: { uri: `at://${account.did}/app.bsky.feed.post/${rkey}` } })
    expect(again).toMatchObject({ status: 500, body: { error: 'InternalServerError' } })
    expect(stored).toMatchObject({ status: 200, body: { uri: `at://${account.did}/app.bsky.feed.post/${rkey}`, value: { text: 'first' } } })
    expect(sim.sends.slice(-2).map((send) => [send.responseStatus, send.platformMessageId])).toEqual([
      [200, `at://${account.did}/app.bsky.feed.post/${rkey}`],
      [500, undefined],
    ])
  })

  it('refuses a post key that is not a TID', async () => {
    const account = addAccount()
    const session = await login(account)

    const response = await xrpcCall('com.atproto.repo.createRecord', {
      token: session.accessJwt,
      body: { repo: account.did, collection: 'app.bsky.feed.post', rkey: 'my-reply-1', record: post('x') },
    })

    expect(response).toMatchObject({ status: 400, body: { error: 'InvalidRequest' } })
  })

  it('answers RecordNotFound for a key the repo does not hold', async () => {
    const account = addAccount()

    const response = await xrpcCall('com.atproto.repo.getRecord', { query: `?repo=${account.did}&collection=app.bsky.feed.post&rkey=2222222222222` })

    expect(response).toMatchObject({ status: 400, body: { error: 'RecordNotFound' } })
  })
})
