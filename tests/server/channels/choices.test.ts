import type { ChannelKind } from '@carebox/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConnectorError, type ChannelRuntime, type InboundEvent, type OutboundChoices, type OutboundMessage } from '../../../server/src/channels/connector.js'
import { connectors } from '../../../server/src/channels/connectors.js'
import {
  ChoiceRefusedError,
  startSimulator,
  startWebhookReceiver,
  type RecordedSend,
  type Simulator,
  type WebhookReceiver,
} from '../../../server/src/simulator/index.js'

/**
 * A satisfaction survey's tappable answers, per platform, against the simulator: the question goes out in the
 * platform's own control (exact wire shape), and the customer's tap comes back through the connector's webhook or
 * poll parsing as a message whose `choice` is the option's id (specs/outreach.md §2).
 */

let sim: Simulator
let receiver: WebhookReceiver

const appSecret = 'meta-app-secret'
const telegramSecret = 'tg_webhook-secret'

const accounts: Record<ChannelKind, Pick<ChannelRuntime, 'externalId' | 'secrets'> & { handle?: string }> = {
  whatsapp: { externalId: '130000000000088', secrets: { appSecret, accessToken: 'wa-token' } },
  facebook: { externalId: '104455667788088', secrets: { appSecret, accessToken: 'page-token' } },
  instagram: { externalId: '17841400000000088', secrets: { appSecret, accessToken: 'ig-token' } },
  telegram: { externalId: '7088', secrets: { botToken: '7088:AAchoices', webhookSecret: telegramSecret } },
  x: { externalId: '2244994988', secrets: { accessToken: 'x-token' } },
  mastodon: { externalId: '109000000000000088', secrets: { accessToken: 'm-token' }, handle: 'care@social.example' },
  bluesky: { externalId: 'did:plc:brandchoices', secrets: { identifier: 'choices.bsky.social', appPassword: 'app-pass' }, handle: 'choices.bsky.social' },
}

/** A second bot, polled rather than called by webhook. */
const pollingBot = { externalId: '7089', secrets: { botToken: '7089:AApolled' } }

function channelOf(kind: ChannelKind, mode: 'webhook' | 'polling' = 'webhook'): ChannelRuntime {
  const { externalId, secrets, handle } = kind === 'telegram' && mode === 'polling' ? { ...pollingBot, handle: undefined } : accounts[kind]
  return { id: `channel-${kind}`, kind, externalId, config: { apiBaseUrl: sim.apiBaseUrl(kind), mode, ...(handle && { handle }) }, secrets }
}

beforeAll(async () => {
  sim = await startSimulator({ receipts: false, retryScheduleMs: [10] })
  receiver = await startWebhookReceiver()
  for (const kind of ['whatsapp', 'facebook', 'instagram', 'telegram'] as const) {
    sim.addAccount({ kind, ...accounts[kind], webhookUrl: receiver.url })
  }
  for (const kind of ['x', 'mastodon', 'bluesky'] as const) sim.addAccount({ kind, ...accounts[kind] })
  sim.addAccount({ kind: 'telegram', ...pollingBot })
})
afterAll(async () => {
  await sim.close()
  await receiver.close()
})

const csat: OutboundChoices = {
  buttonLabel: 'Rate us',
  options: [
    { id: 'csat:s9f2Qk:1', title: '😞 1 Very unhappy' },
    { id: 'csat:s9f2Qk:2', title: '2' },
    { id: 'csat:s9f2Qk:3', title: '3' },
    { id: 'csat:s9f2Qk:4', title: '4' },
    { id: 'csat:s9f2Qk:5', title: '😍 5 Absolutely delighted, thanks!' },
  ],
}

function survey(kind: 'whatsapp' | 'facebook' | 'instagram' | 'telegram' | 'x', customerId: string, overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: '9c0ffee0-1111-4111-8111-111111111111',
    conversationKind: 'dm',
    threadKey: `dm:${customerId}`,
    recipient: { externalId: customerId },
    text: kind === 'x' ? 'How did we do? Reply with a number from 1 to 5' : 'How did we do?',
    choices: csat,
    ...overrides,
  }
}

/** The sends of `kind` made while `act` ran. */
async function sendsDuring(kind: ChannelKind, act: () => Promise<unknown>): Promise<RecordedSend[]> {
  const before = sim.sends.length
  await act()
  return sim.sends.slice(before).filter((send) => send.kind === kind)
}

