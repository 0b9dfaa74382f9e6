import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, startWebhookReceiver, type Simulator, type WebhookReceiver } from '../../../server/src/simulator/index.js'

let sim: Simulator
let receiver: WebhookReceiver
let graph: string
const page = '104455667788990'
const ig = '17841400000000001'
const phone = '130000000000002'

beforeAll(async () => {
  sim = await startSimulator({ receiptDelayMs: 30, retryScheduleMs: [10] })
  receiver = await startWebhookReceiver()
  graph = sim.apiBaseUrl('facebook')
  sim.addAccount({ kind: 'facebook', externalId: page, secrets: { appSecret: 's', accessToken: 'page-token' }, webhookUrl: receiver.url, handle: 'Brand' })
  sim.addAccount({ kind: 'instagram', externalId: ig, secrets: { appSecret: 's', accessToken: 'ig-token' }, webhookUrl: receiver.url, handle: 'brand' })
  sim.addAccount({ kind: 'whatsapp', externalId: phone, secrets: { appSecret: 's', accessToken: 'wa-token' }, webhookUrl: receiver.url })
})
afterAll(async () => {
  await sim.close()
  await receiver.close()
})

async function post(path: string, token: string, body: Record<string, unknown>) {
  const response = await fetch(`${graph}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as WebhookBody }
}

/** Webhook bodies received so far, parsed, that `predicate` picks (receipts of earlier tests may still arrive). */
function webhooks(predicate: (body: WebhookBody) => boolean): WebhookBody[] {
  return receiver.received.map((request) => JSON.parse(request.rawBody.toString()) as WebhookBody).filter(predicate)
}

/** Waits until `count` webhooks match. */
async function waitForWebhooks(count: number, predicate: (body: WebhookBody) => boolean): Promise<WebhookBody[]> {
  const deadline = Date.now() + 5000
  while (webhooks(predicate).length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
  return webhooks(predicate)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- webhook bodies are asserted field by field
type WebhookBody = any

describe('POST /{phone-number-id}/messages (WhatsApp)', () => {
  it('answers with contacts and a wamid, records the send, then delivers sent → delivered → read in order', async () => {
    await sim.customerWrites(phone, { from: { id: '5511988887777', name: 'Ana Souza' }, text: 'Meu pedido chegou quebrado' })

    const response = await post(`/${phone}/messages`, 'wa-token', {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '5511988887777',
      type: 'text',
      text: { body: 'Sentimos muito!' },
    })
    const wamid = response.body.messages[0].id
    const receipts = await waitForWebhooks(3, (body) => body.entry[0].changes?.[0].value.statuses?.[0].id === wamid)

    expect(response.status).toBe(200)
    expect(response.body).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: '5511988887777', wa_id: '5511988887777' }],
      messages: [{ id: expect.stringMatching(/^wamid\./) }],
    })
    expect(sim.sends.at(-1)).toMatchObject({
      kind: 'whatsapp',
      accountExternalId: phone,
      path: `/graph/v21.0/${phone}/messages`,
      responseStatus: 200,
      platformMessageId: wamid,
    })
    const statuses = receipts.map((body) => body.entry[0].changes[0].value.statuses[0])
    expect(statuses.map((status) => [status.id, status.status, status.recipient_id])).toEqual([
      [wamid, 'sent', '5511988887777'],
      [wamid, 'delivered', '5511988887777'],
      [wamid, 'read', '5511988887777'],
    ])
    expect(statuses.every((status) => /^\d+$/.test(status.timestamp))).toBe(true)
  })

  it('sends to a business-scoped user id and answers with the known wa_id', async () => {
    const report = await sim.customerWrites(phone, { from: { id: '420777123456', name: 'Tereza' }, text: 'Dobrý den' })
    const userId = (report.payload as { entry: { changes: { value: { contacts: { user_id: string }[] } }[] }[] }).entry[0]!.changes[0]!.value.contacts[0]!
      .user_id

    const response = await post(`/${phone}/messages`, 'wa-token', { messaging_product: 'whatsapp', to: userId, type: 'text', text: { body: 'Dobrý den!' } })

    expect(response.body.contacts).toEqual([{ input: userId, wa_id: '420777123456' }])
  })

  it('marks a message read with {success: true}', async () => {
    const response = await post(`/${phone}/messages`, 'wa-token', { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.X' })

    expect(response).toEqual({ status: 200, body: { success: true } })
  })

  it('answers a wrong token with 401 OAuthException code 190 and a missing field with code 100', async () => {
    const wrongToken = await post(`/${phone}/messages`, 'nope', { messaging_product: 'whatsapp', to: '1', type: 'text', text: { body: 'x' } })
    const missing = await post(`/${phone}/messages`, 'wa-token', { messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } })

    expect(wrongToken.status).toBe(401)
    expect(wrongToken.body.error).toMatchObject({ type: 'OAuthException', code: 190, fbtrace_id: expect.any(String) })
    expect(missing.status).toBe(400)
    expect(missing.body.error).toMatchObject({ code: 100, message: '(#100) The parameter to is required.' })
  })
})

describe('send references', () => {
  it("repeats a WhatsApp send's biz_opaque_callback_data in each of its statuses", async () => {
    const reference = 'carebox:6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b'

    const response = await post(`/${phone}/messages`, 'wa-token', {
      messaging_product: 'whatsapp',
      to: '5511988887777',
      type: 'text',
      text: { body: 'Já enviamos' },
      biz_opaque_callback_data: reference,
    })
    const wamid = response.body.messages[0].id
    const receipts = await waitForWebhooks(3, (body) => body.entry[0].changes?.[0].value.statuses?.[0].id === wamid)

    const statuses = receipts.map((body) => body.entry[0].changes[0].value.statuses[0])
    expect(statuses.map((status) => [status.status, status.biz_opaque_callback_data])).toEqual([
      ['sent', reference],
      ['delivered', reference],
      ['read', reference],
    ])
  })

  it('refuses biz_opaque_callback_data over 512 characters, as Graph does', async () => {
    const response = await post(`/${phone}/messages`, 'wa-token', {
      messaging_product: 'whatsapp',
      to: '5511988887777',
      type: 'text',
      text: { body: 'x' },
      biz_opaque_callback_data: 'x'.repeat(513),
    })

    expect(response.status).toBe(400)
    expect(response.body.error).toMatchObject({ code: 100, type: 'OAuthException' })
  })

  it("hands a Messenger send's message.metadata back in its echo", async () => {
    const reference = 'carebox:0b9e7c1a-52d4-4e8f-9a61-3c7d2e5f8a90'

    const response = await post(`/${page}/messages`, 'page-token', {
      recipient: { id: '6123456789019999' },
      message: { text: 'On its way', metadata: reference },
    })
    const mid = response.body.message_id
    const [echo] = await waitForWebhooks(1, (body) => body.entry[0].messaging?.[0].message?.mid === mid)

    expect(echo.entry[0].messaging[0].message).toMatchObject({ mid, is_echo: true, metadata: reference, text: 'On its way' })
  })

  it('refuses message.metadata over 1,000 characters', async () => {
    const response = await post(`/${page}/messages`, 'page-token', {
      recipient: { id: '6123456789019999' },
      message: { text: 'x', metadata: 'x'.repeat(1001) },
    })

    expect(response.status).toBe(400)
    expect(response.body.error).toMatchObject({ code: 100 })
  })
})

describe('slow fault', () => {
  it('sends the WhatsApp message and its statuses although the answer comes too late for the client', async () => {
    sim.injectFault({ kind: 'whatsapp', endpoint: 'send', type: 'slow', count: 1, delayMs: 1000 })

    const attempt = fetch(`${graph}/${phone}/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer wa-token', 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', to: '5511988887777', type: 'text', text: { body: 'Chegou?' } }),
      signal: AbortSignal.timeout(200),
    })

    await expect(attempt).rejects.toThrow()
    const send = sim.sends.at(-1)!
    expect(send).toMatchObject({ kind: 'whatsapp', responseStatus: 200, platformMessageId: expect.stringMatching(/^wamid\./) })
    const receipts = await waitForWebhooks(3, (body) => body.entry[0].changes?.[0].value.statuses?.[0].id === send.platformMessageId)
    expect(receipts).toHaveLength(3)
  })
})

