import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, startWebhookReceiver, type Simulator, type WebhookReceiver } from '../../../server/src/simulator/index.js'

let sim: Simulator
let receiver: WebhookReceiver
let bot: string
const token = '7000001:AAtelegram'

beforeAll(async () => {
  sim = await startSimulator({ retryScheduleMs: [10] })
  receiver = await startWebhookReceiver()
  bot = `${sim.apiBaseUrl('telegram')}/bot${token}`
})
afterAll(async () => {
  await sim.close()
  await receiver.close()
})

let nextBotId = 7_000_100

/** A fresh polling bot per test, so queues do not leak between tests. */
function addBot(): { id: string; url: string } {
  const id = String(nextBotId++)
  const botToken = `${id}:AAtest`
  sim.addAccount({ kind: 'telegram', externalId: id, secrets: { botToken }, handle: 'carebox_bot' })
  return { id, url: `${sim.apiBaseUrl('telegram')}/bot${botToken}` }
}

interface Update {
  update_id: number
  message: { text: string; message_id: number }
}

interface BotAnswer {
  ok: boolean
  result?: unknown
  error_code?: number
  description?: string
}

async function call(url: string, method: string, params: Record<string, unknown> = {}) {
  const response = await fetch(`${url}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) })
  return { status: response.status, body: (await response.json()) as BotAnswer }
}

const updates = (answer: { body: BotAnswer }) => answer.body.result as Update[]

const write = (botId: string, text: string) => sim.customerWrites(botId, { from: { id: '58212345', name: 'Lena K', handle: 'lena_k' }, text })

describe('getUpdates', () => {
  it('returns queued updates until an offset above their update_id confirms and deletes them', async () => {
    const { id, url } = addBot()
    await write(id, 'one')
    await write(id, 'two')
    await write(id, 'three')

    const all = await call(url, 'getUpdates')
    const ids = updates(all).map((update) => update.update_id)
    const again = await call(url, 'getUpdates', { offset: ids[2] })
    const confirmed = await call(url, 'getUpdates', { offset: ids[2]! + 1 })
    const fromStart = await call(url, 'getUpdates')

    expect(all.status).toBe(200)
    expect(ids).toEqual([ids[0], ids[0]! + 1, ids[0]! + 2])
    expect(updates(again).length).toBe(1)
    expect(confirmed.body).toEqual({ ok: true, result: [] })
    expect(fromStart.body).toEqual({ ok: true, result: [] })
  })

  it('honours limit and keeps the rest', async () => {
    const { id, url } = addBot()
    for (const text of ['a', 'b', 'c']) await write(id, text)

    const page = await call(url, 'getUpdates', { limit: 2 })

    expect(updates(page).map((update) => update.message.text)).toEqual(['a', 'b'])
  })

  it('keeps only the last update for offset -1', async () => {
    const { id, url } = addBot()
    for (const text of ['a', 'b', 'c']) await write(id, text)

    const last = await call(url, 'getUpdates', { offset: -1 })
    const after = await call(url, 'getUpdates')

    expect(updates(last).map((update) => update.message.text)).toEqual(['c'])
    expect(updates(after).length).toBe(1)
  })

  it('long-polls: an empty queue answers as soon as an update arrives', async () => {
    const { id, url } = addBot()
    const started = Date.now()

    const pending = call(url, 'getUpdates', { timeout: 10 })
    setTimeout(() => void write(id, 'late'), 150)
    const response = await pending

    expect(updates(response)[0]?.message.text).toBe('late')
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('answers 409 Conflict while a webhook is set', async () => {
    sim.addAccount({ kind: 'telegram', externalId: '7000001', secrets: { botToken: token }, webhookUrl: receiver.url })

    const response = await call(bot, 'getUpdates')

    expect(response.status).toBe(409)
    expect(response.body).toEqual({
      ok: false,
      error_code: 409,
      description: expect.stringContaining("Conflict: can't use getUpdates method while webhook is active"),
    })
  })

  it('answers 401 Unauthorized to an unknown token', async () => {
    const response = await call(`${sim.apiBaseUrl('telegram')}/bot1:nope`, 'getUpdates')

    expect(response).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } })
  })
})

describe('setWebhook / deleteWebhook', () => {
  it('switches a bot between polling and webhook mode and flushes pending updates to the webhook', async () => {
    const { id, url } = addBot()
    await write(id, 'queued while polling')
    receiver.received.length = 0

    const set = await call(url, 'setWebhook', { url: receiver.url, secret_token: 'new-secret' })
    await receiver.waitFor(1)
    const info = await call(url, 'getWebhookInfo')
    const deleted = await call(url, 'deleteWebhook')
    const polled = await call(url, 'getUpdates')

    expect(set.body).toMatchObject({ ok: true, result: true })
    expect(JSON.parse(receiver.received[0]!.rawBody.toString()).message.text).toBe('queued while polling')
    expect(receiver.received[0]!.headers['x-telegram-bot-api-secret-token']).toBe('new-secret')
    expect(info.body.result).toMatchObject({ url: receiver.url, pending_update_count: 0 })
    expect(deleted.body).toMatchObject({ ok: true, result: true })
    expect(polled.status).toBe(200)
  })
})

describe('sendMessage', () => {
  it('answers {ok, result: Message} and records the send', async () => {
    const { id, url } = addBot()

    const response = await call(url, 'sendMessage', { chat_id: 58212345, text: 'Wir sehen nach!', reply_parameters: { message_id: 4512 } })

    expect(response.status).toBe(200)
    expect(response.body.result).toMatchObject({
      message_id: expect.any(Number),
      from: { id: Number(id), is_bot: true },
      chat: { id: 58212345, type: 'private' },
      date: expect.any(Number),
      text: 'Wir sehen nach!',
      reply_to_message: { message_id: 4512 },
    })
    const send = sim.sends.at(-1)!
    expect(send).toMatchObject({
      kind: 'telegram',
      accountExternalId: id,
      method: 'POST',
      responseStatus: 200,
      body: { chat_id: 58212345, text: 'Wir sehen nach!' },
    })
    expect(send.path).toBe(`/telegram/bot${id}:AAtest/sendMessage`)
    expect(send.platformMessageId).toBe(`58212345:${(response.body.result as Update['message']).message_id}`)
  })

  it("refuses an empty text with Telegram's 400", async () => {
    const { url } = addBot()

    const response = await call(url, 'sendMessage', { chat_id: 58212345, text: '' })

    expect(response).toEqual({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message text is empty' } })
  })

  it('accepts form-encoded parameters', async () => {
    const { url } = addBot()

    const response = await fetch(`${url}/sendMessage`, { method: 'POST', body: new URLSearchParams({ chat_id: '58212345', text: 'form' }) })

    expect(response.status).toBe(200)
    expect(((await response.json()) as { result: { text: string } }).result.text).toBe('form')
  })
})