/** The webhook the simulator delivered for the tap, checked and parsed by the connector as ingest would. */
function parseLastWebhook(kind: ChannelKind): InboundEvent[] {
  const request = receiver.received.at(-1)
  if (!request) throw new Error('No webhook was delivered')
  const connector = connectors[kind]
  expect(connector.verifyWebhook({ headers: request.headers as Record<string, string | undefined>, rawBody: request.rawBody }, channelOf(kind))).toBe(true)
  return connector.parse(JSON.parse(request.rawBody.toString('utf8')), channelOf(kind))
}

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => expect.unreachable('the send should have failed'),
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(ConnectorError)
  return error as ConnectorError
}

const ana = { id: '5511988880088', name: 'Ana Souza' }
const lena = { id: '58212388', name: 'Lena Krüger', handle: 'lena_k' }
const sam = { id: '6123456789010088', name: 'Sam Park' }
const yui = { id: '1234567890120088', name: 'Yui Tanaka' }

describe('WhatsApp list', () => {
  it('sends the question as an interactive list with a row per answer, titles cut to 24, keeping the reply context and reference', async () => {
    const message = survey('whatsapp', ana.id, { replyToExternalId: 'wamid.HBgNcustomerLast' })

    const sends = await sendsDuring('whatsapp', () => connectors.whatsapp.send(message, channelOf('whatsapp')))

    expect(sends).toHaveLength(1)
    expect(sends[0]).toMatchObject({ path: `/graph/v21.0/${accounts.whatsapp.externalId}/messages`, responseStatus: 200 })
    expect(sends[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: ana.id,
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'How did we do?' },
        action: {
          button: 'Rate us',
          sections: [
            {
              title: 'Rate us',
              rows: [
                { id: 'csat:s9f2Qk:1', title: '😞 1 Very unhappy' },
                { id: 'csat:s9f2Qk:2', title: '2' },
                { id: 'csat:s9f2Qk:3', title: '3' },
                { id: 'csat:s9f2Qk:4', title: '4' },
                { id: 'csat:s9f2Qk:5', title: '😍 5 Absolutely delighted' },
              ],
            },
          ],
        },
      },
      context: { message_id: 'wamid.HBgNcustomerLast' },
      biz_opaque_callback_data: `carebox:${message.id}`,
    })
  })

  it("reads the customer's tap as a message answering our list, with the row's title as text and its id as choice", async () => {
    const { externalId: wamid } = await connectors.whatsapp.send(survey('whatsapp', ana.id), channelOf('whatsapp'))

    const report = await sim.customerChooses(accounts.whatsapp.externalId, { from: ana, messageId: wamid, optionId: 'csat:s9f2Qk:4' })
    const events = parseLastWebhook('whatsapp')

    expect(report.delivered).toBe(true)
    expect(events).toEqual([
      {
        type: 'message',
        externalId: report.externalId,
        threadKey: expect.stringMatching(/^dm:BR\./),
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: expect.stringMatching(/^BR\./), aliases: [ana.id], name: ana.name },
        text: '4',
        attachments: [],
        sentAt: expect.any(String),
        replyToExternalId: wamid,
        choice: 'csat:s9f2Qk:4',
      },
    ])
  })

  it('cuts a label too long for the list button to 20 characters, and to 24 for the section title', async () => {
    const message = survey('whatsapp', ana.id, { choices: { buttonLabel: 'Tell us how we did today', options: csat.options } })

    const sends = await sendsDuring('whatsapp', () => connectors.whatsapp.send(message, channelOf('whatsapp')))

    expect(sends[0]?.body).toMatchObject({
      interactive: { action: { button: 'Tell us how we did t', sections: [{ title: 'Tell us how we did today' }] } },
    })
    expect(sends[0]?.responseStatus).toBe(200)
  })

  it('refuses, before calling WhatsApp, a question with more answers than a list holds', async () => {
    const options = Array.from({ length: 11 }, (_, index) => ({ id: `csat:tooMany:${index}`, title: String(index) }))

    const sends = await sendsDuring('whatsapp', async () => {
      const error = await failureOf(connectors.whatsapp.send(survey('whatsapp', ana.id, { choices: { buttonLabel: 'Rate', options } }), channelOf('whatsapp')))
      expect(error).toMatchObject({ retryable: false, outcome: 'not_sent' })
    })

    expect(sends).toEqual([])
  })
})

