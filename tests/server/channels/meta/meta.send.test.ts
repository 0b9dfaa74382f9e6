import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ConnectorError, type ChannelRuntime, type OutboundMessage } from '../../../../server/src/channels/connector.js'
import { facebookConnector } from '../../../../server/src/channels/meta/facebook.connector.js'
import { instagramConnector } from '../../../../server/src/channels/meta/instagram.connector.js'
import { whatsappConnector } from '../../../../server/src/channels/meta/whatsapp.connector.js'

interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: unknown
}

interface GraphAnswer {
  status: number
  body: unknown
  headers?: Record<string, string>
}

const openServers: (() => Promise<void>)[] = []

afterEach(async () => {
  await Promise.all(openServers.splice(0).map((close) => close()))
})

/** A throwaway Graph stand-in on loopback: records each request and answers what the test says. */
async function startGraph(answer: GraphAnswer) {
  const requests: RecordedRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : undefined })
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', ...answer.headers })
      res.end(JSON.stringify(answer.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  openServers.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const { port } = server.address() as AddressInfo
  return { apiBaseUrl: `http://127.0.0.1:${port}/v21.0`, requests }
}

function channel(kind: ChannelRuntime['kind'], externalId: string, apiBaseUrl: string): ChannelRuntime {
  return { id: `channel-${kind}`, kind, externalId, config: { apiBaseUrl, mode: 'webhook' }, secrets: { appSecret: 'secret', accessToken: 'token-123' } }
}

async function rejectionOf(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(ConnectorError)
  return error as ConnectorError
}

const pageId = '104455667788990'
const psid = '6123456789012345'

const messengerReply: OutboundMessage = {
  id: 'reply-1',
  conversationKind: 'dm',
  threadKey: `dm:${psid}`,
  recipient: { externalId: psid },
  text: 'Your parcel is on its way',
}

const commentReply: OutboundMessage = {
  id: 'reply-2',
  conversationKind: 'public',
  threadKey: 'post:104455667788990_311122233344455',
  recipient: { externalId: '5566778899001122' },
  text: 'Yes, 10:00 to 16:00',
  replyToExternalId: '311122233344455_998877665544',
  replyContext: { commentId: '311122233344455_998877665544', postId: '104455667788990_311122233344455' },
}

const graphError = (message: string, code: number, subcode?: number) => ({
  error: { message, type: 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: 'AbCdEf123' },
})

describe('facebookConnector.send', () => {
  it('posts a Messenger DM to the Page messages edge with the bearer token', async () => {
    const graph = await startGraph({ status: 200, body: { recipient_id: psid, message_id: 'm_sent0001' } })

    const result = await facebookConnector.send(messengerReply, channel('facebook', pageId, graph.apiBaseUrl))

    expect(result).toEqual({ externalId: 'm_sent0001' })
    expect(graph.requests).toHaveLength(1)
    expect(graph.requests[0]).toMatchObject({
      method: 'POST',
      path: `/v21.0/${pageId}/messages`,
      headers: { authorization: 'Bearer token-123', 'content-type': 'application/json' },
      body: { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'Your parcel is on its way' } },
    })
  })

  it('sends with the HUMAN_AGENT tag when the reply carries it', async () => {
    const graph = await startGraph({ status: 200, body: { recipient_id: psid, message_id: 'm_sent0002' } })

    await facebookConnector.send({ ...messengerReply, tag: 'HUMAN_AGENT' }, channel('facebook', pageId, graph.apiBaseUrl))

    expect(graph.requests[0]?.body).toEqual({
      recipient: { id: psid },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'Your parcel is on its way', metadata: 'carebox:reply-1' },
    })
  })

  it('answers a public comment under the comment', async () => {
    const graph = await startGraph({ status: 200, body: { id: '311122233344455_998877669999' } })

    const result = await facebookConnector.send(commentReply, channel('facebook', pageId, graph.apiBaseUrl))

    expect(result).toEqual({ externalId: '311122233344455_998877669999' })
    expect(graph.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v21.0/311122233344455_998877665544/comments',
      headers: { authorization: 'Bearer token-123' },
      body: { message: 'Yes, 10:00 to 16:00' },
    })
  })

  it('sends a private reply to a comment through the Send API', async () => {
    const graph = await startGraph({ status: 200, body: { recipient_id: '5566778899001122', message_id: 'm_private0001' } })

    const result = await facebookConnector.send({ ...commentReply, visibility: 'private' }, channel('facebook', pageId, graph.apiBaseUrl))

    expect(result).toEqual({ externalId: 'm_private0001' })
    expect(graph.requests[0]).toMatchObject({
      path: `/v21.0/${pageId}/messages`,
      body: { recipient: { comment_id: '311122233344455_998877665544' }, message: { text: 'Yes, 10:00 to 16:00' } },
    })
  })

  it('throws a retryable error with a wait when Graph answers the 613 rate limit', async () => {
    const graph = await startGraph({ status: 400, body: graphError('(#613) Calls to this api have exceeded the rate limit.', 613) })

    const error = await rejectionOf(facebookConnector.send(messengerReply, channel('facebook', pageId, graph.apiBaseUrl)))

    expect(error).toMatchObject({ retryable: true, retryAfterMs: 60_000, platformCode: '613', status: 400 })
    expect(error.message).toContain('Facebook is rate-limiting this account')
  })

  it('honours Retry-After on a 429', async () => {
    const graph = await startGraph({ status: 429, body: graphError('(#4) Application request limit reached', 4), headers: { 'retry-after': '7' } })

    const error = await rejectionOf(facebookConnector.send(messengerReply, channel('facebook', pageId, graph.apiBaseUrl)))

    expect(error).toMatchObject({ retryable: true, retryAfterMs: 7_000, platformCode: '4', status: 429 })
  })

  it('waits as long as the business use case header announces', async () => {
    const usage = JSON.stringify({ [pageId]: [{ type: 'messenger', call_count: 100, total_cputime: 12, total_time: 30, estimated_time_to_regain_access: 5 }] })
    const graph = await startGraph({
      status: 403,
      body: graphError('(#80006) There have been too many messages sent to this Messenger user.', 80006),
      headers: { 'x-business-use-case-usage': usage },
    })

    const error = await rejectionOf(facebookConnector.send(messengerReply, channel('facebook', pageId, graph.apiBaseUrl)))

    expect(error).toMatchObject({ retryable: true, retryAfterMs: 300_000, platformCode: '80006' })
  })

  it('throws a retryable error on a 500', async () => {
    const graph = await startGraph({ status: 500, body: { error: { message: 'An unexpected error has occurred.', code: 50, type: 'OAuthException' } } })

    const error = await rejectionOf(facebookConnector.send(messengerReply, channel('facebook', pageId, graph.apiBaseUrl)))

    expect(error).toMatchObject({ retryable: true, status: 500, platformCode: '50' })
    expect(error.message).toContain('HTTP 500')
  })

  it('throws a final error naming the missing permission on a 400 permission error', async () => {
    const graph = await startGraph({ status: 400, body: graphError('(#200) Requires pages_messaging permission to manage the object', 200) })

    const error = await rejectionOf(facebookConnector.send(messengerReply, channel('facebook', pageId, graph.apiBaseUrl)))

    expect(error).toMatchObject({ retryable: false, status: 400, platformCode: '200' })
    expect(error.message).toBe(
      'The Facebook token lacks a permission needed to send this reply. Facebook said: "(#200) Requires pages_messaging permission to manage the object" (code 200)',
    )
  })

  it('explains a closed 24-hour window in plain words', async () => {
    const graph = await startGraph({ status: 400, body: graphError('(#10) This message is sent outside of allowed window.', 10, 2018278) })

    const error = await rejectionOf(facebookConnector.send(messengerReply, channel('facebook', pageId, graph.apiBaseUrl)))

    expect(error).toMatchObject({ retryable: false, platformCode: '10' })
    expect(error.message).toMatch(/^The 24-hour reply window has closed/)
  })

  it('refuses without calling Graph when the channel has no access token', async () => {
    const graph = await startGraph({ status: 200, body: {} })
    const noToken = { ...channel('facebook', pageId, graph.apiBaseUrl), secrets: {} }

    const error = await rejectionOf(facebookConnector.send(messengerReply, noToken))

    expect(error.retryable).toBe(false)
    expect(graph.requests).toHaveLength(0)
  })
})

