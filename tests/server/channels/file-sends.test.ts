import { createHash } from 'node:crypto'
import type { ChannelKind } from '@carebox/shared'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { clearBlueskySessions } from '../../../server/src/channels/bluesky/bluesky.connector.js'
import { ConnectorError, type ChannelRuntime, type OutboundFile, type OutboundMessage } from '../../../server/src/channels/connector.js'
import { connectors } from '../../../server/src/channels/connectors.js'
import { demoPhoto } from '../../../server/src/simulator/photos.js'
import { startSimulator, type RecordedSend, type Simulator } from '../../../server/src/simulator/index.js'

/**
 * Each connector sends an agent's file through its platform's media API, against the simulator: which endpoint
 * took it, and exactly which bytes, name, type and caption reached the customer.
 */

const accounts: Record<ChannelKind, Pick<ChannelRuntime, 'externalId' | 'secrets'> & { handle?: string }> = {
  whatsapp: { externalId: '130000000000077', secrets: { accessToken: 'wa-token' } },
  facebook: { externalId: '104455667788077', secrets: { accessToken: 'page-token' } },
  instagram: { externalId: '17841400000000077', secrets: { accessToken: 'ig-token' } },
  telegram: { externalId: '7077', secrets: { botToken: '7077:AAfiles' } },
  x: { externalId: '2244994977', secrets: { accessToken: 'x-token' } },
  mastodon: { externalId: '109000000000000077', secrets: { accessToken: 'm-token' }, handle: 'care@social.example' },
  bluesky: { externalId: 'did:plc:brandfiles', secrets: { identifier: 'files.bsky.social', appPassword: 'app-pass' }, handle: 'files.bsky.social' },
}

function channelOf(kind: ChannelKind): ChannelRuntime {
  const { externalId, secrets, handle } = accounts[kind]
  return { id: `channel-${kind}`, kind, externalId, config: { apiBaseUrl: sim.apiBaseUrl(kind), mode: 'webhook', ...(handle && { handle }) }, secrets }
}

const dms: Record<'whatsapp' | 'facebook' | 'instagram' | 'telegram' | 'x', OutboundMessage> = {
  whatsapp: {
    id: '11111111-1111-4111-8111-111111111111',
    conversationKind: 'dm',
    threadKey: 'dm:5511988887777',
    recipient: { externalId: '5511988887777' },
    text: '',
  },
  facebook: {
    id: '22222222-2222-4222-8222-222222222222',
    conversationKind: 'dm',
    threadKey: 'dm:6123456789012345',
    recipient: { externalId: '6123456789012345' },
    text: '',
  },
  instagram: {
    id: '33333333-3333-4333-8333-333333333333',
    conversationKind: 'dm',
    threadKey: 'dm:1234567890123456',
    recipient: { externalId: '1234567890123456' },
    text: '',
  },
  telegram: { id: '44444444-4444-4444-8444-444444444444', conversationKind: 'dm', threadKey: 'dm:5550001', recipient: { externalId: '5550001' }, text: '' },
  x: { id: '55555555-5555-4555-8555-555555555555', conversationKind: 'dm', threadKey: 'dm:9988776655', recipient: { externalId: '9988776655' }, text: '' },
}

const mastodonReply: OutboundMessage = {
  id: '66666666-6666-4666-8666-666666666666',
  conversationKind: 'public',
  threadKey: 'status:113000000000000001',
  recipient: { externalId: '42', handle: 'zoe@mastodon.social' },
  text: '',
  replyToExternalId: '113000000000000001',
}

const blueskyReply: OutboundMessage = {
  id: '77777777-7777-4777-8777-777777777777',
  conversationKind: 'public',
  threadKey: 'post:at://did:plc:customer/app.bsky.feed.post/3mabcde2fgh2k',
  recipient: { externalId: 'did:plc:customer' },
  text: '',
  replyContext: { uri: 'at://did:plc:customer/app.bsky.feed.post/3mabcde2fgh2k', cid: 'bafyreicustomerpost' },
}

const tweetReply: OutboundMessage = {
  id: '88888888-8888-4888-8888-888888888888',
  conversationKind: 'public',
  threadKey: 'tweet:1880000000000000001',
  recipient: { externalId: '9988776655' },
  text: '',
  replyToExternalId: '1880000000000000001',
}

const photo = demoPhoto('parcel-label')
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
// GIF89a header: enough for a platform that looks at the first bytes.
const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([1, 0, 1, 0, 0, 0, 0, 0x3b])])