describe('Telegram inline keyboard', () => {
  it('sends the question with one row of buttons whose callback_data are the answer ids', async () => {
    const sends = await sendsDuring('telegram', () => connectors.telegram.send(survey('telegram', lena.id), channelOf('telegram')))

    expect(sends).toHaveLength(1)
    expect(sends[0]).toMatchObject({ path: `/telegram/bot${accounts.telegram.secrets.botToken}/sendMessage`, responseStatus: 200 })
    expect(sends[0]?.body).toEqual({
      chat_id: Number(lena.id),
      text: 'How did we do?',
      reply_markup: { inline_keyboard: [csat.options.map((option) => ({ text: option.title, callback_data: option.id }))] },
    })
  })

  it('reads a tap delivered by webhook as a message with the button text and choice, then acknowledges it so it cannot be tapped twice', async () => {
    const channel = channelOf('telegram')
    const { externalId: surveyId } = await connectors.telegram.send(survey('telegram', lena.id), channel)

    const report = await sim.customerChooses(accounts.telegram.externalId, { from: lena, messageId: surveyId, optionId: 'csat:s9f2Qk:5' })
    const events = parseLastWebhook('telegram')
    const acks = await sendsDuring('telegram', () => connectors.telegram.acknowledge!(events[0]!, channel))
    const again = sim.customerChooses(accounts.telegram.externalId, { from: lena, messageId: surveyId, optionId: 'csat:s9f2Qk:1' })

    expect(report.delivered).toBe(true)
    expect(events).toEqual([
      {
        type: 'message',
        externalId: report.externalId,
        threadKey: `dm:${lena.id}`,
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: lena.id, name: lena.name, handle: 'lena_k' },
        text: '😍 5 Absolutely delighted, thanks!',
        attachments: [],
        sentAt: expect.any(String),
        replyToExternalId: surveyId,
        choice: 'csat:s9f2Qk:5',
      },
    ])
    const [chatId, messageId] = surveyId.split(':').map(Number)
    expect(acks.map((send) => [send.path.split('/').at(-1), send.body, send.responseStatus])).toEqual([
      ['answerCallbackQuery', { callback_query_id: report.externalId?.replace(/^cb:/, '') }, 200],
      ['editMessageReplyMarkup', { chat_id: chatId, message_id: messageId, reply_markup: { inline_keyboard: [] } }, 200],
    ])
    await expect(again).rejects.toBeInstanceOf(ChoiceRefusedError)
  })

  it('takes a redelivered tap acknowledged before as done', async () => {
    const channel = channelOf('telegram')
    await connectors.telegram.send(survey('telegram', lena.id), channel)
    await sim.customerChooses(accounts.telegram.externalId, { from: lena, optionId: 'csat:s9f2Qk:3' })
    const [event] = parseLastWebhook('telegram')
    await connectors.telegram.acknowledge!(event!, channel)

    const acks = await sendsDuring('telegram', () => connectors.telegram.acknowledge!(event!, channel))

    expect(acks.map((send) => send.responseStatus)).toEqual([400, 400])
  })

  it('reads a tap queued for getUpdates, the keyboard still on the message it answers', async () => {
    const channel = channelOf('telegram', 'polling')
    const { externalId: surveyId } = await connectors.telegram.send(survey('telegram', lena.id), channel)
    await sim.customerChooses(pollingBot.externalId, { from: lena, optionId: 'csat:s9f2Qk:2' })

    const { envelopes } = await connectors.telegram.poll!(null, channel)
    const events = envelopes.flatMap((envelope) => connectors.telegram.parse(envelope.payload, channel))

    expect(envelopes).toHaveLength(1)
    expect(envelopes[0]?.payload).toMatchObject({
      callback_query: { message: { reply_markup: { inline_keyboard: [csat.options.map((o) => ({ text: o.title, callback_data: o.id }))] } } },
    })
    expect(events).toMatchObject([{ type: 'message', text: '2', choice: 'csat:s9f2Qk:2', replyToExternalId: surveyId, contact: { externalId: lena.id } }])
  })

  it('asks getUpdates for callback queries', async () => {
    const before = sim.requests.length

    await connectors.telegram.poll!(null, channelOf('telegram', 'polling'))

    expect(sim.requests.slice(before).map((request) => request.path)).toEqual([`/telegram/bot${pollingBot.secrets.botToken}/getUpdates`])
  })

  it('refuses answer buttons in a group, where anyone could tap them', async () => {
    const message = survey('telegram', '-1001987654321', { conversationKind: 'public', threadKey: 'group:-1001987654321' })

    const error = await failureOf(connectors.telegram.send(message, channelOf('telegram')))

    expect(error).toMatchObject({ retryable: false, outcome: 'not_sent' })
  })
})

