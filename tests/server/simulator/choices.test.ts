import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, startWebhookReceiver, type Simulator, type WebhookReceiver } from '../../../server/src/simulator/index.js'

/**
 * Questions with tappable answers as the platforms take them (specs/outreach.md §2): their limits, what the
 * customer's tap delivers, and Telegram's answerCallbackQuery / editMessageReplyMarkup.
 */

let sim: Simulator
let receiver: WebhookReceiver
let graph: string
const page = '104455667788055'
const ig = '17841400000000055'
const phone = '130000000000055'
const bot = { id: '7055', token: '7055:AAchoices' }
const polledBot = { id: '7056', token: '7056:AApolled' }

beforeAll(async () => {
  sim = await startSimulator({ receipts: false, retryScheduleMs: [10] })
  receiver = await startWebhookReceiver()
  graph = sim.apiBaseUrl('facebook')
  sim.addAccount({ kind: 'facebook', externalId: page, secrets: { appSecret: 's', accessToken: 'page-token' }, webhookUrl: receiver.url })
  sim.addAccount({ kind: 'instagram', externalId: ig, secrets: { appSecret: 's', accessToken: 'ig-token' }, webhookUrl: receiver.url })
  sim.addAccount({ kind: 'whatsapp', externalId: phone, secrets: { appSecret: 's', accessToken: 'wa-token' }, webhookUrl: receiver.url })
  sim.addAccount({ kind: 'telegram', externalId: bot.id, secrets: { botToken: bot.token }, webhookUrl: receiver.url })
  sim.addAccount({ kind: 'telegram', externalId: polledBot.id, secrets: { botToken: polledBot.token } })
})
afterAll(async () => {
  await sim.close()
  await receiver.close()
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- platform answers are asserted field by field
type Answer = any

async function graphPost(path: string, token: string, body: object) {
  const response = await fetch(`${graph}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Answer }
}

async function botCall(token: string, method: string, params: object) {
  const response = await fetch(`${sim.apiBaseUrl('telegram')}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  })
  return { status: response.status, body: (await response.json()) as Answer }
}

async function control(path: string, body: object) {
  const response = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: response.status, body: (await response.json()) as Answer }
}

const lastWebhook = (): Answer => JSON.parse(receiver.received.at(-1)?.rawBody.toString('utf8') ?? 'null')

const rows = (count: number, title = (n: number) => String(n)) => Array.from({ length: count }, (_, i) => ({ id: `csat:tok:${i + 1}`, title: title(i + 1) }))

function whatsappList(action: object, to = '5511988880055') {
  return { messaging_product: 'whatsapp', to, type: 'interactive', interactive: { type: 'list', body: { text: 'How did we do?' }, action } }
}