function fileOf(kind: OutboundFile['kind'], name: string, mimeType: string, data: Buffer): OutboundFile {
  return { kind, name, mimeType, data }
}

const image = fileOf('image', 'parcel label.png', 'image/png', photo)
const invoice = fileOf('file', 'Rechnung März.pdf', 'application/pdf', pdf)

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** What the simulator records of a file the customer got, for these bytes. */
function mediaOf(file: OutboundFile, extra: { name?: string; caption?: string; mediaId?: unknown } = {}) {
  return {
    ...(extra.mediaId !== undefined ? { mediaId: extra.mediaId } : {}),
    name: extra.name ?? file.name,
    mimeType: file.mimeType,
    size: file.data.length,
    sha256: sha256(file.data),
    ...(extra.caption ? { caption: extra.caption } : {}),
  }
}

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => expect.unreachable('the send should have failed'),
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(ConnectorError)
  return error as ConnectorError
}

/** The sends and the other calls of one kind made while `act` ran. */
async function callsDuring<T>(kind: ChannelKind, act: () => Promise<T>) {
  const sendsBefore = sim.sends.length
  const requestsBefore = sim.requests.length
  const result = await act()
  return {
    result,
    sends: sim.sends.slice(sendsBefore).filter((send) => send.kind === kind),
    requests: sim.requests.slice(requestsBefore).filter((request) => request.kind === kind),
  }
}

function multipartField(send: RecordedSend | undefined, name: string): unknown {
  const body = send?.body as Record<string, unknown> | undefined
  return body?.[name]
}

let sim: Simulator

beforeAll(async () => {
  // 'timeout' faults drop the connection after 100 ms: an answer the connector never reads.
  sim = await startSimulator({ receipts: false, hangMs: 100 })
  for (const kind of Object.keys(accounts) as ChannelKind[]) sim.addAccount({ kind, ...accounts[kind] })
})
afterAll(async () => {
  await sim.close()
})
beforeEach(() => {
  sim.clearFaults()
  clearBlueskySessions()
})

describe('whatsappConnector.send with a file', () => {
  it('uploads the file to /media, then sends a document naming the media id, with its caption and file name', async () => {
    const { result, sends, requests } = await callsDuring('whatsapp', () =>
      connectors.whatsapp.send({ ...dms.whatsapp, text: 'Ihre Rechnung', replyToExternalId: 'wamid.customer1', file: invoice }, channelOf('whatsapp')),
    )

    const upload = requests.find((request) => request.endpoint === 'upload')
    expect(upload).toMatchObject({ method: 'POST', path: `/graph/v21.0/${accounts.whatsapp.externalId}/media`, status: 200 })
    expect(sends).toHaveLength(1)
    const [send] = sends
    const mediaId = send?.media?.mediaId
    expect(send).toMatchObject({ path: `/graph/v21.0/${accounts.whatsapp.externalId}/messages`, responseStatus: 200 })
    expect(send?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '5511988887777',
      type: 'document',
      document: { id: mediaId, caption: 'Ihre Rechnung', filename: 'Rechnung März.pdf' },
      context: { message_id: 'wamid.customer1' },
      biz_opaque_callback_data: `carebox:${dms.whatsapp.id}`,
    })
    expect(send?.media).toEqual(mediaOf(invoice, { mediaId: expect.any(String), caption: 'Ihre Rechnung' }))
    expect(sim.media(mediaId!)).toMatchObject({ kind: 'whatsapp', accountExternalId: accounts.whatsapp.externalId, name: invoice.name })
    expect(result).toEqual({ externalId: send?.platformMessageId })
  })

  it('sends an image without a caption when the text is empty, and audio never with one', async () => {
    const audio = fileOf('audio', 'note.mp3', 'audio/mpeg', Buffer.from('ID3\u0003\u0000fake mp3 frames'))

    const { sends } = await callsDuring('whatsapp', async () => {
      await connectors.whatsapp.send({ ...dms.whatsapp, file: image }, channelOf('whatsapp'))
      await connectors.whatsapp.send({ ...dms.whatsapp, file: audio }, channelOf('whatsapp'))
    })

    expect(sends.map((send) => [(send.body as { type: string }).type, send.body])).toEqual([
      ['image', expect.objectContaining({ image: { id: sends[0]?.media?.mediaId } })],
      ['audio', expect.objectContaining({ audio: { id: sends[1]?.media?.mediaId } })],
    ])
    expect(sends.map((send) => send.media)).toEqual([mediaOf(image, { mediaId: expect.any(String) }), mediaOf(audio, { mediaId: expect.any(String) })])
  })

  it('reports a failed upload as not sent, and retryable when WhatsApp had a server error', async () => {
    sim.injectFault({ kind: 'whatsapp', endpoint: 'upload', type: '500', count: 1 })

    const { result: error, sends } = await callsDuring('whatsapp', () =>
      failureOf(connectors.whatsapp.send({ ...dms.whatsapp, text: 'Ihre Rechnung', file: invoice }, channelOf('whatsapp'))),
    )

    expect(error).toMatchObject({ retryable: true, outcome: 'not_sent', status: 500 })
    expect(error.message).toContain('WhatsApp did not take the file')
    expect(sends).toEqual([])
  })

  it('reports an upload that never answered as not sent: the message itself never left', async () => {
    sim.injectFault({ kind: 'whatsapp', endpoint: 'upload', type: 'timeout', count: 1 })

    const { result: error, sends } = await callsDuring('whatsapp', () =>
      failureOf(connectors.whatsapp.send({ ...dms.whatsapp, file: image }, channelOf('whatsapp'))),
    )

    expect(error).toMatchObject({ retryable: true, outcome: 'not_sent' })
    expect(sends).toEqual([])
  })

  it('reports a type WhatsApp refuses as a non-retryable failure of the upload', async () => {
    const zip = fileOf('file', 'labels.zip', 'application/zip', Buffer.from('PK\u0003\u0004'))

    const error = await failureOf(connectors.whatsapp.send({ ...dms.whatsapp, file: zip }, channelOf('whatsapp')))

    expect(error).toMatchObject({ retryable: false, outcome: 'not_sent', status: 400, platformCode: '100' })
  })
})