describe.each([
  ['facebook', sam],
  ['instagram', yui],
] as const)('%s quick replies', (kind, customer) => {
  it('sends the question with a text quick reply per answer, titles cut to 20', async () => {
    const sends = await sendsDuring(kind, () => connectors[kind].send(survey(kind, customer.id), channelOf(kind)))

    expect(sends).toHaveLength(1)
    expect(sends[0]).toMatchObject({ path: `/graph/v21.0/${accounts[kind].externalId}/messages`, responseStatus: 200 })
    expect(sends[0]?.body).toEqual({
      recipient: { id: customer.id },
      ...(kind === 'facebook' && { messaging_type: 'RESPONSE' }),
      message: {
        text: 'How did we do?',
        quick_replies: [
          { content_type: 'text', title: '😞 1 Very unhappy', payload: 'csat:s9f2Qk:1' },
          { content_type: 'text', title: '2', payload: 'csat:s9f2Qk:2' },
          { content_type: 'text', title: '3', payload: 'csat:s9f2Qk:3' },
          { content_type: 'text', title: '4', payload: 'csat:s9f2Qk:4' },
          { content_type: 'text', title: '😍 5 Absolutely delig', payload: 'csat:s9f2Qk:5' },
        ],
        ...(kind === 'facebook' && { metadata: 'carebox:9c0ffee0-1111-4111-8111-111111111111' }),
      },
    })
  })

  it("reads the tap as the customer's message with the title as text and the payload as choice; the quick replies are gone after", async () => {
    await connectors[kind].send(survey(kind, customer.id), channelOf(kind))

    const report = await sim.customerChooses(accounts[kind].externalId, { from: customer, optionId: 'csat:s9f2Qk:1' })
    const events = parseLastWebhook(kind)
    const again = sim.customerChooses(accounts[kind].externalId, { from: customer, optionId: 'csat:s9f2Qk:2' })

    expect(events).toEqual([
      {
        type: 'message',
        externalId: report.externalId,
        threadKey: `dm:${customer.id}`,
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: customer.id },
        text: '😞 1 Very unhappy',
        attachments: [],
        sentAt: expect.any(String),
        choice: 'csat:s9f2Qk:1',
      },
    ])
    await expect(again).rejects.toMatchObject({ status: 409 })
  })

  it('refuses answer buttons in a comment thread', async () => {
    const message = survey(kind, customer.id, {
      conversationKind: 'public',
      threadKey: 'post:1',
      replyToExternalId: '1_2',
      replyContext: { commentId: '1_2', postId: '1' },
    })

    const error = await failureOf(connectors[kind].send(message, channelOf(kind)))

    expect(error).toMatchObject({ retryable: false, outcome: 'not_sent' })
  })
})

describe('X direct messages', () => {
  it('sends the question as text alone, the customer typing the answer', async () => {
    const sends = await sendsDuring('x', () => connectors.x.send(survey('x', '9988776688'), channelOf('x')))

    expect(sends.map((send) => [send.path, send.body])).toEqual([
      ['/x/2/dm_conversations/with/9988776688/messages', { text: 'How did we do? Reply with a number from 1 to 5' }],
    ])
  })

  it('refuses answer buttons on a public reply', async () => {
    const message = survey('x', '9988776688', { conversationKind: 'public', threadKey: 'tweet:1880000000000000088', replyToExternalId: '1880000000000000088' })

    const error = await failureOf(connectors.x.send(message, channelOf('x')))

    expect(error).toMatchObject({ retryable: false, outcome: 'not_sent' })
  })
})

const publicOnly: ['mastodon' | 'bluesky', OutboundMessage][] = [
  [
    'mastodon',
    {
      id: '9c0ffee0-2222-4222-8222-222222222222',
      conversationKind: 'public',
      threadKey: 'status:113000000000000088',
      recipient: { externalId: '42', handle: 'zoe@mastodon.social' },
      text: 'How did we do?',
      replyToExternalId: '113000000000000088',
      choices: csat,
    },
  ],
  [
    'bluesky',
    {
      id: '9c0ffee0-3333-4333-8333-333333333333',
      conversationKind: 'public',
      threadKey: 'post:at://did:plc:customer/app.bsky.feed.post/3mabcde2fgh88',
      recipient: { externalId: 'did:plc:customer' },
      text: 'How did we do?',
      replyContext: { uri: 'at://did:plc:customer/app.bsky.feed.post/3mabcde2fgh88', cid: 'bafyreicustomerpost' },
      choices: csat,
    },
  ],
]

describe.each(publicOnly)('%s', (kind, message) => {
  it('refuses answer buttons for good, calling nothing', async () => {
    const before = sim.requests.length

    const error = await failureOf(connectors[kind].send(message, channelOf(kind)))

    expect(error).toMatchObject({ retryable: false, outcome: 'not_sent', message: expect.stringContaining('has no answer buttons') })
    expect(sim.requests.slice(before)).toEqual([])
  })
})
