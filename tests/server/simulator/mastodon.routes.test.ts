import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'

let sim: Simulator
let nextAccount = 100

beforeAll(async () => {
  sim = await startSimulator({ rateLimits: { mastodonPer5Min: 1000 } })
})
afterAll(async () => {
  await sim.close()
})

interface Notification {
  id: string
  type: string
  status: { id: string; visibility: string; content: string }
}

/** A fresh account with `count` mentions; returns its token and the notification ids, oldest first. */
async function accountWithMentions(count: number) {
  const id = String(nextAccount++)
  const token = `token-${id}`
  sim.addAccount({ kind: 'mastodon', externalId: id, secrets: { accessToken: token }, handle: 'brand' })
  for (let i = 0; i < count; i++) {
    await sim.customerWrites(id, {
      from: { id: `10${i}`, name: `Customer ${i}`, handle: `c${i}@fosstodon.org` },
      text: `message ${i}`,
      kind: i % 2 === 0 ? 'mention' : 'dm',
    })
  }
  const all = await list(token, '?limit=80')
  return { id, token, ids: all.body.map((notification) => notification.id).reverse() }
}

async function list(token: string, query: string) {
  const response = await fetch(`${sim.apiBaseUrl('mastodon')}/api/v1/notifications${query}`, { headers: { authorization: `Bearer ${token}` } })
  return { status: response.status, headers: response.headers, body: (await response.json()) as Notification[] }
}

function linkTarget(link: string | null, rel: 'next' | 'prev'): string {
  const match = new RegExp(`<([^>]+)>; rel="${rel}"`).exec(link ?? '')
  if (!match) throw new Error(`No rel="${rel}" in ${link}`)
  const url = new URL(match[1]!)
  return url.search
}

describe('GET /api/v1/notifications', () => {
  it('pages forward gap-free with min_id and rel="prev", newest first within a page', async () => {
    const { token, ids } = await accountWithMentions(5)

    const first = await list(token, `?types[]=mention&types[]=status&min_id=0&limit=2`)
    const second = await list(token, linkTarget(first.headers.get('link'), 'prev'))
    const third = await list(token, linkTarget(second.headers.get('link'), 'prev'))
    const done = await list(token, linkTarget(third.headers.get('link'), 'prev'))

    expect(first.body.map((item) => item.id)).toEqual([ids[1], ids[0]])
    expect(second.body.map((item) => item.id)).toEqual([ids[3], ids[2]])
    expect(third.body.map((item) => item.id)).toEqual([ids[4]])
    expect(done.body).toEqual([])
    expect(done.headers.get('link')).toBeNull()
    expect(linkTarget(first.headers.get('link'), 'prev')).toContain('types%5B%5D=mention')
  })

  it('answers the newest page for since_id and pages older with max_id via rel="next"', async () => {
    const { token, ids } = await accountWithMentions(5)

    const newest = await list(token, `?since_id=${ids[0]}&limit=2`)
    const older = await list(token, linkTarget(newest.headers.get('link'), 'next'))

    expect(newest.body.map((item) => item.id)).toEqual([ids[4], ids[3]])
    expect(older.body.map((item) => item.id)).toEqual([ids[2], ids[1]])
  })

  it('defaults to 40, caps limit at 80 and marks DMs as direct mentions', async () => {
    const { token } = await accountWithMentions(2)

    const response = await list(token, '?limit=500')

    expect(response.body).toHaveLength(2)
    expect(response.body.map((item) => item.status.visibility).sort()).toEqual(['direct', 'public'])
    expect(response.body.every((item) => item.type === 'mention' && item.status.content.startsWith('<p>'))).toBe(true)
  })

  it('sends X-RateLimit headers and answers 401 to a bad token', async () => {
    const { token } = await accountWithMentions(0)

    const ok = await list(token, '')
    const bad = await fetch(`${sim.apiBaseUrl('mastodon')}/api/v1/notifications`, { headers: { authorization: 'Bearer nope' } })

    expect(ok.headers.get('x-ratelimit-limit')).toBe('1000')
    expect(Number(ok.headers.get('x-ratelimit-remaining'))).toBeLessThan(1000)
    expect(Date.parse(ok.headers.get('x-ratelimit-reset')!)).toBeGreaterThan(Date.now())
    expect(bad.status).toBe(401)
    expect(await bad.json()).toEqual({ error: 'The access token is invalid' })
  })

  it('answers 429 once the per-account window is spent', async () => {
    const limited = await startSimulator({ rateLimits: { mastodonPer5Min: 2 } })
    limited.addAccount({ kind: 'mastodon', externalId: '1', secrets: { accessToken: 't' } })
    const get = () => fetch(`${limited.apiBaseUrl('mastodon')}/api/v1/notifications`, { headers: { authorization: 'Bearer t' } })

    const statuses = [(await get()).status, (await get()).status]
    const third = await get()
    await limited.close()

    expect(statuses).toEqual([200, 200])
    expect(third.status).toBe(429)
    expect(third.headers.get('x-ratelimit-remaining')).toBe('0')
  })
})

describe('POST /api/v1/statuses', () => {
  async function post(token: string, body: Record<string, unknown>, idempotencyKey?: string) {
    const response = await fetch(`${sim.apiBaseUrl('mastodon')}/api/v1/statuses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
      body: JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as { id: string; visibility: string; in_reply_to_id: string | null; error?: string } }
  }

  it('creates one status per Idempotency-Key and answers a retry with the same status', async () => {
    const { id, token, ids } = await accountWithMentions(1)
    const [notification] = (await list(token, '')).body
    const before = sim.sends.length

    const first = await post(token, { status: '@c0@fosstodon.org we are on it', in_reply_to_id: notification!.status.id, visibility: 'public' }, 'reply-1')
    const retry = await post(token, { status: '@c0@fosstodon.org we are on it', in_reply_to_id: notification!.status.id, visibility: 'public' }, 'reply-1')
    const other = await post(token, { status: 'another' }, 'reply-2')

    expect(ids).toHaveLength(1)
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ visibility: 'public', in_reply_to_id: notification!.status.id })
    expect(retry.body.id).toBe(first.body.id)
    expect(other.body.id).not.toBe(first.body.id)
    const sends = sim.sends.slice(before)
    expect(sends.map((send) => [send.accountExternalId, send.platformMessageId, send.deduplicated ?? false])).toEqual([
      [id, first.body.id, false],
      [id, first.body.id, true],
      [id, other.body.id, false],
    ])
    expect(sends[0]!.headers['idempotency-key']).toBe('reply-1')
  })

  it('refuses a blank status with 422', async () => {
    const { token } = await accountWithMentions(0)

    expect(await post(token, { status: ' ' })).toEqual({ status: 422, body: { error: "Validation failed: Text can't be blank" } })
  })
})