describe('POST /{phone-number-id}/messages with an interactive list (WhatsApp)', () => {
  it.each([
    [
      'more than 10 rows in all',
      {
        button: 'Rate us',
        sections: [
          { title: 'A', rows: rows(6) },
          { title: 'B', rows: rows(5).map((r) => ({ ...r, id: `${r.id}b` })) },
        ],
      },
      'Total row count exceed max allowed count: 10',
    ],
    [
      'a row title over 24 characters',
      { button: 'Rate us', sections: [{ rows: rows(5, (n) => `${n} ${'x'.repeat(24)}`) }] },
      'Row title length invalid. Min length: 1, Max length: 24',
    ],
    [
      'a button over 20 characters',
      { button: 'Tell us how we did it', sections: [{ rows: rows(5) }] },
      'Button title length invalid. Min length: 1, Max length: 20',
    ],
    [
      'a row id over 200 characters',
      { button: 'Rate us', sections: [{ rows: [{ id: 'x'.repeat(201), title: '1' }] }] },
      'Row ID length invalid. Min length: 1, Max length: 200',
    ],
    ['two rows with one id', { button: 'Rate us', sections: [{ rows: [rows(1)[0], rows(1)[0]] }] }, 'Row IDs must be unique'],
    [
      'two sections without titles',
      { button: 'Rate us', sections: [{ rows: rows(1) }, { rows: [{ id: 'b', title: 'b' }] }] },
      'Section title is required when there is more than one section',
    ],
  ])('refuses %s with 131009, naming the reason', async (_case, action, details) => {
    const before = sim.sends.length

    const response = await graphPost(`/${phone}/messages`, 'wa-token', whatsappList(action))

    expect(response.status).toBe(400)
    expect(response.body.error).toMatchObject({ code: 131009, error_data: { messaging_product: 'whatsapp', details } })
    expect(sim.sends.slice(before).map((send) => send.responseStatus)).toEqual([400])
  })

  it('takes 10 rows of 24-character titles and a 20-character button', async () => {
    const response = await graphPost(
      `/${phone}/messages`,
      'wa-token',
      whatsappList({ button: 'x'.repeat(20), sections: [{ title: 'y'.repeat(24), rows: rows(10, (n) => `${n}`.padEnd(24, '.')) }] }),
    )

    expect(response.status).toBe(200)
    expect(response.body.messages[0].id).toMatch(/^wamid\./)
  })

  it('delivers a tap on a row as an interactive list_reply answering our message', async () => {
    const customer = { id: '5511988880056', name: 'Ana Souza' }
    const sent = await graphPost(
      `/${phone}/messages`,
      'wa-token',
      whatsappList({ button: 'Rate us', sections: [{ title: 'Rate us', rows: rows(5) }] }, customer.id),
    )
    const wamid = sent.body.messages[0].id

    const report = await sim.customerChooses(phone, { from: customer, optionId: 'csat:tok:3' })
    const message = lastWebhook().entry[0].changes[0].value.messages[0]

    expect(report).toMatchObject({ delivered: true, externalId: message.id })
    expect(message).toMatchObject({
      from: customer.id,
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: 'csat:tok:3', title: '3' } },
      context: { id: wamid },
    })
  })

  it('delivers a tap on a reply button as button_reply', async () => {
    const customer = { id: '5511988880057', name: 'Bia' }
    const interactive = {
      type: 'button',
      body: { text: 'Did we solve it?' },
      action: {
        buttons: [
          { type: 'reply', reply: { id: 'chk:tok:solved', title: 'Yes, solved' } },
          { type: 'reply', reply: { id: 'chk:tok:open', title: 'Not yet' } },
        ],
      },
    }
    await graphPost(`/${phone}/messages`, 'wa-token', { messaging_product: 'whatsapp', to: customer.id, type: 'interactive', interactive })

    await sim.customerChooses(phone, { from: customer, optionId: 'chk:tok:open' })

    expect(lastWebhook().entry[0].changes[0].value.messages[0].interactive).toEqual({
      type: 'button_reply',
      button_reply: { id: 'chk:tok:open', title: 'Not yet' },
    })
  })

  it('refuses more than 3 reply buttons', async () => {
    const buttons = rows(4).map((row) => ({ type: 'reply', reply: row }))

    const response = await graphPost(`/${phone}/messages`, 'wa-token', {
      messaging_product: 'whatsapp',
      to: '5511988880055',
      type: 'interactive',
      interactive: { type: 'button', body: { text: 'Q' }, action: { buttons } },
    })

    expect(response.status).toBe(400)
    expect(response.body.error.code).toBe(131009)
  })
})