describe('facebookConnector.send with a file', () => {
  it('sends the file as Send API filedata with the attachment type and the reply reference', async () => {
    const { result, sends } = await callsDuring('facebook', () => connectors.facebook.send({ ...dms.facebook, file: invoice }, channelOf('facebook')))

    expect(sends).toHaveLength(1)
    const [send] = sends
    expect(send).toMatchObject({ path: `/graph/v21.0/${accounts.facebook.externalId}/messages`, responseStatus: 200 })
    expect(String(send?.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/)
    expect(send?.body).toEqual({
      recipient: JSON.stringify({ id: '6123456789012345' }),
      messaging_type: 'RESPONSE',
      message: JSON.stringify({ attachment: { type: 'file', payload: { is_reusable: false } }, metadata: `carebox:${dms.facebook.id}` }),
      filedata: { filename: invoice.name, mimeType: 'application/pdf', size: pdf.length },
    })
    expect(send?.media).toEqual(mediaOf(invoice))
    expect(result).toEqual({ externalId: send?.platformMessageId })
  })

  it('sends with the HUMAN_AGENT tag as the text send does', async () => {
    const { sends } = await callsDuring('facebook', () => connectors.facebook.send({ ...dms.facebook, tag: 'HUMAN_AGENT', file: image }, channelOf('facebook')))

    expect(sends[0]?.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })
    expect(JSON.parse(multipartField(sends[0], 'message') as string)).toMatchObject({ attachment: { type: 'image' } })
  })

  it('surfaces a file Messenger cannot take as the attachment type given as a refusal', async () => {
    const mislabelled = fileOf('image', 'scan.pdf', 'application/pdf', pdf)

    const error = await failureOf(connectors.facebook.send({ ...dms.facebook, file: mislabelled }, channelOf('facebook')))

    expect(error).toMatchObject({ retryable: false, outcome: 'rejected', status: 400, platformCode: '100' })
  })

  it('refuses a file in a public comment thread without calling Graph', async () => {
    const comment: OutboundMessage = {
      id: '99999999-9999-4999-8999-999999999999',
      conversationKind: 'public',
      threadKey: 'post:104455667788077_311122233344455',
      recipient: { externalId: '5566778899001122' },
      text: '',
      replyContext: { commentId: '311122233344455_998877665544', postId: '104455667788077_311122233344455' },
      file: image,
    }

    const { result: error, requests } = await callsDuring('facebook', () => failureOf(connectors.facebook.send(comment, channelOf('facebook'))))
    const privately = await failureOf(connectors.facebook.send({ ...comment, visibility: 'private' }, channelOf('facebook')))

    expect(error).toMatchObject({ retryable: false, outcome: 'not_sent' })
    expect(error.message).toContain('comment threads carry no files')
    expect(privately).toMatchObject({ retryable: false, outcome: 'not_sent' })
    expect(requests).toEqual([])
  })
})

