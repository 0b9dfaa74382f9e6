import { createHmac, timingSafeEqual } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, startWebhookReceiver, type SimTemplate, type Simulator, type WebhookReceiver } from '../../../server/src/simulator/index.js'

let sim: Simulator
let receiver: WebhookReceiver
let graph: string
/** One WABA with two phone numbers and the default templates. */
const waba = '102290129340398'
const phone = '130000000000011'
const otherPhone = '130000000000012'
/** A second WABA, given its own templates, for status changes. */
const reviewedWaba = '102290129340399'
const reviewedPhone = '130000000000013'

const orderDelay: SimTemplate = {
  id: '1689556908129832',
  name: 'order_delay',
  language: 'en_US',
  status: 'PENDING',
  category: 'UTILITY',
  parameter_format: 'POSITIONAL',
  components: [{ type: 'BODY', text: 'Hi {{1}}, order {{2}} is delayed.', example: { body_text: [['Ana', '88213']] } }],
}

beforeAll(async () => {
  sim = await startSimulator({ receipts: false, retryScheduleMs: [10] })
  receiver = await startWebhookReceiver()
  graph = sim.apiBaseUrl('whatsapp')
  sim.addAccount({
    kind: 'whatsapp',
    externalId: phone,
    businessAccountId: waba,
    secrets: { appSecret: 'app-secret', accessToken: 'wa-token' },
    webhookUrl: receiver.url,
  })
  sim.addAccount({ kind: 'whatsapp', externalId: otherPhone, businessAccountId: waba, secrets: { appSecret: 'app-secret', accessToken: 'wa-token-2' } })
  sim.addAccount({
    kind: 'whatsapp',
    externalId: reviewedPhone,
    businessAccountId: reviewedWaba,
    secrets: { appSecret: 'app-secret', accessToken: 'reviewed-token' },
    webhookUrl: receiver.url,
    templates: [orderDelay],
  })
})
afterAll(async () => {
  await sim.close()
  await receiver.close()
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph bodies are asserted field by field
type GraphBody = any

async function get(url: string, token: string) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
  return { status: response.status, body: (await response.json()) as GraphBody }
}

async function sendTemplate(template: Record<string, unknown>, from = phone, token = 'wa-token') {
  const response = await fetch(`${graph}/${from}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '5511988887777', type: 'template', template }),
  })
  return { status: response.status, body: (await response.json()) as GraphBody }
}

const text = (value: string) => ({ type: 'text', text: value })
const templateId = (wabaId: string, name: string, language = 'en_US') => sim.templates(wabaId).find((t) => t.name === name && t.language === language)!.id

describe('addAccount with WhatsApp templates', () => {
  it('gives a WABA without templates the default set, shared by its phone numbers', () => {
    const templates = sim.templates(waba)

    expect(templates.map((t) => `${t.name}/${t.language}/${t.status}`)).toEqual([
      'order_update/en_US/APPROVED',
      'order_update/pt_BR/APPROVED',
      'order_update/es/APPROVED',
      'follow_up/en_US/APPROVED',
      'spring_sale/en_US/PAUSED',
      'delivery_photo/en_US/APPROVED',
    ])
    expect(templates.every((t) => /^\d+$/.test(t.id))).toBe(true)
    expect(templates[0]!.components).toEqual([
      { type: 'BODY', text: 'Hi {{1}}, about your order {{2}}: {{3}}', example: { body_text: [expect.any(Array)] } },
      { type: 'FOOTER', text: 'Reply to this message to talk to us' },
    ])
    expect(sim.account(phone)).not.toHaveProperty('templates')
  })

  it("merges a phone number's templates into its WABA's: same name and language replaces, others are added", () => {
    const extra = '1700000000000001'
    sim.addAccount({
      kind: 'whatsapp',
      externalId: '130000000000014',
      businessAccountId: reviewedWaba,
      secrets: { accessToken: 'reviewed-token-2' },
      templates: [
        { ...orderDelay, id: '1689556908129833', components: [{ type: 'BODY', text: 'Hi {{1}}, order {{2}} is late.' }] },
        { id: extra, name: 'hello', language: 'en_US', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello!' }] },
      ],
    })

    const templates = sim.templates(reviewedWaba)

    expect(templates.map((t) => [t.id, t.name])).toEqual([
      ['1689556908129833', 'order_delay'],
      [extra, 'hello'],
    ])

    sim.addAccount({ kind: 'whatsapp', externalId: '130000000000014', businessAccountId: reviewedWaba, secrets: { accessToken: 'reviewed-token-2' } })
    sim.addAccount({ ...sim.account(reviewedPhone)!, templates: [orderDelay] })
    expect(sim.templates(reviewedWaba).map((t) => [t.id, t.name])).toEqual([
      [orderDelay.id, 'order_delay'],
      [extra, 'hello'],
    ])
  })
})

describe('GET /{waba-id}/message_templates', () => {
  it('walks every template two at a time through paging.next; the last page has none', async () => {
    const pages: GraphBody[] = []
    let url: string | undefined = `${graph}/${waba}/message_templates?fields=id,name,language,status,category,parameter_format,components&limit=2`

    while (url) {
      const page = await get(url, 'wa-token')
      expect(page.status).toBe(200)
      pages.push(page.body)
      url = page.body.paging.next
    }

    expect(pages.map((page) => page.data.length)).toEqual([2, 2, 2])
    expect(pages.flatMap((page) => page.data.map((t: SimTemplate) => t.id))).toEqual(sim.templates(waba).map((t) => t.id))
    expect(pages[0].paging).toEqual({ cursors: { before: expect.any(String), after: expect.any(String) }, next: expect.stringContaining('after=') })
    expect(pages[1].paging.previous).toEqual(expect.stringContaining('before='))
    expect(pages[2].paging).not.toHaveProperty('next')
    expect(pages[0].data[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      name: 'order_update',
      language: 'en_US',
      status: 'APPROVED',
      category: 'UTILITY',
      parameter_format: 'POSITIONAL',
      components: expect.any(Array),
    })
  })

  it('pages with an after= cursor, and lists 25 by default', async () => {
    const first = await get(`${graph}/${waba}/message_templates?limit=4`, 'wa-token')

    const rest = await get(`${graph}/${waba}/message_templates?limit=4&after=${first.body.paging.cursors.after}`, 'wa-token')
    const all = await get(`${graph}/${waba}/message_templates`, 'wa-token')

    expect(rest.body.data.map((t: SimTemplate) => t.name)).toEqual(['spring_sale', 'delivery_photo'])
    expect(rest.body.paging).not.toHaveProperty('next')
    expect(all.body.data).toHaveLength(6)
    expect(all.body.data[5]).toMatchObject({ name: 'delivery_photo', quality_score: { score: 'GREEN' } })
  })

  it('filters by status and language', async () => {
    const paused = await get(`${graph}/${waba}/message_templates?status=PAUSED`, 'wa-token')
    const portuguese = await get(`${graph}/${waba}/message_templates?language=pt_BR&fields=name`, 'wa-token')

    expect(paused.body.data.map((t: SimTemplate) => t.name)).toEqual(['spring_sale'])
    expect(portuguese.body.data).toEqual([{ id: expect.any(String), name: 'order_update' }])
  })

  it("accepts the token of any of the WABA's phone numbers", async () => {
    const response = await get(`${graph}/${waba}/message_templates?limit=1`, 'wa-token-2')

    expect(response.status).toBe(200)
  })

  it('refuses a wrong token with 401 code 190, no token with code 104, and an unknown WABA with code 100', async () => {
    const wrong = await get(`${graph}/${waba}/message_templates`, 'reviewed-token')
    const none = await fetch(`${graph}/${waba}/message_templates`)
    const unknown = await get(`${graph}/999999999999999/message_templates`, 'wa-token')

    expect(wrong.status).toBe(401)
    expect(wrong.body.error).toMatchObject({ type: 'OAuthException', code: 190, fbtrace_id: expect.any(String) })
    expect(none.status).toBe(400)
    expect(((await none.json()) as GraphBody).error.code).toBe(104)
    expect(unknown.status).toBe(400)
    expect(unknown.body.error).toMatchObject({ type: 'GraphMethodException', code: 100, error_subcode: 33 })
  })
})

describe('templateStatusChanges', () => {
  it('delivers a message_template_status_update signed over its raw bytes, with the template id as a number', async () => {
    receiver.received.length = 0

    const report = await sim.templateStatusChanges(reviewedWaba, orderDelay.id, 'REJECTED', {
      reason: 'INVALID_FORMAT',
      rejectionInfo: { reason: 'Variable at the start', recommendation: 'Add text before {{1}}' },
    })

    expect(report).toMatchObject({ attempts: 1, finalStatus: 200, delivered: true })
    const [request] = receiver.received
    const raw = request!.rawBody
    const expected = 'sha256=' + createHmac('sha256', 'app-secret').update(raw).digest('hex')
    expect(timingSafeEqual(Buffer.from(String(request!.headers['x-hub-signature-256'])), Buffer.from(expected))).toBe(true)
    expect(raw.toString()).toContain(`"message_template_id":${orderDelay.id},`)
    expect(JSON.parse(raw.toString())).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: reviewedWaba,
          time: expect.any(Number),
          changes: [
            {
              field: 'message_template_status_update',
              value: {
                event: 'REJECTED',
                message_template_id: Number(orderDelay.id),
                message_template_name: 'order_delay',
                message_template_language: 'en_US',
                message_template_category: 'UTILITY',
                reason: 'INVALID_FORMAT',
                rejection_info: { reason: 'Variable at the start', recommendation: 'Add text before {{1}}' },
              },
            },
          ],
        },
      ],
    })
  })

  it('changes the stored status, which the listing then shows; REINSTATED makes it APPROVED again', async () => {
    await sim.templateStatusChanges(reviewedWaba, orderDelay.id, 'PAUSED', { otherInfo: { title: 'FIRST_PAUSE', description: 'Low quality' } })
    const paused = sim.templates(reviewedWaba).find((t) => t.id === orderDelay.id)

    await sim.templateStatusChanges(reviewedWaba, orderDelay.id, 'REINSTATED')
    const listed = await get(`${graph}/${reviewedWaba}/message_templates?name=order_delay`, 'reviewed-token')

    expect(paused?.status).toBe('PAUSED')
    expect(listed.body.data).toEqual([expect.objectContaining({ id: orderDelay.id, status: 'APPROVED' })])
    const last = JSON.parse(receiver.received.at(-1)!.rawBody.toString())
    expect(last.entry[0].changes[0].value).toMatchObject({ event: 'REINSTATED', reason: 'NONE' })
  })

  it('sends reason null for a scheduled deletion', async () => {
    const report = await sim.templateStatusChanges(reviewedWaba, '1700000000000001', 'PENDING_DELETION')

    expect((report.payload as GraphBody).entry[0].changes[0].value).toMatchObject({ event: 'PENDING_DELETION', reason: null })
    expect(sim.templates(reviewedWaba).find((t) => t.id === '1700000000000001')?.status).toBe('PENDING_DELETION')
  })

  it('is also POST /_sim/templates/status, which answers 404 for an unknown template', async () => {
    const json = { 'content-type': 'application/json' }
    const approved = await fetch(`${sim.url}/_sim/templates/status`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ businessAccountId: reviewedWaba, templateId: '1700000000000001', event: 'APPROVED' }),
    })
    const unknown = await fetch(`${sim.url}/_sim/templates/status`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ businessAccountId: reviewedWaba, templateId: '1', event: 'APPROVED' }),
    })

    expect(approved.status).toBe(200)
    expect(await approved.json()).toMatchObject({ delivered: true })
    expect(sim.templates(reviewedWaba).find((t) => t.id === '1700000000000001')?.status).toBe('APPROVED')
    expect(unknown.status).toBe(404)
  })
})

describe('POST /{phone-number-id}/messages (type template)', () => {
  it('accepts an approved template with one parameter per placeholder and records the send', async () => {
    const template = {
      name: 'order_update',
      language: { code: 'pt_BR' },
      components: [{ type: 'body', parameters: [text('Ana'), text('88213'), text('chega amanhã')] }],
    }

    const response = await sendTemplate(template)

    expect(response.status).toBe(200)
    expect(response.body.messages).toEqual([{ id: expect.stringMatching(/^wamid\./), message_status: 'accepted' }])
    expect(sim.sends.at(-1)).toMatchObject({
      kind: 'whatsapp',
      accountExternalId: phone,
      responseStatus: 200,
      platformMessageId: response.body.messages[0].id,
      body: { type: 'template', template },
    })
  })

  it("lets every phone number of the WABA send the WABA's templates", async () => {
    const response = await sendTemplate(
      { name: 'follow_up', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ ...text('Ana'), parameter_name: 'first_name' }] }] },
      otherPhone,
      'wa-token-2',
    )

    expect(response.status).toBe(200)
  })

  it('accepts a media header with a link and a URL button with its index', async () => {
    const response = await sendTemplate({
      name: 'delivery_photo',
      language: { code: 'en_US' },
      components: [
        { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example/p.jpg' } }] },
        { type: 'body', parameters: [text('88213')] },
        { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'agent' }] },
        { type: 'button', sub_type: 'url', index: '1', parameters: [text('88213')] },
      ],
    })

    expect(response.status).toBe(200)
  })

  it('refuses an unknown name or language with 404 code 132001', async () => {
    const unknown = await sendTemplate({ name: 'order_delay', language: { code: 'en_US' }, components: [] })
    const wrongLanguage = await sendTemplate({ name: 'follow_up', language: { code: 'pt_BR' }, components: [] })

    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toEqual({
      message: '(#132001) Template name does not exist in the translation',
      type: 'OAuthException',
      code: 132001,
      error_data: { messaging_product: 'whatsapp', details: 'template name (order_delay) does not exist in en_US' },
      fbtrace_id: expect.any(String),
    })
    expect(wrongLanguage.body.error.code).toBe(132001)
    expect(sim.sends.at(-1)).toMatchObject({ responseStatus: 404 })
    expect(sim.sends.at(-1)).not.toHaveProperty('platformMessageId')
  })

  it('refuses a paused template with code 132015 and a disabled one with 132016', async () => {
    const paused = await sendTemplate({
      name: 'spring_sale',
      language: { code: 'en_US' },
      components: [{ type: 'body', parameters: [text('Ana'), text('SPRING20')] }],
    })
    await sim.templateStatusChanges(waba, templateId(waba, 'order_update', 'es'), 'DISABLED')
    const disabled = await sendTemplate({
      name: 'order_update',
      language: { code: 'es' },
      components: [{ type: 'body', parameters: [text('a'), text('b'), text('c')] }],
    })

    expect(paused.status).toBe(400)
    expect(paused.body.error).toMatchObject({ code: 132015, message: '(#132015) Template is Paused', type: 'OAuthException' })
    expect(disabled.body.error).toMatchObject({ code: 132016, message: '(#132016) Template is disabled' })
  })

  it('refuses the wrong number of body parameters with code 132000', async () => {
    const tooFew = await sendTemplate({ name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [text('Ana')] }] })
    const none = await sendTemplate({ name: 'order_update', language: { code: 'en_US' } })

    expect(tooFew.status).toBe(400)
    expect(tooFew.body.error).toMatchObject({
      code: 132000,
      message: '(#132000) Number of parameters does not match the expected number of params',
      error_data: { details: 'body: number of localizable_params (1) does not match the expected number of params (3)' },
    })
    expect(none.body.error.code).toBe(132000)
  })

  it('refuses a media header without its media and a URL button without its parameter', async () => {
    const body = { type: 'body', parameters: [text('88213')] }
    const noHeader = await sendTemplate({ name: 'delivery_photo', language: { code: 'en_US' }, components: [body] })
    const noButton = await sendTemplate({
      name: 'delivery_photo',
      language: { code: 'en_US' },
      components: [{ type: 'header', parameters: [{ type: 'image', image: { id: '1234567890' } }] }, body],
    })
    const wrongIndex = await sendTemplate({
      name: 'delivery_photo',
      language: { code: 'en_US' },
      components: [
        { type: 'header', parameters: [{ type: 'image', image: { id: '1234567890' } }] },
        body,
        { type: 'button', sub_type: 'url', index: '0', parameters: [text('88213')] },
      ],
    })

    expect(noHeader.body.error).toMatchObject({ code: 132012, error_data: { details: 'header: Format mismatch, expected IMAGE, received UNKNOWN' } })
    expect(noButton.body.error).toMatchObject({ code: 131008, error_data: { details: 'buttons: Button at index 1 of type Url requires a parameter' } })
    expect(wrongIndex.body.error.code).toBe(131008)
  })
})