describe('instagramConnector.send', () => {
  const accountId = '17841400000000001'
  const igsid = '1234567890123456'
  const dm: OutboundMessage = { id: 'reply-3', conversationKind: 'dm', threadKey: `dm:${igsid}`, recipient: { externalId: igsid }, text: 'Yes, we do' }
  const comment: OutboundMessage = {
    id: 'reply-4',
    conversationKind: 'public',
    threadKey: 'media:17950000000000999',
    recipient: { externalId: igsid },
    text: 'Sorry! Check your DMs',
    replyToExternalId: '17900000000000123',
    replyContext: { commentId: '17900000000000123', mediaId: '17950000000000999' },
  }

  it('posts a DM to the account messages edge', async () => {
    const graph = await startGraph({ status: 200, body: { recipient_id: igsid, message_id: 'aWdfZAG1sent' } })

    const result = await instagramConnector.send(dm, channel('instagram', accountId, graph.apiBaseUrl))

    expect(result).toEqual({ externalId: 'aWdfZAG1sent' })
    expect(graph.requests[0]).toMatchObject({
      method: 'POST',
      path: `/v21.0/${accountId}/messages`,
      headers: { authorization: 'Bearer token-123' },
      body: { recipient: { id: igsid }, message: { text: 'Yes, we do' } },
    })
  })

  it('replies publicly under the comment', async () => {
    const graph = await startGraph({ status: 200, body: { id: '17900000000000200' } })

    const result = await instagramConnector.send(comment, channel('instagram', accountId, graph.apiBaseUrl))

    expect(result).toEqual({ externalId: '17900000000000200' })
    expect(graph.requests[0]).toMatchObject({ path: '/v21.0/17900000000000123/replies', body: { message: 'Sorry! Check your DMs' } })
  })

  it('replies privately to the commenter through recipient.comment_id', async () => {
    const graph = await startGraph({ status: 200, body: { recipient_id: igsid, message_id: 'aWdfZAG1private' } })

    const result = await instagramConnector.send({ ...comment, visibility: 'private' }, channel('instagram', accountId, graph.apiBaseUrl))

    expect(result).toEqual({ externalId: 'aWdfZAG1private' })
    expect(graph.requests[0]).toMatchObject({
      path: `/v21.0/${accountId}/messages`,
      body: { recipient: { comment_id: '17900000000000123' }, message: { text: 'Sorry! Check your DMs' } },
    })
  })

  it('answers a mention through the account mentions edge', async () => {
    const graph = await startGraph({ status: 200, body: { id: '17900000000000300' } })
    const mention: OutboundMessage = {
      ...comment,
      threadKey: 'media:17960000000000555',
      replyToExternalId: '17900000000000777',
      replyContext: { mediaId: '17960000000000555', commentId: '17900000000000777', mention: 'true' },
    }

    const result = await instagramConnector.send(mention, channel('instagram', accountId, graph.apiBaseUrl))

    expect(result).toEqual({ externalId: '17900000000000300' })
    expect(graph.requests[0]).toMatchObject({
      path: `/v21.0/${accountId}/mentions`,
      body: { media_id: '17960000000000555', comment_id: '17900000000000777', message: 'Sorry! Check your DMs' },
    })
  })
})