describe('POST /{page-id}/messages with quick replies (Messenger, Instagram)', () => {
  const quickReplies = (count: number, payload = (n: number) => `csat:tok:${n}`) =>
    Array.from({ length: count }, (_, i) => ({ content_type: 'text', title: String(i + 1), payload: payload(i + 1) }))

  it.each([
    ['more than 13 quick replies', quickReplies(14), 'at most 13'],
    ['a payload over 1,000 characters', quickReplies(1, () => 'p'.repeat(1001)), 'less than or equal to 1000'],
    ['a quick reply without payload', [{ content_type: 'text', title: 'Yes' }], 'payload] is required'],
    ['an unknown content type', [{ content_type: 'location' }], 'content_type] must be one of'],
  ])('refuses %s with code 100', async (_case, replies, words) => {
    const response = await graphPost(`/${page}/messages`, 'page-token', {
      recipient: { id: '6123456789010055' },
      message: { text: 'Rate us', quick_replies: replies },
    })

    expect(response.status).toBe(400)
    expect(response.body.error).toMatchObject({ code: 100, message: expect.stringContaining(words) })
  })

  it('takes 13 quick replies with 1,000-character payloads', async () => {
    const response = await graphPost(`/${page}/messages`, 'page-token', {
      recipient: { id: '6123456789010055' },
      message: { text: 'Rate us', quick_replies: quickReplies(13, (n) => `${n}`.padEnd(1000, 'p')) },
    })

    expect(response.status).toBe(200)
  })

  it('refuses phone-number quick replies on Instagram, which takes text ones only', async () => {
    const response = await graphPost(`/${ig}/messages`, 'ig-token', {
      recipient: { id: '1234567890120055' },
      message: { text: 'Your number?', quick_replies: [{ content_type: 'user_phone_number' }] },
    })

    expect(response.status).toBe(400)
  })

  it('delivers a tap as a message with the title, cut to 20 characters, as text and the payload as quick_reply; a second tap finds nothing', async () => {
    const customer = { id: '1234567890120056', name: 'Yui' }
    await graphPost(`/${ig}/messages`, 'ig-token', {
      recipient: { id: customer.id },
      message: { text: 'Rate us', quick_replies: [{ content_type: 'text', title: '5 Absolutely delighted', payload: 'csat:tok:5' }] },
    })

    await sim.customerChooses(ig, { from: customer, optionId: 'csat:tok:5' })
    const second = await control('/_sim/choices', { accountExternalId: ig, choice: { from: customer, optionId: 'csat:tok:5' } })

    expect(lastWebhook()).toMatchObject({
      object: 'instagram',
      entry: [
        {
          id: ig,
          messaging: [
            { sender: { id: customer.id }, recipient: { id: ig }, message: { text: '5 Absolutely delight', quick_reply: { payload: 'csat:tok:5' } } },
          ],
        },
      ],
    })
    expect(second.status).toBe(409)
  })
})

