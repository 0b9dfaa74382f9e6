import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { rejectionOf, startPlatform, type PlatformReply, type PlatformRequest } from '../../../support/platform-server.js'
import { type ChannelRuntime, ConnectorError, type OutboundMessage, UnsupportedPayloadError } from '../../../../server/src/channels/connector.js'
import { telegramConnector } from '../../../../server/src/channels/telegram/telegram.connector.js'

const botToken = '7000000001:AAH-test-token_xyz'
const webhookSecret = 'carebox_Telegram-secret-42'

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/telegram/${name}`, import.meta.url), 'utf8'))
}

function channelAt(apiBaseUrl = 'https://api.telegram.org'): ChannelRuntime {
  return {
    id: 'a6f1c0de-0000-4000-8000-000000000005',
    kind: 'telegram',
    externalId: '7000000001',
    config: { apiBaseUrl, mode: 'polling' },
    secrets: { botToken, webhookSecret },
  }
}

afterEach(() => {
  vi.useRealTimers()
})

interface QueuedUpdate {
  update_id: number
  [kind: string]: unknown
}

/** getUpdates as Telegram serves it: an offset deletes every update below it, then up to `limit` are returned. */
function updateQueue(updates: QueuedUpdate[]) {
  let queue = [...updates]
  return (request: PlatformRequest): PlatformReply => {
    if (request.path !== `/bot${botToken}/getUpdates`) return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } }
    const { offset, limit } = request.body as { offset?: number; limit?: number }
    if (offset !== undefined) queue = queue.filter((update) => update.update_id >= offset)
    return { body: { ok: true, result: queue.slice(0, limit ?? 100) } }
  }
}

function textUpdate(updateId: number): QueuedUpdate {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      from: { id: 58212345, first_name: 'Lena' },
      chat: { id: 58212345, type: 'private' },
      date: 1767226400,
      text: `Nachricht ${updateId}`,
    },
  }
}

function reply(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: '0c5f7a52-3d4e-4f60-9a1b-2c3d4e5f6a7b',
    conversationKind: 'dm',
    threadKey: 'dm:58212345',
    recipient: { externalId: '58212345', name: 'Lena Krüger' },
    text: 'Ihre Bestellung kommt morgen an. 📦',
    ...overrides,
  }
}

describe('verifyWebhook', () => {
  const rawBody = Buffer.from(JSON.stringify(fixture('message-private.json')))

  it('accepts a request whose secret token header equals the channel secret', () => {
    const request = { headers: { 'x-telegram-bot-api-secret-token': webhookSecret }, rawBody }

    expect(telegramConnector.verifyWebhook(request, channelAt())).toBe(true)
  })

  it.each([
    ['another secret of the same length', webhookSecret.replace('42', '43')],
    ['a prefix of the secret', webhookSecret.slice(0, -1)],
    ['an empty header', ''],
  ])('rejects a request carrying %s', (_case, token) => {
    const request = { headers: { 'x-telegram-bot-api-secret-token': token }, rawBody }

    expect(telegramConnector.verifyWebhook(request, channelAt())).toBe(false)
  })

  it('rejects a request without the header', () => {
    expect(telegramConnector.verifyWebhook({ headers: {}, rawBody }, channelAt())).toBe(false)
  })

  it('rejects every request when the channel has no webhook secret', () => {
    const channel = { ...channelAt(), secrets: { botToken } }

    expect(telegramConnector.verifyWebhook({ headers: { 'x-telegram-bot-api-secret-token': '' }, rawBody }, channel)).toBe(false)
  })
})

describe('dedupeKey', () => {
  it('keys a delivery by its update_id', () => {
    const payload = fixture('message-private.json')

    expect(telegramConnector.dedupeKey(payload, Buffer.from(JSON.stringify(payload)))).toBe('update:734102291')
  })

  it('keys a body without update_id by its bytes', () => {
    const key = telegramConnector.dedupeKey({ hello: 'world' }, Buffer.from('{"hello":"world"}'))

    expect(key).toMatch(/^body:[0-9a-f]{64}$/)
  })
})

describe('parse', () => {
  it('turns a private message into an inbound DM with its reply reference', () => {
    const events = telegramConnector.parse(fixture('message-private.json'), channelAt())

    expect(events).toEqual([
      {
        type: 'message',
        externalId: '58212345:4512',
        threadKey: 'dm:58212345',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: '58212345', name: 'Lena Krüger', handle: 'lena_k', language: 'de' },
        text: 'Hallo, wo ist meine Bestellung? Sie sollte gestern ankommen.',
        attachments: [],
        sentAt: '2026-01-01T00:13:20.000Z',
        replyToExternalId: '58212345:4509',
      },
    ])
  })

  it('turns a group photo into a public message with the caption as text and the largest size', () => {
    const events = telegramConnector.parse(fixture('message-group-photo.json'), channelAt())

    expect(events).toEqual([
      {
        type: 'message',
        externalId: '-1001987654321:981',
        threadKey: 'group:-1001987654321',
        conversationKind: 'public',
        direction: 'inbound',
        contact: { externalId: '61234567', name: 'Haruto', handle: 'haruto_s', language: 'ja' },
        text: 'アプリが起動しません 😢',
        attachments: [{ kind: 'image', mediaId: 'AgACAgIAAxkBAAIBlarge' }],
        sentAt: '2026-01-01T00:14:20.000Z',
        subject: 'Carebox ユーザーの会',
      },
    ])
  })

  it('keeps the business connection of a business message for the reply', () => {
    const events = telegramConnector.parse(fixture('business-message.json'), channelAt())

    expect(events).toEqual([
      {
        type: 'message',
        externalId: '59876543:77',
        threadKey: 'dm:59876543',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: '59876543', name: 'Lucía Gómez', language: 'es' },
        text: '¿Puedo cambiar la dirección de envío?',
        attachments: [],
        sentAt: '2026-01-01T00:15:00.000Z',
        replyContext: { businessConnectionId: 'BCon-k3Jd92_xQ' },
      },
    ])
  })

  it('marks as echo what the business owner writes in the customer chat, with the customer as contact', () => {
    const [event] = telegramConnector.parse(fixture('business-message-owner.json'), channelAt())

    expect(event).toMatchObject({
      type: 'message',
      externalId: '59876543:78',
      threadKey: 'dm:59876543',
      direction: 'echo',
      contact: { externalId: '59876543', name: 'Lucía Gómez' },
      text: '¡Claro! Envíanos la nueva dirección.',
    })
  })

  it('marks as echo a message whose sender is the bot itself', () => {
    const update = {
      update_id: 10,
      message: {
        message_id: 5,
        from: { id: 7000000001, is_bot: true, first_name: 'Carebox Demo' },
        chat: { id: -4001, title: 'Support', type: 'group' },
        date: 1767226400,
        text: 'Hi',
      },
    }

    const [event] = telegramConnector.parse(update, channelAt())

    expect(event).toMatchObject({ direction: 'echo', threadKey: 'group:-4001' })
  })

  it('takes the chat a message was sent on behalf of as its author', () => {
    const update = {
      update_id: 14,
      message: {
        message_id: 6,
        from: { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' },
        sender_chat: { id: -1001987654321, title: 'Carebox ユーザーの会', type: 'supergroup' },
        chat: { id: -1001987654321, title: 'Carebox ユーザーの会', type: 'supergroup' },
        date: 1767226400,
        text: 'お知らせ',
      },
    }

    const [event] = telegramConnector.parse(update, channelAt())

    expect(event).toMatchObject({ direction: 'inbound', contact: { externalId: '-1001987654321', name: 'Carebox ユーザーの会' } })
  })

  it('turns an edited message into an edit at the edit date', () => {
    const events = telegramConnector.parse(fixture('edited-message.json'), channelAt())

    expect(events).toEqual([{ type: 'edit', externalId: '58212345:4512', text: 'Hallo, wo ist meine Bestellung #5521?', at: '2026-01-01T00:13:50.000Z' }])
  })

  it('turns a reaction change into an unreact of the old emoji and a react of the new one, leaving custom emoji out', () => {
    const events = telegramConnector.parse(fixture('message-reaction.json'), channelAt())

    expect(events).toEqual([
      { type: 'reaction', externalId: '58212345:4513', contactExternalId: '58212345', emoji: '👍', action: 'unreact', at: '2026-01-01T00:18:20.000Z' },
      { type: 'reaction', externalId: '58212345:4513', contactExternalId: '58212345', emoji: '❤', action: 'react', at: '2026-01-01T00:18:20.000Z' },
    ])
  })

  it('turns deleted business messages into deletes at the time they are read', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-01-02T08:00:00.000Z'))

    const events = telegramConnector.parse(fixture('deleted-business-messages.json'), channelAt())

    expect(events).toEqual([
      { type: 'delete', externalId: '59876543:77', at: '2026-01-02T08:00:00.000Z' },
      { type: 'delete', externalId: '59876543:79', at: '2026-01-02T08:00:00.000Z' },
    ])
  })

  it('maps documents, voice, video, stickers and locations to attachments', () => {
    const { result } = fixture('get-updates-media.json') as { result: unknown[] }

    const events = result.flatMap((update) => telegramConnector.parse(update, channelAt()))

    expect(events.map((event) => (event.type === 'message' ? [event.text, event.attachments] : event.type))).toEqual([
      ['Hier ist die Rechnung', [{ kind: 'file', mediaId: 'BQACAgIAAxkBAAIBrechnung', name: 'Rechnung-5521.pdf', mimeType: 'application/pdf' }]],
      ['', [{ kind: 'audio', mediaId: 'AwACAgIAAxkBAAIBvoice', mimeType: 'audio/ogg' }]],
      ['', [{ kind: 'video', mediaId: 'BAACAgIAAxkBAAIBvideo', mimeType: 'video/mp4' }]],
      ['', [{ kind: 'sticker', mediaId: 'CAACAgIAAxkBAAIBsticker' }]],
      ['', [{ kind: 'location', url: 'geo:52.520008,13.404954' }]],
    ])
  })

  it('returns no events for my-chat-member.json', () => {
    expect(telegramConnector.parse(fixture('my-chat-member.json'), channelAt())).toEqual([])
  })

  it('reads no tap on a keyboard that is not Carebox’s answer buttons', () => {
    const update = fixture('callback-query.json') as { callback_query: { data: string } }
    update.callback_query.data = 'menu:open'
    expect(telegramConnector.parse(update, channelAt())).toEqual([])
  })

  it('turns a tapped inline button into the customer answering our message, with its data as choice, dated when read', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-01-02T08:00:00.000Z'))

    const events = telegramConnector.parse(fixture('callback-query.json'), channelAt())

    expect(events).toEqual([
      {
        type: 'message',
        externalId: 'cb:4382bfdwdsb323b2d9',
        threadKey: 'dm:58212345',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: '58212345', name: 'Lena', handle: 'lena_k', language: 'de' },
        text: 'csat:s9f2:5',
        attachments: [],
        sentAt: '2026-01-02T08:00:00.000Z',
        replyToExternalId: '58212345:4400',
        choice: 'csat:s9f2:5',
      },
    ])
  })

  it("takes a tap's text from the keyboard on the message, and keeps a group's subject and a business chat's connection", () => {
    const keyboard = {
      inline_keyboard: [
        [
          { text: '😞 1', callback_data: 'csat:s9f2:1' },
          { text: '😍 5', callback_data: 'csat:s9f2:5' },
        ],
      ],
    }
    const group = { id: -1001987654321, type: 'supergroup', title: 'Kundenclub' }
    const update = (message: object) => ({
      update_id: 20,
      callback_query: { id: '77', from: { id: 58212345, first_name: 'Lena' }, message, chat_instance: '-1', data: 'csat:s9f2:5' },
    })

    const [inGroup] = telegramConnector.parse(update({ message_id: 9, chat: group, date: 1767226400, reply_markup: keyboard }), channelAt())
    const [inBusinessChat] = telegramConnector.parse(
      update({ message_id: 10, chat: { id: 58212345, type: 'private' }, date: 1767226400, business_connection_id: 'BCon-k3Jd92_xQ' }),
      channelAt(),
    )

    expect(inGroup).toMatchObject({ threadKey: 'group:-1001987654321', conversationKind: 'public', text: '😍 5', choice: 'csat:s9f2:5', subject: 'Kundenclub' })
    expect(inBusinessChat).toMatchObject({ threadKey: 'dm:58212345', text: 'csat:s9f2:5', replyContext: { businessConnectionId: 'BCon-k3Jd92_xQ' } })
  })

  it('returns no events for a tap on a game button or on a message sent in inline mode', () => {
    const from = { id: 58212345, first_name: 'Lena' }
    const game = {
      update_id: 21,
      callback_query: { id: '78', from, message: { message_id: 1, chat: { id: 58212345, type: 'private' }, date: 1 }, game_short_name: 'g' },
    }
    const inline = { update_id: 22, callback_query: { id: '79', from, inline_message_id: 'AAAAAQ', data: 'x' } }

    expect([...telegramConnector.parse(game, channelAt()), ...telegramConnector.parse(inline, channelAt())]).toEqual([])
  })

  it('returns no events for a known update kind that carries nothing for the inbox', () => {
    const update = { update_id: 11, channel_post: { message_id: 1, chat: { id: -100777, type: 'channel' }, date: 1767226400, text: 'News' } }

    expect(telegramConnector.parse(update, channelAt())).toEqual([])
  })

  it.each([
    ['an unknown update kind', { update_id: 12, something_new: {} }],
    ['an update without update_id', { message: {} }],
    ['a message without chat', { update_id: 13, message: { message_id: 1, date: 1767226400 } }],
    ['a callback query without from', { update_id: 14, callback_query: { id: '1', data: 'x' } }],
  ])('throws UnsupportedPayloadError for %s', (_case, payload) => {
    expect(() => telegramConnector.parse(payload, channelAt())).toThrow(UnsupportedPayloadError)
  })
})

describe('send', () => {
  it('posts sendMessage to the chat of the thread, quoting the message answered', async () => {
    const platform = await startPlatform(() => ({
      body: { ok: true, result: { message_id: 4530, chat: { id: 58212345, type: 'private' }, date: 1767227100 } },
    }))

    const result = await telegramConnector.send(reply({ replyToExternalId: '58212345:4512' }), channelAt(platform.url))

    expect(result).toEqual({ externalId: '58212345:4530' })
    expect(platform.requests).toMatchObject([
      {
        method: 'POST',
        path: `/bot${botToken}/sendMessage`,
        headers: { 'content-type': 'application/json' },
        body: { chat_id: 58212345, text: 'Ihre Bestellung kommt morgen an. 📦', reply_parameters: { message_id: 4512, allow_sending_without_reply: true } },
      },
    ])
  })

  it('sends into a group with its negative chat id and no reply reference when none is given', async () => {
    const platform = await startPlatform(() => ({
      body: { ok: true, result: { message_id: 990, chat: { id: -1001987654321, type: 'supergroup' }, date: 1767227100 } },
    }))

    const result = await telegramConnector.send(reply({ conversationKind: 'public', threadKey: 'group:-1001987654321' }), channelAt(platform.url))

    expect(result).toEqual({ externalId: '-1001987654321:990' })
    expect(platform.requests[0]?.body).toEqual({ chat_id: -1001987654321, text: 'Ihre Bestellung kommt morgen an. 📦' })
  })

  it('answers a business chat through its business connection', async () => {
    const platform = await startPlatform(() => ({ body: { ok: true, result: { message_id: 80, chat: { id: 59876543, type: 'private' }, date: 1767227100 } } }))

    await telegramConnector.send(reply({ threadKey: 'dm:59876543', replyContext: { businessConnectionId: 'BCon-k3Jd92_xQ' } }), channelAt(platform.url))

    expect(platform.requests[0]?.body).toMatchObject({ chat_id: 59876543, business_connection_id: 'BCon-k3Jd92_xQ' })
  })

  it('fails retryably after the wait Telegram asks for when rate limited', async () => {
    const platform = await startPlatform(() => ({
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } },
    }))

    const error = await rejectionOf(telegramConnector.send(reply(), channelAt(platform.url)))

    expect(error).toBeInstanceOf(ConnectorError)
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 7000, status: 429, platformCode: '429' })
  })

  it('fails for good, in plain words, when the customer blocked the bot', async () => {
    const platform = await startPlatform(() => ({ status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } }))

    const error = await rejectionOf(telegramConnector.send(reply(), channelAt(platform.url)))

    expect(error).toBeInstanceOf(ConnectorError)
    expect(error).toMatchObject({ retryable: false, status: 403, message: expect.stringContaining('blocked the bot') })
  })

  it('fails retryably when Telegram has an internal error', async () => {
    const platform = await startPlatform(() => ({ status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } }))

    const error = await rejectionOf(telegramConnector.send(reply(), channelAt(platform.url)))

    expect(error).toMatchObject({ retryable: true, status: 500 })
  })

  it('fails for good when the channel has no bot token', async () => {
    const channel = { ...channelAt('http://127.0.0.1:9'), secrets: {} }

    const error = await rejectionOf(telegramConnector.send(reply(), channel))

    expect(error).toMatchObject({ retryable: false, message: 'The Telegram channel has no bot token' })
  })

  it('sends a question with its answers as one row of inline buttons, in a business chat too', async () => {
    const platform = await startPlatform(() => ({ body: { ok: true, result: { message_id: 81, chat: { id: 59876543, type: 'private' }, date: 1767227100 } } }))
    const choices = { buttonLabel: 'Bewerten', options: ['1', '2', '3', '4', '5'].map((n) => ({ id: `csat:s9f2:${n}`, title: n })) }

    await telegramConnector.send(
      reply({ threadKey: 'dm:59876543', text: 'Wie zufrieden waren Sie?', choices, replyContext: { businessConnectionId: 'BCon-k3Jd92_xQ' } }),
      channelAt(platform.url),
    )

    expect(platform.requests[0]?.body).toEqual({
      chat_id: 59876543,
      text: 'Wie zufrieden waren Sie?',
      business_connection_id: 'BCon-k3Jd92_xQ',
      reply_markup: { inline_keyboard: [choices.options.map((option) => ({ text: option.title, callback_data: option.id }))] },
    })
  })

  it('refuses, calling nothing, an answer id over the 64 bytes of callback_data, or answers with a file', async () => {
    const platform = await startPlatform(() => ({ body: { ok: true, result: { message_id: 82, chat: { id: 58212345, type: 'private' }, date: 1767227100 } } }))
    const long = { buttonLabel: 'Rate', options: [{ id: `csat:${'ä'.repeat(30)}:1`, title: '1' }] }
    const file = { kind: 'image' as const, name: 'a.png', mimeType: 'image/png', data: Buffer.from('png') }

    const errors = [
      await rejectionOf(telegramConnector.send(reply({ choices: long }), channelAt(platform.url))),
      await rejectionOf(telegramConnector.send(reply({ choices: { buttonLabel: 'Rate', options: [{ id: 'a', title: '1' }] }, file }), channelAt(platform.url))),
    ]

    expect(errors).toMatchObject([
      { retryable: false, outcome: 'not_sent' },
      { retryable: false, outcome: 'not_sent' },
    ])
    expect(platform.requests).toEqual([])
  })
})

describe('acknowledge', () => {
  const tap = () => telegramConnector.parse(fixture('callback-query.json'), channelAt())[0]!

  it('answers the callback query, then removes the keyboard of the message tapped', async () => {
    const platform = await startPlatform(() => ({ body: { ok: true, result: true } }))

    await telegramConnector.acknowledge!(tap(), channelAt(platform.url))

    expect(platform.requests.map((request) => [request.path, request.body])).toEqual([
      [`/bot${botToken}/answerCallbackQuery`, { callback_query_id: '4382bfdwdsb323b2d9' }],
      [`/bot${botToken}/editMessageReplyMarkup`, { chat_id: 58212345, message_id: 4400, reply_markup: { inline_keyboard: [] } }],
    ])
  })

  it('takes a query too old to answer and a keyboard already gone as done', async () => {
    const platform = await startPlatform((request) => ({
      status: 400,
      body: {
        ok: false,
        error_code: 400,
        description: request.path.endsWith('answerCallbackQuery')
          ? 'Bad Request: query is too old and response timeout expired or query ID is invalid'
          : 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      },
    }))

    await telegramConnector.acknowledge!(tap(), channelAt(platform.url))

    expect(platform.requests).toHaveLength(2)
  })

  it('still removes the keyboard when the query cannot be answered, then reports the failure', async () => {
    const platform = await startPlatform((request) =>
      request.path.endsWith('answerCallbackQuery')
        ? { status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } }
        : { body: { ok: true, result: true } },
    )

    const error = await rejectionOf(telegramConnector.acknowledge!(tap(), channelAt(platform.url)))

    expect(error).toMatchObject({ retryable: true, status: 500 })
    expect(platform.requests.map((request) => request.path)).toEqual([`/bot${botToken}/answerCallbackQuery`, `/bot${botToken}/editMessageReplyMarkup`])
  })

  it('calls nothing for an event that is no tap', async () => {
    const platform = await startPlatform(() => ({ body: { ok: true, result: true } }))
    const [message] = telegramConnector.parse(fixture('message-private.json'), channelAt())

    await telegramConnector.acknowledge!(message!, channelAt(platform.url))

    expect(platform.requests).toEqual([])
  })
})

describe('poll', () => {
  it('asks for a short poll without offset on the first poll and returns one envelope per update', async () => {
    const { result } = fixture('get-updates-media.json') as { result: QueuedUpdate[] }
    const platform = await startPlatform(updateQueue(result))

    const polled = await telegramConnector.poll!(null, channelAt(platform.url))

    expect(platform.requests).toMatchObject([{ method: 'POST', path: `/bot${botToken}/getUpdates` }])
    expect(platform.requests[0]?.body).toEqual({
      limit: 100,
      timeout: 0,
      allowed_updates: expect.arrayContaining(['message', 'business_message', 'message_reaction']),
    })
    expect(polled.envelopes.map((envelope) => envelope.dedupeKey)).toEqual([
      'update:734102301',
      'update:734102302',
      'update:734102303',
      'update:734102304',
      'update:734102305',
    ])
    expect(polled.envelopes[0]?.payload).toEqual(result[0])
    expect(polled.cursor).toBe('734102306')
    expect(polled.hasMore).toBe(false)
  })

  it('gets the same updates again until the next offset is sent, then only newer ones', async () => {
    const platform = await startPlatform(updateQueue([textUpdate(500), textUpdate(501), textUpdate(502)]))
    const channel = channelAt(platform.url)

    const first = await telegramConnector.poll!(null, channel)
    const uncommitted = await telegramConnector.poll!(null, channel)
    const confirmed = await telegramConnector.poll!(first.cursor, channel)

    expect(first.cursor).toBe('503')
    expect(uncommitted.envelopes.map((envelope) => envelope.dedupeKey)).toEqual(['update:500', 'update:501', 'update:502'])
    expect(platform.requests[2]?.body).toMatchObject({ offset: 503 })
    expect(confirmed).toEqual({ envelopes: [], cursor: 'idle:503', hasMore: false })
  })

  it('reports more waiting when a full page of 100 came', async () => {
    const updates = Array.from({ length: 150 }, (_, index) => textUpdate(1000 + index))
    const platform = await startPlatform(updateQueue(updates))
    const channel = channelAt(platform.url)

    const first = await telegramConnector.poll!('1000', channel)
    const second = await telegramConnector.poll!(first.cursor, channel)

    expect(first.envelopes).toHaveLength(100)
    expect(first).toMatchObject({ cursor: '1100', hasMore: true })
    expect(second.envelopes).toHaveLength(50)
    expect(second).toMatchObject({ cursor: '1150', hasMore: false })
  })

  it('orders the envelopes by update_id, as parallel deliveries are not ordered', async () => {
    const platform = await startPlatform(() => ({ body: { ok: true, result: [textUpdate(7), textUpdate(5), textUpdate(6)] } }))

    const polled = await telegramConnector.poll!(null, channelAt(platform.url))

    expect(polled.envelopes.map((envelope) => envelope.dedupeKey)).toEqual(['update:5', 'update:6', 'update:7'])
    expect(polled.cursor).toBe('8')
  })

  it('fails for good, explaining why, while a webhook is set', async () => {
    const platform = await startPlatform(() => ({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      },
    }))

    const error = await rejectionOf(telegramConnector.poll!(null, channelAt(platform.url)))

    expect(error).toBeInstanceOf(ConnectorError)
    expect(error).toMatchObject({ retryable: false, status: 409, message: expect.stringContaining('webhook is set') })
  })

  it('fails retryably after retry_after when rate limited', async () => {
    const platform = await startPlatform(() => ({
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } },
    }))

    const error = await rejectionOf(telegramConnector.poll!(null, channelAt(platform.url)))

    expect(error).toMatchObject({ retryable: true, retryAfterMs: 3000 })
  })

  it('fails retryably on a server error', async () => {
    const platform = await startPlatform(() => ({ status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } }))

    const error = await rejectionOf(telegramConnector.poll!(null, channelAt(platform.url)))

    expect(error).toMatchObject({ retryable: true, status: 502 })
  })

  it('fails for good when Telegram rejects the token', async () => {
    const platform = await startPlatform(() => ({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } }))

    const error = await rejectionOf(telegramConnector.poll!(null, channelAt(platform.url)))

    expect(error).toMatchObject({ retryable: false, message: 'Telegram rejected the bot token' })
  })
})