describe('whatsappConnector.send', () => {
  const phoneNumberId = '130000000000002'
  const reply: OutboundMessage = {
    id: 'reply-5',
    conversationKind: 'dm',
    threadKey: 'dm:BR.1502576394655843',
    recipient: { externalId: 'BR.1502576394655843', aliases: ['5511988887777'] },
    text: 'Vamos trocar o produto',
    replyToExternalId: 'wamid.HBgNAnaImage',
  }
  const sent = { messaging_product: 'whatsapp', contacts: [{ input: '5511988887777', wa_id: '5511988887777' }], messages: [{ id: 'wamid.HBgNsent0001' }] }

  it('posts a text to the phone number messages edge, to the phone number, quoting the message answered, with our reference', async () => {
    const graph = await startGraph({ status: 200, body: sent })

    const result = await whatsappConnector.send(reply, channel('whatsapp', phoneNumberId, graph.apiBaseUrl))

    expect(result).toEqual({ externalId: 'wamid.HBgNsent0001' })
    expect(graph.requests[0]).toMatchObject({
      method: 'POST',
      path: `/v21.0/${phoneNumberId}/messages`,
      headers: { authorization: 'Bearer token-123', 'content-type': 'application/json' },
    })
    expect(graph.requests[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '5511988887777',
      type: 'text',
      text: { body: 'Vamos trocar o produto', preview_url: false },
      context: { message_id: 'wamid.HBgNAnaImage' },
      biz_opaque_callback_data: 'carebox:reply-5',
    })
  })

  it('addresses a user known only by business-scoped id through recipient', async () => {
    const graph = await startGraph({ status: 200, body: sent })
    const bsuidOnly = { ...reply, recipient: { externalId: 'US.13491208655302741918' }, replyToExternalId: undefined }

    await whatsappConnector.send(bsuidOnly, channel('whatsapp', phoneNumberId, graph.apiBaseUrl))

    expect(graph.requests[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      recipient: 'US.13491208655302741918',
      type: 'text',
      text: { body: 'Vamos trocar o produto', preview_url: false },
      biz_opaque_callback_data: 'carebox:reply-5',
    })
  })

  it('retries after a short wait on the 131056 pair rate limit', async () => {
    const graph = await startGraph({ status: 400, body: graphError('(#131056) (Business Account, Consumer Account) pair rate limit hit', 131056) })

    const error = await rejectionOf(whatsappConnector.send(reply, channel('whatsapp', phoneNumberId, graph.apiBaseUrl)))

    expect(error).toMatchObject({ retryable: true, retryAfterMs: 6_000, platformCode: '131056', status: 400 })
  })

  it('retries on the 130429 throughput limit', async () => {
    const graph = await startGraph({ status: 400, body: graphError('(#130429) Rate limit hit', 130429) })

    const error = await rejectionOf(whatsappConnector.send(reply, channel('whatsapp', phoneNumberId, graph.apiBaseUrl)))

    expect(error).toMatchObject({ retryable: true, retryAfterMs: 5_000, platformCode: '130429' })
  })

  it('gives up with a plain message when the 24-hour window has closed', async () => {
    const graph = await startGraph({
      status: 400,
      body: {
        error: {
          message: '(#131047) Re-engagement message',
          type: 'OAuthException',
          code: 131047,
          error_data: {
            messaging_product: 'whatsapp',
            details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
          },
        },
      },
    })

    const error = await rejectionOf(whatsappConnector.send(reply, channel('whatsapp', phoneNumberId, graph.apiBaseUrl)))

    expect(error).toMatchObject({ retryable: false, platformCode: '131047', status: 400 })
    expect(error.message).toMatch(/^More than 24 hours have passed since the customer last wrote, so WhatsApp only accepts a template message now/)
  })

  it('does not retry a success answer that lacks a message id', async () => {
    const graph = await startGraph({ status: 200, body: { messaging_product: 'whatsapp', messages: [] } })

    const error = await rejectionOf(whatsappConnector.send(reply, channel('whatsapp', phoneNumberId, graph.apiBaseUrl)))

    expect(error.retryable).toBe(false)
  })
})

