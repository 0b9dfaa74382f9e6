import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asBytes } from '../../../server/src/channels/http.js'
import { facebookConnector } from '../../../server/src/channels/meta/facebook.connector.js'
import { xConnector } from '../../../server/src/channels/x/x.connector.js'
import { demoPhoto } from '../../../server/src/simulator/photos.js'
import { startSimulator, startWebhookReceiver, type Simulator, type WebhookReceiver } from '../../../server/src/simulator/index.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- platform answers and webhooks are asserted field by field
type Json = any

let sim: Simulator
let receiver: WebhookReceiver
const page = '104455667788111'
const phone = '130000000000111'
const otherPhone = '130000000000112'
const bot = '7111'
const xUser = '2244994111'
const did = 'did:plc:brandmedia'

beforeAll(async () => {
  receiver = await startWebhookReceiver()
  sim = await startSimulator({ receiptDelayMs: 10, retryScheduleMs: [10] })
  sim.addAccount({ kind: 'facebook', externalId: page, secrets: { appSecret: 's', accessToken: 'page-token' }, webhookUrl: receiver.url })
  sim.addAccount({ kind: 'whatsapp', externalId: phone, secrets: { accessToken: 'wa-token' } })
  sim.addAccount({ kind: 'whatsapp', externalId: otherPhone, secrets: { accessToken: 'wa-other' } })
  sim.addAccount({ kind: 'telegram', externalId: bot, secrets: { botToken: `${bot}:AA` } })
  sim.addAccount({ kind: 'x', externalId: xUser, secrets: { accessToken: 'x-token', consumerSecret: 'cs' }, webhookUrl: receiver.url, handle: 'BrandCare' })
  sim.addAccount({ kind: 'mastodon', externalId: '99111', secrets: { accessToken: 'm-token' } })
  sim.addAccount({ kind: 'bluesky', externalId: did, secrets: { identifier: 'media.bsky.social', appPassword: 'pw' }, handle: 'media.bsky.social' })
})
afterAll(async () => {
  await sim.close()
  await receiver.close()
})

const photo = demoPhoto('damaged-box')
const pdf = Buffer.from('%PDF-1.4 fake document')

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function formOf(fields: Record<string, string>, file?: { field: string; name: string; type: string; data: Buffer }): FormData {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) form.append(name, value)
  if (file) form.append(file.field, new Blob([asBytes(file.data)], { type: file.type }), file.name)
  return form
}

async function call(url: string, init: RequestInit & { token?: string; json?: unknown } = {}) {
  const { token, json, ...rest } = init
  const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}) }
  const response = await fetch(url, {
    method: 'POST',
    ...rest,
    headers: { ...headers, ...(rest.headers as Record<string, string>) },
    ...(json ? { body: JSON.stringify(json) } : {}),
  })
  const text = await response.text()
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Json }
}