describe('Telegram inline keyboards', () => {
  const keyboard = (data: string[]) => ({ inline_keyboard: [data.map((id, i) => ({ text: String(i + 1), callback_data: id }))] })

  it.each([
    ['callback_data over 64 bytes', keyboard([`csat:${'é'.repeat(30)}:1`]), 'Bad Request: BUTTON_DATA_INVALID'],
    ['empty callback_data', keyboard(['']), 'Bad Request: BUTTON_DATA_INVALID'],
    [
      'a button without an action',
      { inline_keyboard: [[{ text: 'Hi' }]] },
      "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    ],
    [
      'rows that are not arrays',
      { inline_keyboard: [{ text: 'Hi', callback_data: 'a' }] },
      'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays',
    ],
  ])('refuses a keyboard with %s', async (_case, markup, description) => {
    const response = await botCall(bot.token, 'sendMessage', { chat_id: 58212355, text: 'How did we do?', reply_markup: markup })

    expect(response).toEqual({ status: 400, body: { ok: false, error_code: 400, description } })
  })

  it('takes callback_data of exactly 64 bytes, and answers with the keyboard on the Message', async () => {
    const markup = keyboard([`csat:${'é'.repeat(28)}:12`])

    const response = await botCall(bot.token, 'sendMessage', { chat_id: 58212355, text: 'How did we do?', reply_markup: markup })

    expect(response.status).toBe(200)
    expect(response.body.result.reply_markup).toEqual(markup)
  })

  it('delivers a tap as a callback_query carrying our message and its keyboard, answered once, its keyboard removed once', async () => {
    const lena = { id: '58212356', name: 'Lena K', handle: 'lena_k' }
    const markup = keyboard(['csat:tok:1', 'csat:tok:2'])
    const before = sim.sends.length
    const sent = await botCall(bot.token, 'sendMessage', { chat_id: Number(lena.id), text: 'How did we do?', reply_markup: markup })
    const messageId = sent.body.result.message_id

    const report = await sim.customerChooses(bot.id, { from: lena, messageId: `${lena.id}:${messageId}`, optionId: 'csat:tok:2' })
    const update = lastWebhook()
    const queryId = update.callback_query.id
    const answered = await botCall(bot.token, 'answerCallbackQuery', { callback_query_id: queryId })
    const answeredAgain = await botCall(bot.token, 'answerCallbackQuery', { callback_query_id: queryId })
    const removed = await botCall(bot.token, 'editMessageReplyMarkup', { chat_id: lena.id, message_id: messageId, reply_markup: { inline_keyboard: [] } })
    const removedAgain = await botCall(bot.token, 'editMessageReplyMarkup', { chat_id: lena.id, message_id: messageId, reply_markup: { inline_keyboard: [] } })
    const tapAfter = await control('/_sim/choices', { accountExternalId: bot.id, choice: { from: lena, optionId: 'csat:tok:1' } })

    expect(report).toMatchObject({ delivered: true, externalId: `cb:${queryId}` })
    expect(update).toEqual({
      update_id: expect.any(Number),
      callback_query: {
        id: queryId,
        from: { id: Number(lena.id), is_bot: false, first_name: 'Lena', last_name: 'K', username: 'lena_k' },
        message: {
          message_id: messageId,
          from: expect.objectContaining({ is_bot: true }),
          chat: { id: Number(lena.id), type: 'private' },
          date: expect.any(Number),
          text: 'How did we do?',
          reply_markup: markup,
        },
        chat_instance: expect.stringMatching(/^-\d+$/),
        data: 'csat:tok:2',
      },
    })
    expect(answered).toEqual({ status: 200, body: { ok: true, result: true } })
    expect(answeredAgain.body.description).toBe('Bad Request: query is too old and response timeout expired or query ID is invalid')
    expect(removed.status).toBe(200)
    expect(removed.body.result.reply_markup).toBeUndefined()
    expect(removedAgain.body.description).toMatch(/^Bad Request: message is not modified/)
    expect(tapAfter.status).toBe(409)
    expect(
      sim.sends
        .slice(before)
        .filter((send) => /answerCallbackQuery|editMessageReplyMarkup/.test(send.path))
        .map((send) => send.responseStatus),
    ).toEqual([200, 400, 200, 400])
  })

  it('queues a tap for getUpdates when the bot polls', async () => {
    await botCall(polledBot.token, 'sendMessage', { chat_id: 58212357, text: 'How did we do?', reply_markup: keyboard(['csat:tok:1']) })

    const report = await sim.customerChooses(polledBot.id, { from: { id: '58212357', name: 'Jonas' }, optionId: 'csat:tok:1' })
    const updates = await botCall(polledBot.token, 'getUpdates', {})

    expect(report.queued).toBe(true)
    expect(updates.body.result).toMatchObject([{ callback_query: { data: 'csat:tok:1', message: { chat: { id: 58212357 } } } }])
  })

  it('answers "not found" for editing a message it holds no keyboard for', async () => {
    const response = await botCall(bot.token, 'editMessageReplyMarkup', { chat_id: 58212355, message_id: 1, reply_markup: { inline_keyboard: [] } })

    expect(response.body.description).toBe('Bad Request: message to edit not found')
  })
})

describe('POST /_sim/choices', () => {
  it('delivers the tap and answers the delivery report', async () => {
    const customer = { id: '6123456789010058', name: 'Sam' }
    await graphPost(`/${page}/messages`, 'page-token', {
      recipient: { id: customer.id },
      message: { text: 'Rate us', quick_replies: [{ content_type: 'text', title: '5', payload: 'csat:tok:5' }] },
    })

    const response = await control('/_sim/choices', { accountExternalId: page, choice: { from: customer, optionId: 'csat:tok:5' } })

    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ delivered: true, externalId: expect.stringMatching(/^m_/) })
  })

  it('answers 400 for an answer the message does not have', async () => {
    const customer = { id: '5511988880059', name: 'Ana' }
    await graphPost(`/${phone}/messages`, 'wa-token', whatsappList({ button: 'Rate us', sections: [{ rows: rows(5) }] }, customer.id))

    const response = await control('/_sim/choices', { accountExternalId: phone, choice: { from: customer, optionId: 'csat:tok:9' } })

    expect(response.status).toBe(400)
    expect(response.body.error).toMatch(/has no answer 'csat:tok:9'/)
  })

  it.each([
    ['an unknown account', { accountExternalId: '999', choice: { from: { id: '1', name: 'A' }, optionId: 'x' } }, 404],
    ['nobody sent answers to', { accountExternalId: page, choice: { from: { id: '42', name: 'A' }, optionId: 'x' } }, 404],
  ])('answers %s with %s', async (_case, body, status) => {
    const response = await control('/_sim/choices', body)

    expect(response.status).toBe(status)
    expect(response.body.error).toEqual(expect.any(String))
  })
})