describe('instagramConnector.send with a file', () => {
  it('sends the file as Send API filedata, without metadata as the text send', async () => {
    const video = fileOf('video', 'unboxing.mp4', 'video/mp4', Buffer.from('\u0000\u0000\u0000\u0018ftypmp42 fake'))

    const { sends } = await callsDuring('instagram', () => connectors.instagram.send({ ...dms.instagram, file: video }, channelOf('instagram')))

    expect(sends[0]?.body).toEqual({
      recipient: JSON.stringify({ id: '1234567890123456' }),
      message: JSON.stringify({ attachment: { type: 'video', payload: { is_reusable: false } } }),
      filedata: { filename: 'unboxing.mp4', mimeType: 'video/mp4', size: video.data.length },
    })
    expect(sends[0]?.media).toEqual(mediaOf(video))
  })

  it('refuses a file under a comment', async () => {
    const comment: OutboundMessage = {
      id: '99999999-9999-4999-8999-999999999998',
      conversationKind: 'public',
      threadKey: 'media:17900000000000001',
      recipient: { externalId: '17800000000000001' },
      text: '',
      replyContext: { commentId: '17900000000000002', mediaId: '17900000000000001' },
      file: image,
    }

    const error = await failureOf(connectors.instagram.send(comment, channelOf('instagram')))

    expect(error).toMatchObject({ retryable: false, outcome: 'not_sent' })
  })
})

describe('telegramConnector.send with a file', () => {
  it('sends a picture with sendPhoto, its caption and the quoted message', async () => {
    const { result, sends } = await callsDuring('telegram', () =>
      connectors.telegram.send({ ...dms.telegram, text: 'Das Etikett', replyToExternalId: '5550001:4411', file: image }, channelOf('telegram')),
    )

    const [send] = sends
    expect(send).toMatchObject({ path: `/telegram/bot${accounts.telegram.secrets.botToken}/sendPhoto`, responseStatus: 200 })
    expect(send?.body).toEqual({
      chat_id: '5550001',
      reply_parameters: JSON.stringify({ message_id: 4411, allow_sending_without_reply: true }),
      caption: 'Das Etikett',
      photo: { filename: image.name, mimeType: 'image/png', size: photo.length },
    })
    expect(send?.media).toEqual(mediaOf(image, { mediaId: expect.stringMatching(/^AgAC/), caption: 'Das Etikett' }))
    expect(result).toEqual({ externalId: send?.platformMessageId })
  })

  it('sends a GIF and a PDF with sendDocument, keeping their names, and a business chat names its connection', async () => {
    const animation = fileOf('file', 'wave.gif', 'image/gif', gif)

    const { sends } = await callsDuring('telegram', async () => {
      await connectors.telegram.send({ ...dms.telegram, file: animation }, channelOf('telegram'))
      await connectors.telegram.send({ ...dms.telegram, replyContext: { businessConnectionId: 'bc-77' }, file: invoice }, channelOf('telegram'))
    })

    expect(sends.map((send) => send.path.split('/').pop())).toEqual(['sendDocument', 'sendDocument'])
    expect(sends.map((send) => multipartField(send, 'document'))).toEqual([
      { filename: 'wave.gif', mimeType: 'image/gif', size: gif.length },
      { filename: invoice.name, mimeType: 'application/pdf', size: pdf.length },
    ])
    expect(multipartField(sends[1], 'business_connection_id')).toBe('bc-77')
    expect(sends.map((send) => send.media)).toEqual([mediaOf(animation, { mediaId: expect.any(String) }), mediaOf(invoice, { mediaId: expect.any(String) })])
  })

  it('sends audio with sendAudio and video with sendVideo', async () => {
    const audio = fileOf('audio', 'hinweis.mp3', 'audio/mpeg', Buffer.from('ID3 fake'))
    const video = fileOf('video', 'anleitung.mp4', 'video/mp4', Buffer.from('ftyp fake'))

    const { sends } = await callsDuring('telegram', async () => {
      await connectors.telegram.send({ ...dms.telegram, file: audio }, channelOf('telegram'))
      await connectors.telegram.send({ ...dms.telegram, file: video }, channelOf('telegram'))
    })

    expect(sends.map((send) => send.path.split('/').pop())).toEqual(['sendAudio', 'sendVideo'])
    expect(sends.map((send) => send.media?.sha256)).toEqual([sha256(audio.data), sha256(video.data)])
  })

  it('surfaces a photo Telegram cannot process as a refusal', async () => {
    const notAPicture = fileOf('image', 'broken.png', 'image/png', Buffer.from('not a png'))

    const error = await failureOf(connectors.telegram.send({ ...dms.telegram, file: notAPicture }, channelOf('telegram')))

    expect(error).toMatchObject({ retryable: false, outcome: 'rejected', status: 400 })
    expect(error.message).toContain('IMAGE_PROCESS_FAILED')
  })

  it('retries a throttled file send after the wait Telegram names', async () => {
    sim.injectFault({ kind: 'telegram', endpoint: 'send', type: '429', count: 1, retryAfterSeconds: 3 })

    const error = await failureOf(connectors.telegram.send({ ...dms.telegram, file: image }, channelOf('telegram')))

    expect(error).toMatchObject({ retryable: true, retryAfterMs: 3000, outcome: 'rejected', status: 429 })
  })
})

