import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { xConnector } from '../../../server/src/channels/x/x.connector.js'
import { startSimulator, startWebhookReceiver, type Simulator } from '../../../server/src/simulator/index.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers are asserted field by field
type Json = any

let sim: Simulator
let nextUser = 2_244_994_000

beforeAll(async () => {
  sim = await startSimulator()
})
afterAll(async () => {
  await sim.close()
})

/** A polling X account with `count` mentions from two authors; ids oldest first. */
async function accountWithMentions(count: number) {
  const id = String(nextUser++)
  const token = `x-${id}`
  sim.addAccount({ kind: 'x', externalId: id, secrets: { accessToken: token }, handle: 'BrandCare' })
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const author = i % 2 === 0 ? { id: '3805104374', name: 'Sam P', handle: 'samp' } : { id: '3805104375', name: 'Kim L', handle: 'kiml' }
    ids.push((await sim.customerWrites(id, { from: author, text: `problem ${i}`, kind: 'mention' })).externalId!)
  }
  return { id, token, ids }
}

async function get(path: string, token: string) {
  const response = await fetch(`${sim.apiBaseUrl('x')}${path}`, { headers: { authorization: `Bearer ${token}` } })
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json }
}

describe('GET /2/users/:id/mentions', () => {
  it('returns only posts newer than since_id, newest first, with meta.newest_id for the next poll', async () => {
    const { id, token, ids } = await accountWithMentions(3)

    const response = await get(`/2/users/${id}/mentions?since_id=${ids[0]}&expansions=author_id&tweet.fields=created_at,author_id&user.fields=username`, token)

    expect(response.status).toBe(200)
    expect(response.body.data.map((tweet: Json) => tweet.id)).toEqual([ids[2], ids[1]])
    expect(response.body.data[0]).toEqual({
      id: ids[2],
      text: '@BrandCare problem 2',
      edit_history_tweet_ids: [ids[2]],
      created_at: expect.any(String),
      author_id: '3805104374',
    })
    expect(response.body.meta).toEqual({ result_count: 2, newest_id: ids[2], oldest_id: ids[1] })
    expect(response.body.includes.users).toEqual(
      expect.arrayContaining([
        { id: '3805104374', name: 'Sam P', username: 'samp' },
        { id: '3805104375', name: 'Kim L', username: 'kiml' },
      ]),
    )
  })

  it('answers only meta when nothing is new', async () => {
    const { id, token, ids } = await accountWithMentions(2)

    const response = await get(`/2/users/${id}/mentions?since_id=${ids[1]}`, token)

    expect(response.body).toEqual({ meta: { result_count: 0 } })
  })

  it('pages older results with next_token', async () => {
    const { id, token, ids } = await accountWithMentions(7)

    const first = await get(`/2/users/${id}/mentions?max_results=5`, token)
    const second = await get(`/2/users/${id}/mentions?max_results=5&pagination_token=${first.body.meta.next_token}`, token)

    expect(first.body.data.map((tweet: Json) => tweet.id)).toEqual(ids.slice(2).reverse())
    expect(second.body.data.map((tweet: Json) => tweet.id)).toEqual([ids[1], ids[0]])
    expect(second.body.meta).not.toHaveProperty('next_token')
  })

  it('refuses max_results outside 5–100 as an invalid request', async () => {
    const { id, token } = await accountWithMentions(0)

    const response = await get(`/2/users/${id}/mentions?max_results=1`, token)

    expect(response.status).toBe(400)
    expect(response.body).toMatchObject({ title: 'Invalid Request', type: 'https://api.twitter.com/2/problems/invalid-request' })
  })

  it('sends x-rate-limit headers and answers 429 once the window is spent', async () => {
    const limited = await startSimulator({ rateLimits: { xMentionsPer15Min: 2 } })
    limited.addAccount({ kind: 'x', externalId: '1', secrets: { accessToken: 't' } })
    const call = () => fetch(`${limited.apiBaseUrl('x')}/2/users/1/mentions`, { headers: { authorization: 'Bearer t' } })

    const first = await call()
    await call()
    const third = await call()
    await limited.close()

    expect(first.headers.get('x-rate-limit-limit')).toBe('2')
    expect(first.headers.get('x-rate-limit-remaining')).toBe('1')
    expect(third.status).toBe(429)
    expect(third.headers.get('x-rate-limit-remaining')).toBe('0')
    expect(Number(third.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000)
  })

  it('answers 401 problem+json to an unknown token', async () => {
    const { id } = await accountWithMentions(0)

    const response = await get(`/2/users/${id}/mentions`, 'nope')

    expect(response).toMatchObject({ status: 401, body: { title: 'Unauthorized', status: 401 } })
  })
})

describe('sending on X', () => {
  it('sends a DM and answers 201 with dm_conversation_id and dm_event_id', async () => {
    const { id, token } = await accountWithMentions(0)

    const response = await fetch(`${sim.apiBaseUrl('x')}/2/dm_conversations/with/3805104374/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Sorry! Looking into it.' }),
    })
    const body = (await response.json()) as { data: { dm_conversation_id: string; dm_event_id: string } }

    expect(response.status).toBe(201)
    expect(body.data.dm_conversation_id).toBe(`${id}-3805104374`)
    expect(sim.sends.at(-1)).toMatchObject({
      kind: 'x',
      accountExternalId: id,
      responseStatus: 201,
      platformMessageId: body.data.dm_event_id,
      body: { text: 'Sorry! Looking into it.' },
    })
  })

  it('posts a public reply and answers 201 with {data: {id, text}}', async () => {
    const { token, ids } = await accountWithMentions(1)

    const response = await fetch(`${sim.apiBaseUrl('x')}/2/tweets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: '@samp DM us?', reply: { in_reply_to_tweet_id: ids[0] } }),
    })

    expect(response.status).toBe(201)
    expect(await response.json()).toEqual({
      data: { id: expect.stringMatching(/^\d{18,19}$/), text: '@samp DM us?', edit_history_tweet_ids: [expect.any(String)] },
    })
  })

  it('hands a webhook account its own DM back through Account Activity, as an echo to the customer', async () => {
    const receiver = await startWebhookReceiver()
    const quick = await startSimulator({ receiptDelayMs: 10 })
    const brand = {
      kind: 'x' as const,
      externalId: '2244994999',
      secrets: { accessToken: 'x-hook', consumerSecret: 'cs' },
      webhookUrl: receiver.url,
      handle: 'BrandCare',
    }
    quick.addAccount(brand)
    try {
      await quick.customerWrites(brand.externalId, { from: { id: '3805104374', name: 'Sam P', handle: 'samp' }, text: 'charged twice' })
      const response = await fetch(`${quick.apiBaseUrl('x')}/2/dm_conversations/with/3805104374/messages`, {
        method: 'POST',
        headers: { authorization: 'Bearer x-hook', 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'refund on its way' }),
      })
      const { data } = (await response.json()) as { data: { dm_event_id: string } }
      const [, echo] = await receiver.waitFor(2)

      const body = JSON.parse(echo!.rawBody.toString()) as Json
      expect(body.direct_message_events[0]).toMatchObject({
        id: data.dm_event_id,
        message_create: { sender_id: brand.externalId, target: { recipient_id: '3805104374' } },
      })
      const runtime = {
        id: 'c',
        kind: 'x' as const,
        externalId: brand.externalId,
        config: { apiBaseUrl: quick.apiBaseUrl('x'), mode: 'webhook' as const },
        secrets: brand.secrets,
      }
      expect(xConnector.parse(body, runtime)).toMatchObject([
        {
          type: 'message',
          externalId: data.dm_event_id,
          direction: 'echo',
          threadKey: 'dm:3805104374',
          text: 'refund on its way',
          contact: { externalId: '3805104374', handle: 'samp' },
        },
      ])
    } finally {
      await quick.close()
      await receiver.close()
    }
  })

  it('lists DMs of a polling account, both directions, newest first', async () => {
    const { id, token } = await accountWithMentions(0)
    await sim.customerWrites(id, { from: { id: '3805104374', name: 'Sam P', handle: 'samp' }, text: 'charged twice' })
    await fetch(`${sim.apiBaseUrl('x')}/2/dm_conversations/with/3805104374/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'refund on its way' }),
    })

    const response = await get('/2/dm_events', token)

    expect(response.body.data.map((event: Json) => [event.sender_id, event.text])).toEqual([
      [id, 'refund on its way'],
      ['3805104374', 'charged twice'],
    ])
  })
})