describe('POST /{page-id}/messages (Messenger, Instagram)', () => {
  it('answers {recipient_id, message_id}, then delivers the echo, a delivery and a read watermark', async () => {
    const response = await post(`/${page}/messages`, 'page-token', {
      recipient: { id: '6123456789012345' },
      messaging_type: 'RESPONSE',
      message: { text: 'On it!' },
    })
    const psidEvents = (body: WebhookBody) =>
      body.object === 'page' && [body.entry[0].messaging?.[0].sender.id, body.entry[0].messaging?.[0].recipient.id].includes('6123456789012345')
    const received = await waitForWebhooks(3, psidEvents)

    expect(response.body).toEqual({ recipient_id: '6123456789012345', message_id: expect.stringMatching(/^m_/) })
    const mid = response.body.message_id
    const events = received.map((body) => body.entry[0].messaging[0])
    expect(events[0]).toMatchObject({
      sender: { id: page },
      recipient: { id: '6123456789012345' },
      message: { mid, is_echo: true, text: 'On it!', app_id: expect.any(Number) },
    })
    expect(events[1]).toMatchObject({ sender: { id: '6123456789012345' }, recipient: { id: page }, delivery: { mids: [mid], watermark: expect.any(Number) } })
    expect(events[2]).toMatchObject({ sender: { id: '6123456789012345' }, read: { watermark: events[1].delivery.watermark } })
  })

  it('sends Instagram DMs through /me/messages with the account resolved from the token', async () => {
    const response = await post('/me/messages', 'ig-token', { recipient: { id: '1234567890123456' }, message: { text: 'Hi!' } })

    expect(response.status).toBe(200)
    expect(sim.sends.at(-1)).toMatchObject({ kind: 'instagram', accountExternalId: ig, path: '/graph/v21.0/me/messages' })
  })

  it('allows one private reply per comment', async () => {
    const comment = await sim.customerWrites(page, { from: { id: '5566778899001122', name: 'Dana Ruiz' }, text: 'Open on Sunday?', kind: 'comment' })

    const first = await post(`/${page}/messages`, 'page-token', { recipient: { comment_id: comment.externalId }, message: { text: 'Yes, 10–16!' } })
    const second = await post(`/${page}/messages`, 'page-token', { recipient: { comment_id: comment.externalId }, message: { text: 'Again' } })

    expect(first.body).toMatchObject({ recipient_id: '5566778899001122' })
    expect(second.status).toBe(400)
    expect(second.body.error).toMatchObject({ code: 10900 })
  })

  it("refuses an unknown object id with Graph's 400", async () => {
    const response = await post('/123/messages', 'page-token', { recipient: { id: '1' }, message: { text: 'x' } })

    expect(response.status).toBe(400)
    expect(response.body.error).toMatchObject({ code: 100, error_subcode: 33 })
  })
})