describe('xConnector.send with a file', () => {
  it('uploads a DM image as dm_image, then sends the DM with the media id and its text', async () => {
    const { result, sends, requests } = await callsDuring('x', () => connectors.x.send({ ...dms.x, text: 'Here is the label', file: image }, channelOf('x')))

    expect(requests.find((request) => request.endpoint === 'upload')).toMatchObject({ method: 'POST', path: '/x/2/media/upload', status: 200 })
    const [send] = sends
    const mediaId = send?.media?.mediaId
    expect(send).toMatchObject({ path: '/x/2/dm_conversations/with/9988776655/messages', responseStatus: 201 })
    expect(send?.body).toEqual({ text: 'Here is the label', attachments: [{ media_id: mediaId }] })
    expect(send?.media).toEqual(mediaOf(image, { mediaId: expect.any(String), caption: 'Here is the label' }))
    expect(sim.media(mediaId!)).toMatchObject({ category: 'dm_image' })
    expect(result).toEqual({ externalId: send?.platformMessageId })
  })

  it('uploads a public reply GIF as tweet_gif, waits for its processing, and posts it without text', async () => {
    const animation = fileOf('image', 'thanks.gif', 'image/gif', gif)

    const { sends, requests } = await callsDuring('x', () => connectors.x.send({ ...tweetReply, file: animation }, channelOf('x')))

    expect(requests.filter((request) => request.endpoint === 'upload').map((request) => [request.method, request.status])).toEqual([
      ['POST', 200],
      ['GET', 200],
    ])
    const [send] = sends
    expect(send?.path).toBe('/x/2/tweets')
    expect(send?.body).toEqual({ reply: { in_reply_to_tweet_id: '1880000000000000001' }, media: { media_ids: [send?.media?.mediaId] } })
    expect(sim.media(send!.media!.mediaId!)).toMatchObject({ category: 'tweet_gif', isProcessed: true })
    expect(send?.media).toEqual(mediaOf(animation, { mediaId: expect.any(String) }))
  })

  it('reports a throttled upload as not sent and retryable after the reset X names', async () => {
    sim.injectFault({ kind: 'x', endpoint: 'upload', type: '429', count: 1, retryAfterSeconds: 30 })

    const { result: error, sends } = await callsDuring('x', () => failureOf(connectors.x.send({ ...dms.x, file: image }, channelOf('x'))))

    expect(error).toMatchObject({ retryable: true, outcome: 'not_sent', status: 429 })
    expect(error.retryAfterMs).toBeGreaterThan(0)
    expect(sends).toEqual([])
  })
})