describe('User Profile API', () => {
  it('reads a Messenger customer’s name and picture by PSID, with the Page token', async () => {
    const graph = await startGraph({ status: 200, body: { id: '7001', first_name: 'Lucía', last_name: 'Fernández', profile_pic: 'https://cdn.example/p.jpg' } })

    const profile = await facebookConnector.profile('7001', channel('facebook', pageId, graph.apiBaseUrl))

    expect(profile).toEqual({ name: 'Lucía Fernández', avatarUrl: 'https://cdn.example/p.jpg' })
    expect(graph.requests[0]).toMatchObject({ method: 'GET', path: '/v21.0/7001?fields=first_name,last_name,profile_pic' })
    expect(graph.requests[0]?.headers.authorization).toBe('Bearer token-123')
  })

  it('reads an Instagram customer’s name, username, picture and follower count by IGSID', async () => {
    const graph = await startGraph({
      status: 200,
      body: { id: '9001', name: 'Kenji Sato', username: 'kenji.s', profile_pic: 'https://cdn.example/k.jpg', follower_count: 15200 },
    })

    const profile = await instagramConnector.profile('9001', channel('instagram', '17841400000000000', graph.apiBaseUrl))

    expect(profile).toEqual({ name: 'Kenji Sato', handle: 'kenji.s', avatarUrl: 'https://cdn.example/k.jpg', followers: 15200 })
    expect(graph.requests[0]?.path).toBe('/v21.0/9001?fields=name,username,profile_pic,follower_count')
  })

  it('keeps only what the answer really gives, and says why when Meta refuses', async () => {
    const partial = await startGraph({ status: 200, body: { id: '7002', first_name: '  ', profile_pic: 42 } })
    expect(await facebookConnector.profile('7002', channel('facebook', pageId, partial.apiBaseUrl))).toEqual({})

    const refused = await startGraph({ status: 400, body: { error: { message: 'No profile available for this user.', code: 100, error_subcode: 2018218 } } })
    const error = await rejectionOf(facebookConnector.profile('7003', channel('facebook', pageId, refused.apiBaseUrl)))
    expect(error.retryable).toBe(false)
    expect(error.message).toContain('No profile available for this user.')
  })
})