describe('comment replies', () => {
  it("replies under a Page comment with POST /{comment-id}/comments and echoes the Page's own comment", async () => {
    const comment = await sim.customerWrites(page, { from: { id: '5566778899001122', name: 'Dana Ruiz' }, text: 'Price?', kind: 'comment' })

    const response = await fetch(`${graph}/${comment.externalId}/comments?access_token=page-token`, {
      method: 'POST',
      body: new URLSearchParams({ message: '€20' }),
    })
    const body = (await response.json()) as { id: string }
    const [echo] = await waitForWebhooks(1, (webhook) => webhook.entry[0].changes?.[0].value.comment_id === body.id)

    expect(response.status).toBe(200)
    expect(body.id).toMatch(/^\d+_\d+$/)
    expect(echo.entry[0].changes[0].value).toMatchObject({
      item: 'comment',
      verb: 'add',
      comment_id: body.id,
      parent_id: comment.externalId,
      from: { id: page },
      message: '€20',
    })
  })

  it('replies under an Instagram comment with POST /{ig-comment-id}/replies', async () => {
    const comment = await sim.customerWrites(ig, { from: { id: '1234567890123456', name: 'Maya', handle: 'maya.k' }, text: 'Refund?', kind: 'comment' })

    const response = await post(`/${comment.externalId}/replies`, 'ig-token', { message: 'Check your DMs' })

    expect(response).toEqual({ status: 200, body: { id: expect.stringMatching(/^179\d{14}$/) } })
    expect(sim.sends.at(-1)).toMatchObject({ kind: 'instagram', accountExternalId: ig })
  })

  it('serves the text of an Instagram mention through mentioned_comment', async () => {
    const mention = await sim.customerWrites(ig, {
      from: { id: '1234567890123456', name: 'Maya', handle: 'maya.k' },
      text: '@brand still waiting',
      kind: 'mention',
    })

    const response = await fetch(`${graph}/${ig}?fields=mentioned_comment.comment_id(${mention.externalId}){text,timestamp,username}&access_token=ig-token`)

    expect(await response.json()).toEqual({
      mentioned_comment: { id: mention.externalId, text: '@brand still waiting', timestamp: expect.stringMatching(/\+0000$/), username: 'maya.k' },
      id: ig,
    })
  })
})

describe('receipts: false', () => {
  it('delivers no receipts after a send', async () => {
    const quiet = await startSimulator({ receipts: false, receiptDelayMs: 10 })
    const quietReceiver = await startWebhookReceiver()
    quiet.addAccount({ kind: 'whatsapp', externalId: phone, secrets: { accessToken: 't' }, webhookUrl: quietReceiver.url })

    await fetch(`${quiet.apiBaseUrl('whatsapp')}/${phone}/messages?access_token=t`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', to: '1', text: { body: 'x' } }),
    })
    await new Promise((resolve) => setTimeout(resolve, 150))
    await quiet.close()
    await quietReceiver.close()

    expect(quiet.sends).toHaveLength(1)
    expect(quietReceiver.received).toHaveLength(0)
  })
})