describe('mastodonConnector.send with a file', () => {
  it('uploads the image to /api/v2/media, then posts the status with its id, the mention and the Idempotency-Key', async () => {
    const { result, sends, requests } = await callsDuring('mastodon', () =>
      connectors.mastodon.send({ ...mastodonReply, text: 'This one?', file: image }, channelOf('mastodon')),
    )

    expect(requests.find((request) => request.endpoint === 'upload')).toMatchObject({ method: 'POST', path: '/mastodon/api/v2/media', status: 200 })
    const [send] = sends
    expect(send?.path).toBe('/mastodon/api/v1/statuses')
    expect(send?.headers['idempotency-key']).toBe(mastodonReply.id)
    expect(send?.body).toEqual({
      status: '@zoe@mastodon.social This one?',
      visibility: 'public',
      in_reply_to_id: '113000000000000001',
      media_ids: [send?.media?.mediaId],
    })
    expect(send?.media).toEqual(mediaOf(image, { mediaId: expect.any(String), caption: '@zoe@mastodon.social This one?' }))
    expect(result).toEqual({ externalId: send?.platformMessageId })
  })

  it('posts the mention alone when the file goes without words', async () => {
    const { sends } = await callsDuring('mastodon', () =>
      connectors.mastodon.send({ ...mastodonReply, id: '66666666-6666-4666-8666-000000000002', file: image }, channelOf('mastodon')),
    )

    expect(sends[0]?.body).toMatchObject({ status: '@zoe@mastodon.social' })
  })

  it('waits while Mastodon processes a file it answered 202 for, then posts it', async () => {
    const video = fileOf('video', 'howto.mp4', 'video/mp4', Buffer.from('ftyp fake video'))

    const { sends, requests } = await callsDuring('mastodon', () =>
      connectors.mastodon.send({ ...mastodonReply, id: '66666666-6666-4666-8666-000000000003', file: video }, channelOf('mastodon')),
    )

    expect(requests.filter((request) => request.endpoint === 'upload').map((request) => [request.method, request.status])).toEqual([
      ['POST', 202],
      ['GET', 206],
      ['GET', 200],
    ])
    expect(sends[0]?.media).toEqual(mediaOf(video, { mediaId: expect.any(String), caption: '@zoe@mastodon.social' }))
  })

  it('reports a throttled upload as not sent and retryable, and posts no status', async () => {
    sim.injectFault({ kind: 'mastodon', endpoint: 'upload', type: '429', count: 1, retryAfterSeconds: 12 })

    const { result: error, sends } = await callsDuring('mastodon', () =>
      failureOf(connectors.mastodon.send({ ...mastodonReply, id: '66666666-6666-4666-8666-000000000004', file: image }, channelOf('mastodon'))),
    )

    expect(error).toMatchObject({ retryable: true, retryAfterMs: 12_000, outcome: 'not_sent', status: 429 })
    expect(sends).toEqual([])
  })
})

describe('blueskyConnector.send with a file', () => {
  it('uploads the image with uploadBlob, then embeds the blob in the reply, with no alt text (the file name stays private)', async () => {
    const { result, sends, requests } = await callsDuring('bluesky', () =>
      connectors.bluesky.send({ ...blueskyReply, text: 'Like this?', file: image }, channelOf('bluesky')),
    )

    const upload = requests.find((request) => request.endpoint === 'upload')
    expect(upload).toMatchObject({ method: 'POST', path: '/bluesky/xrpc/com.atproto.repo.uploadBlob', status: 200 })
    const [send] = sends
    const cid = send?.media?.mediaId
    expect(cid).toMatch(/^bafkrei/)
    expect((send?.body as { record: unknown }).record).toMatchObject({
      text: 'Like this?',
      embed: {
        $type: 'app.bsky.embed.images',
        images: [{ alt: '', image: { $type: 'blob', ref: { $link: cid }, mimeType: 'image/png', size: photo.length } }],
      },
    })
    // Bluesky gets no file name at all: a blob has none, and the alt text is left empty.
    expect(send?.media).toEqual({ ...mediaOf(image, { mediaId: cid, caption: 'Like this?' }), name: undefined })
    expect(result).toEqual({ externalId: send?.platformMessageId })
  })

  it('reports a failed upload as not sent and retryable, and writes no post', async () => {
    sim.injectFault({ kind: 'bluesky', endpoint: 'upload', type: '500', count: 1 })

    const { result: error, sends } = await callsDuring('bluesky', () =>
      failureOf(connectors.bluesky.send({ ...blueskyReply, id: '77777777-7777-4777-8777-000000000002', file: image }, channelOf('bluesky'))),
    )

    expect(error).toMatchObject({ retryable: true, outcome: 'not_sent', status: 500 })
    expect(sends).toEqual([])
  })

  it('refuses a file in a Bluesky chat without calling the PDS', async () => {
    const chat: OutboundMessage = { ...blueskyReply, conversationKind: 'dm', threadKey: 'dm:did:plc:customer', file: image }

    const { result: error, requests } = await callsDuring('bluesky', () => failureOf(connectors.bluesky.send(chat, channelOf('bluesky'))))

    expect(error).toMatchObject({ retryable: false, outcome: 'not_sent' })
    expect(error.message).toContain('Bluesky chats carry text only')
    expect(requests).toEqual([])
  })
})