/** The first webhook body received that `predicate` picks, waiting for it up to 5 s. */
async function webhookWhere(predicate: (body: Json) => boolean): Promise<Json> {
  const deadline = Date.now() + 5000
  for (;;) {
    const found = receiver.received.map((request) => JSON.parse(request.rawBody.toString()) as Json).find(predicate)
    if (found || Date.now() > deadline) return found
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const graph = () => sim.apiBaseUrl('whatsapp')

async function uploadWhatsApp(phoneId: string, token: string, file = { field: 'file', name: 'invoice.pdf', type: 'application/pdf', data: pdf }) {
  return call(`${graph()}/${phoneId}/media`, { token, body: formOf({ messaging_product: 'whatsapp', type: file.type }, file) })
}

function sendWhatsApp(phoneId: string, token: string, message: Record<string, unknown>) {
  return call(`${graph()}/${phoneId}/messages`, { token, json: { messaging_product: 'whatsapp', to: '5511988887777', ...message } })
}

describe('POST /{phone-number-id}/media (WhatsApp)', () => {
  it('keeps the upload for the phone number and answers its id', async () => {
    const response = await uploadWhatsApp(phone, 'wa-token')

    expect(response).toEqual({ status: 200, body: { id: expect.stringMatching(/^\d{16}$/) } })
    expect(sim.media(response.body.id)).toMatchObject({
      kind: 'whatsapp',
      accountExternalId: phone,
      name: 'invoice.pdf',
      mimeType: 'application/pdf',
      size: pdf.length,
      sha256: sha256(pdf),
    })
    expect(sim.requests.at(-1)).toMatchObject({ endpoint: 'upload', accountExternalId: phone, status: 200 })
  })

  it('refuses an upload without messaging_product or without a file, and a type WhatsApp does not take', async () => {
    const noProduct = await call(`${graph()}/${phone}/media`, {
      token: 'wa-token',
      body: formOf({}, { field: 'file', name: 'a.pdf', type: 'application/pdf', data: pdf }),
    })
    const noFile = await call(`${graph()}/${phone}/media`, { token: 'wa-token', body: formOf({ messaging_product: 'whatsapp' }) })
    const zip = await uploadWhatsApp(phone, 'wa-token', { field: 'file', name: 'a.zip', type: 'application/zip', data: Buffer.from('PK') })

    expect(noProduct.body.error).toMatchObject({ code: 100, message: '(#100) The parameter messaging_product is required.' })
    expect(noFile.body.error).toMatchObject({ code: 100, message: '(#100) The parameter file is required.' })
    expect(zip.status).toBe(400)
    expect(zip.body.error.message).toMatch(/^\(#100\) Param file must be a file with one of the following types: audio\/aac/)
  })

  it("sends a document by media id and records what the customer got; another number's media id or an unknown one is refused", async () => {
    const { body: uploaded } = await uploadWhatsApp(phone, 'wa-token')
    const { body: foreign } = await uploadWhatsApp(otherPhone, 'wa-other')

    const sent = await sendWhatsApp(phone, 'wa-token', { type: 'document', document: { id: uploaded.id, caption: 'Ihre Rechnung', filename: 'Rechnung.pdf' } })
    const send = sim.sends.at(-1)
    const stolen = await sendWhatsApp(phone, 'wa-token', { type: 'image', image: { id: foreign.id } })
    const unknown = await sendWhatsApp(phone, 'wa-token', { type: 'image', image: { id: '1000000000000000' } })
    const neither = await sendWhatsApp(phone, 'wa-token', { type: 'image', image: { caption: 'x' } })

    expect(sent.status).toBe(200)
    expect(send?.media).toEqual({
      mediaId: uploaded.id,
      name: 'Rechnung.pdf',
      mimeType: 'application/pdf',
      size: pdf.length,
      sha256: sha256(pdf),
      caption: 'Ihre Rechnung',
    })
    expect([stolen.status, stolen.body.error.code, unknown.status, unknown.body.error.code]).toEqual([400, 131009, 400, 131009])
    expect(neither.body.error).toMatchObject({ code: 131008 })
  })

  it('takes an upload fault on uploads only: a send goes through meanwhile', async () => {
    sim.injectFault({ kind: 'whatsapp', endpoint: 'upload', type: '500', count: 1 })

    const sent = await sendWhatsApp(phone, 'wa-token', { type: 'text', text: { body: 'hi' } })
    const failed = await uploadWhatsApp(phone, 'wa-token')
    const next = await uploadWhatsApp(phone, 'wa-token')

    expect([sent.status, failed.status, next.status]).toEqual([200, 500, 200])
    expect(failed.body.error).toMatchObject({ code: 2, is_transient: true })
  })
})

describe('POST /{page-id}/messages with filedata (Messenger)', () => {
  it("records the file, echoes it as the message's attachment, and serves its bytes at the echoed url", async () => {
    await sim.customerWrites(page, { from: { id: '6123456789012111', name: 'Ana' }, text: 'Foto?' })
    const replyId = '0c5f7a52-3d4e-4f60-9a1b-2c3d4e5f6a7b'
    const form = formOf(
      {
        recipient: JSON.stringify({ id: '6123456789012111' }),
        messaging_type: 'RESPONSE',
        message: JSON.stringify({ attachment: { type: 'image', payload: { is_reusable: false } }, metadata: `carebox:${replyId}` }),
      },
      { field: 'filedata', name: 'box.png', type: 'image/png', data: photo },
    )

    const response = await call(`${graph()}/${page}/messages`, { token: 'page-token', body: form })
    const mid = response.body.message_id
    const body = await webhookWhere((webhook) => webhook.entry?.[0]?.messaging?.[0]?.message?.mid === mid)
    const message = body.entry[0].messaging[0].message
    const served = await fetch(message.attachments[0].payload.url)

    expect(response.body).toEqual({ recipient_id: '6123456789012111', message_id: expect.stringMatching(/^m_/) })
    expect(sim.sends.find((send) => send.platformMessageId === mid)?.media).toEqual({
      name: 'box.png',
      mimeType: 'image/png',
      size: photo.length,
      sha256: sha256(photo),
    })
    expect(message).toMatchObject({
      is_echo: true,
      metadata: `carebox:${replyId}`,
      attachments: [{ type: 'image', payload: { url: expect.stringContaining('/_sim/uploads/') } }],
    })
    expect(message.text).toBeUndefined()
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await served.arrayBuffer()).equals(photo)).toBe(true)
    const channel = { id: 'c', kind: 'facebook' as const, externalId: page, config: { apiBaseUrl: graph(), mode: 'webhook' as const }, secrets: {} }
    expect(facebookConnector.parse(body, channel)).toMatchObject([
      { direction: 'echo', ref: replyId, attachments: [{ kind: 'image', url: message.attachments[0].payload.url }] },
    ])
  })

  it('answers an attachment_id for is_reusable, which a later message may name; a missing file or a mismatched type is refused', async () => {
    const fields = (attachment: object) => ({ recipient: JSON.stringify({ id: '6123456789012111' }), message: JSON.stringify({ attachment }) })

    const saved = await call(`${graph()}/${page}/messages`, {
      token: 'page-token',
      body: formOf(fields({ type: 'file', payload: { is_reusable: true } }), { field: 'filedata', name: 'terms.pdf', type: 'application/pdf', data: pdf }),
    })
    const reused = await call(`${graph()}/${page}/messages`, {
      token: 'page-token',
      json: { recipient: { id: '6123456789012111' }, message: { attachment: { type: 'file', payload: { attachment_id: saved.body.attachment_id } } } },
    })
    const reusedSend = sim.sends.at(-1)
    const missing = await call(`${graph()}/${page}/messages`, { token: 'page-token', body: formOf(fields({ type: 'image', payload: {} })) })
    const mismatched = await call(`${graph()}/${page}/messages`, {
      token: 'page-token',
      body: formOf(fields({ type: 'image', payload: {} }), { field: 'filedata', name: 'terms.pdf', type: 'application/pdf', data: pdf }),
    })

    expect(saved.body.attachment_id).toMatch(/^\d{16}$/)
    expect(reused.status).toBe(200)
    expect(reusedSend?.media).toEqual({
      mediaId: saved.body.attachment_id,
      name: 'terms.pdf',
      mimeType: 'application/pdf',
      size: pdf.length,
      sha256: sha256(pdf),
    })
    expect(missing.body.error).toMatchObject({ code: 100, error_subcode: 2018047 })
    expect(mismatched.body.error).toMatchObject({ code: 100, error_subcode: 2018047, message: '(#100) Upload attachment failure.' })
  })
})

describe('sendPhoto, sendDocument (Telegram)', () => {
  const api = () => `${sim.apiBaseUrl('telegram')}/bot${bot}:AA`

  it('answers the Message with the file, and takes its file_id again', async () => {
    const sent = await call(`${api()}/sendDocument`, {
      body: formOf({ chat_id: '5550111', caption: 'Hier' }, { field: 'document', name: 'AGB.pdf', type: 'application/pdf', data: pdf }),
    })
    const fileId = sent.body.result.document.file_id
    const again = await call(`${api()}/sendDocument`, { json: { chat_id: 5550111, document: fileId } })

    expect(sent.body.result).toMatchObject({
      chat: { id: 5550111, type: 'private' },
      caption: 'Hier',
      document: { file_id: expect.stringMatching(/^BQAC/), file_name: 'AGB.pdf', mime_type: 'application/pdf', file_size: pdf.length },
    })
    expect(again.status).toBe(200)
    expect(sim.sends.at(-1)?.media).toEqual({ mediaId: fileId, name: 'AGB.pdf', mimeType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) })
  })

  it('refuses a send without its file, an unknown file_id, and a caption over 1,024 characters', async () => {
    const none = await call(`${api()}/sendPhoto`, { json: { chat_id: 5550111 } })
    const unknown = await call(`${api()}/sendPhoto`, { json: { chat_id: 5550111, photo: 'AgACAgIAAxkBAAnope' } })
    const long = await call(`${api()}/sendPhoto`, {
      body: formOf({ chat_id: '5550111', caption: 'x'.repeat(1025) }, { field: 'photo', name: 'a.png', type: 'image/png', data: photo }),
    })

    expect(none.body).toEqual({ ok: false, error_code: 400, description: 'Bad Request: there is no photo in the request' })
    expect(unknown.body.description).toBe('Bad Request: wrong file identifier/HTTP URL specified')
    expect(long.body.description).toBe('Bad Request: message caption is too long')
  })
})

describe('POST /2/media/upload (X)', () => {
  const api = () => sim.apiBaseUrl('x')

  async function upload(category: string, file = { field: 'media', name: 'a.png', type: 'image/png', data: photo }) {
    return call(`${api()}/2/media/upload`, { token: 'x-token', body: formOf({ media_category: category }, file) })
  }

  it('answers the media id and key; a post refuses DM media and a DM refuses post media', async () => {
    const dm = await upload('dm_image')
    const tweet = await upload('tweet_image')

    const post = await call(`${api()}/2/tweets`, { token: 'x-token', json: { text: 'hi', media: { media_ids: [dm.body.data.id] } } })
    const message = await call(`${api()}/2/dm_conversations/with/3805104111/messages`, {
      token: 'x-token',
      json: { attachments: [{ media_id: tweet.body.data.id }] },
    })
    const video = await upload('dm_video', { field: 'media', name: 'a.mp4', type: 'video/mp4', data: Buffer.from('ftyp') })

    expect(dm.body.data).toEqual({ id: expect.stringMatching(/^\d+$/), media_key: `3_${dm.body.data.id}`, size: photo.length, expires_after_secs: 86_400 })
    expect([post.status, post.body.errors[0].message]).toEqual([400, `Your media IDs are invalid: ${dm.body.data.id}`])
    expect([message.status, message.body.errors[0].message]).toEqual([400, `Your media IDs are invalid: ${tweet.body.data.id}`])
    expect(video.status).toBe(400)
  })

  it("hands a webhook account's DM with media back through Account Activity, with the media and its t.co link", async () => {
    const { body: uploaded } = await upload('dm_image')

    const sent = await call(`${api()}/2/dm_conversations/with/3805104111/messages`, {
      token: 'x-token',
      json: { text: 'label attached', attachments: [{ media_id: uploaded.data.id }] },
    })
    const eventId = sent.body.data.dm_event_id
    const body = await webhookWhere((webhook) => webhook.direct_message_events?.[0]?.id === eventId)
    const messageData = body.direct_message_events[0].message_create.message_data

    expect(messageData.attachment).toMatchObject({
      type: 'media',
      media: { id_str: uploaded.data.id, type: 'photo', media_url_https: expect.stringContaining('/_sim/uploads/') },
    })
    expect(messageData.text).toBe(`label attached ${messageData.attachment.media.url}`)
    const channel = { id: 'c', kind: 'x' as const, externalId: xUser, config: { apiBaseUrl: api(), mode: 'webhook' as const }, secrets: {} }
    expect(xConnector.parse(body, channel)).toMatchObject([
      { direction: 'echo', text: 'label attached', attachments: [{ kind: 'image', url: messageData.attachment.media.media_url_https }] },
    ])
  })
})

describe('POST /api/v2/media (Mastodon)', () => {
  const api = () => sim.apiBaseUrl('mastodon')

  async function upload(file = { field: 'file', name: 'a.png', type: 'image/png', data: photo }) {
    return call(`${api()}/api/v2/media`, { token: 'm-token', body: formOf({}, file) })
  }

  it('attaches an image to one status only', async () => {
    const { body: media } = await upload()

    const first = await call(`${api()}/api/v1/statuses`, { token: 'm-token', json: { status: 'one', media_ids: [media.id] } })
    const second = await call(`${api()}/api/v1/statuses`, { token: 'm-token', json: { status: 'two', media_ids: [media.id] } })

    expect(media).toMatchObject({ id: expect.any(String), type: 'image', url: expect.stringContaining('/_sim/uploads/') })
    expect(first.body.media_attachments).toEqual([expect.objectContaining({ id: media.id, type: 'image' })])
    expect(second).toEqual({ status: 422, body: { error: `Media ${media.id} not found or already attached to another post` } })
  })

  it('answers a video 202 and refuses it on a status until it is processed', async () => {
    const video = await upload({ field: 'file', name: 'a.mp4', type: 'video/mp4', data: Buffer.from('ftyp') })

    const early = await call(`${api()}/api/v1/statuses`, { token: 'm-token', json: { status: 'clip', media_ids: [video.body.id] } })
    const processing = await call(`${api()}/api/v1/media/${video.body.id}`, { method: 'GET', token: 'm-token' })
    const ready = await call(`${api()}/api/v1/media/${video.body.id}`, { method: 'GET', token: 'm-token' })
    const missing = await call(`${api()}/api/v2/media`, { token: 'm-token', body: formOf({ description: 'nothing' }) })

    expect([video.status, video.body.url]).toEqual([202, null])
    expect(early).toEqual({ status: 422, body: { error: 'Cannot attach files that have not finished processing. Try again in a moment!' } })
    expect([processing.status, processing.body.url]).toEqual([206, null])
    expect([ready.status, ready.body.url]).toEqual([200, expect.any(String)])
    expect(missing).toEqual({ status: 422, body: { error: "Validation failed: File can't be blank" } })
  })
})

describe('com.atproto.repo.uploadBlob (Bluesky)', () => {
  const api = () => sim.apiBaseUrl('bluesky')

  async function session(): Promise<string> {
    const { body } = await call(`${api()}/xrpc/com.atproto.server.createSession`, { json: { identifier: 'media.bsky.social', password: 'pw' } })
    return body.accessJwt as string
  }

  function post(token: string, embed: object) {
    return call(`${api()}/xrpc/com.atproto.repo.createRecord`, {
      token,
      json: { repo: did, collection: 'app.bsky.feed.post', record: { $type: 'app.bsky.feed.post', text: 'look', createdAt: new Date().toISOString(), embed } },
    })
  }

  it('answers the blob of the raw bytes, which a post may embed; an unknown blob or one over 1,000,000 bytes is refused', async () => {
    const token = await session()
    const uploaded = await call(`${api()}/xrpc/com.atproto.repo.uploadBlob`, { token, headers: { 'content-type': 'image/png' }, body: asBytes(photo) })
    const big = Buffer.concat([photo, Buffer.alloc(1_000_001)])
    const { body: large } = await call(`${api()}/xrpc/com.atproto.repo.uploadBlob`, { token, headers: { 'content-type': 'image/png' }, body: asBytes(big) })
    const images = (blob: object) => ({ $type: 'app.bsky.embed.images', images: [{ alt: 'box', image: blob }] })

    const posted = await post(token, images(uploaded.body.blob))
    const unknown = await post(token, images({ ...uploaded.body.blob, ref: { $link: 'bafkreiunknownblob' } }))
    const tooLarge = await post(token, images(large.blob))

    expect(uploaded.body).toEqual({ blob: { $type: 'blob', ref: { $link: expect.stringMatching(/^bafkrei/) }, mimeType: 'image/png', size: photo.length } })
    expect(posted.status).toBe(200)
    expect(sim.sends.find((send) => send.platformMessageId === posted.body.uri)?.media).toEqual({
      mediaId: uploaded.body.blob.ref.$link,
      name: 'box',
      mimeType: 'image/png',
      size: photo.length,
      sha256: sha256(photo),
      caption: 'look',
    })
    expect(unknown).toEqual({ status: 400, body: { error: 'BlobNotFound', message: 'Could not find blob: bafkreiunknownblob' } })
    expect([tooLarge.status, tooLarge.body.error]).toEqual([400, 'InvalidRequest'])
  })
})
