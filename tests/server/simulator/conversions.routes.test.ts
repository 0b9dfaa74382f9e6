import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSimulator, startWebhookReceiver, type Simulator, type WebhookReceiver } from '../../../server/src/simulator/index.js'

let sim: Simulator
let receiver: WebhookReceiver
const pageId = '104455667788990'
const phoneNumberId = '130000000000002'

function purchase(overrides: Record<string, unknown> = {}) {
  return {
    event_name: 'Purchase',
    event_time: Math.floor(Date.now() / 1000) - 60,
    event_id: 'cbx_out_1',
    action_source: 'business_messaging',
    messaging_channel: 'whatsapp',
    user_data: { whatsapp_business_account_id: '120000000000001', ctwa_clid: 'ARAk1' },
    custom_data: { currency: 'EUR', value: 129 },
    ...overrides,
  }
}

function post(body: unknown, token = 'wa-token', datasetId = '555000111') {
  return fetch(`${sim.apiBaseUrl('whatsapp')}/${datasetId}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

beforeAll(async () => {
  sim = await startSimulator({ receipts: false })
  receiver = await startWebhookReceiver()
  sim.addAccount({ kind: 'whatsapp', externalId: phoneNumberId, secrets: { appSecret: 's', accessToken: 'wa-token' }, webhookUrl: receiver.url })
  sim.addAccount({ kind: 'facebook', externalId: pageId, secrets: { appSecret: 's', accessToken: 'page-token' }, webhookUrl: receiver.url })
})
beforeEach(() => {
  sim.conversionEvents.length = 0
  sim.clearFaults()
})
afterAll(async () => {
  await sim.close()
  await receiver.close()
})

describe('POST /graph/:version/:datasetId/events', () => {
  it('accepts a well-formed event, records it, and answers as Meta does', async () => {
    const event = purchase()

    const response = await post({ data: [event] })

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ events_received: 1, messages: [], fbtrace_id: expect.any(String) })
    expect(sim.conversionEvents).toEqual([{ datasetId: '555000111', accountExternalId: phoneNumberId, event, at: expect.any(Date) }])
  })

  it.each([
    ['no data', {}, 'Missing events'],
    ['an event without a name', { data: [purchase({ event_name: '' })] }, 'Missing event name'],
    ['a Lead (LeadSubmitted is the messaging name)', { data: [purchase({ event_name: 'Lead' })] }, 'Unsupported event name'],
    ['an event time in milliseconds', { data: [purchase({ event_time: Date.now() })] }, 'Event time in the future'],
    ['an event older than 7 days', { data: [purchase({ event_time: Math.floor(Date.now() / 1000) - 8 * 86_400 })] }, 'Event too old'],
    ['another action source', { data: [purchase({ action_source: 'website' })] }, 'Invalid action source'],
    ['a WhatsApp event without its click id', { data: [purchase({ user_data: { whatsapp_business_account_id: '1' } })] }, 'Missing user data'],
    ['a purchase without a currency', { data: [purchase({ custom_data: { value: 3 } })] }, 'Missing currency'],
  ])('answers 400 in Graph’s error shape for %s, and keeps nothing', async (_case, body, title) => {
    const response = await post(body)

    expect(response.status).toBe(400)
    const answer = (await response.json()) as { error: Record<string, unknown> }
    expect(answer.error).toMatchObject({ message: 'Invalid parameter', type: 'OAuthException', code: 100, is_transient: false, error_user_title: title })
    expect(answer.error.fbtrace_id).toEqual(expect.any(String))
    expect(sim.conversionEvents).toEqual([])
  })

  it('answers 401 to a token no account holds', async () => {
    const response = await post({ data: [purchase()] }, 'stranger')

    expect(response.status).toBe(401)
    expect(((await response.json()) as { error: { code: number } }).error.code).toBe(190)
  })

  it('answers 500 once under a conversions fault, then takes the event', async () => {
    sim.injectFault({ endpoint: 'conversions', type: '500', count: 1 })

    const first = await post({ data: [purchase()] })
    const second = await post({ data: [purchase()] })

    expect([first.status, second.status]).toEqual([500, 200])
    expect(sim.conversionEvents).toHaveLength(1)
  })
})

describe('referrals in customer payloads', () => {
  it('puts an ad referral on the first Messenger message and on the WhatsApp message, as Meta does', async () => {
    const ad = { source: 'ADS', type: 'OPEN_THREAD', ad_id: '120226305854810726' }
    const ctwa = { source_type: 'ad', source_id: '120226305854810726', ctwa_clid: 'ARAk1' }

    const messenger = await sim.customerWrites(pageId, { from: { id: '6123', name: 'Emma' }, text: 'Hi', referral: ad })
    const whatsapp = await sim.customerWrites(phoneNumberId, { from: { id: '5511988887777', name: 'Ana' }, text: 'Oi', referral: ctwa })

    expect(messenger.payload).toMatchObject({ entry: [{ messaging: [{ message: { text: 'Hi', referral: ad } }] }] })
    expect(whatsapp.payload).toMatchObject({ entry: [{ changes: [{ value: { messages: [{ text: { body: 'Oi' }, referral: ctwa }] } }] }] })
  })

  it('delivers a click in a thread before any message as a messaging_referrals event', async () => {
    const link = { source: 'SHORTLINK', type: 'OPEN_THREAD', ref: 'qr-store-berlin' }

    const report = await sim.customerArrives(pageId, { from: { id: '6123', name: 'Emma' }, referral: link, at: new Date(1767225500000) })

    expect(report.delivered).toBe(true)
    expect(report.payload).toEqual({
      object: 'page',
      entry: [
        {
          id: pageId,
          time: 1767225500000,
          messaging: [{ sender: { id: '6123' }, recipient: { id: pageId }, timestamp: 1767225500000, referral: link }],
        },
      ],
    })
  })
})
