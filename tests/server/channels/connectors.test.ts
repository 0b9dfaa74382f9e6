import { createServer, type AddressInfo } from 'node:net'
import type { ChannelKind } from '@carebox/shared'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { clearBlueskySessions } from '../../../server/src/channels/bluesky/bluesky.connector.js'
import { ConnectorError, type ChannelRuntime, type OutboundMessage } from '../../../server/src/channels/connector.js'
import { connectors } from '../../../server/src/channels/connectors.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'

/**
 * What every connector does about a send whose outcome it may not learn: how long it waits, what a failed
 * call says about the reply (refused, never sent, or unknown), and what Carebox may do next.
 */

const accounts: Record<ChannelKind, Pick<ChannelRuntime, 'externalId' | 'secrets'> & { handle?: string }> = {
  whatsapp: { externalId: '130000000000002', secrets: { accessToken: 'wa-token' } },
  facebook: { externalId: '104455667788990', secrets: { accessToken: 'page-token' } },
  instagram: { externalId: '17841400000000001', secrets: { accessToken: 'ig-token' } },
  telegram: { externalId: '7001', secrets: { botToken: '7001:AAsecret' } },
  x: { externalId: '2244994945', secrets: { accessToken: 'x-token' } },
  mastodon: { externalId: '109000000000000001', secrets: { accessToken: 'm-token' }, handle: 'care@social.example' },
  bluesky: { externalId: 'did:plc:brandoutcomes', secrets: { identifier: 'brand.bsky.social', appPassword: 'app-pass' }, handle: 'brand.bsky.social' },
}

/** One reply per kind that the platform would take. */
const replies: Record<ChannelKind, OutboundMessage> = {
  whatsapp: {
    id: '11111111-1111-4111-8111-111111111111',
    conversationKind: 'dm',
    threadKey: 'dm:5511988887777',
    recipient: { externalId: '5511988887777' },
    text: 'Olá',
  },
  facebook: {
    id: '22222222-2222-4222-8222-222222222222',
    conversationKind: 'dm',
    threadKey: 'dm:6123456789012345',
    recipient: { externalId: '6123456789012345' },
    text: 'Hello',
  },
  instagram: {
    id: '33333333-3333-4333-8333-333333333333',
    conversationKind: 'dm',
    threadKey: 'dm:1234567890123456',
    recipient: { externalId: '1234567890123456' },
    text: 'Hi',
  },
  telegram: {
    id: '44444444-4444-4444-8444-444444444444',
    conversationKind: 'dm',
    threadKey: 'dm:5550001',
    recipient: { externalId: '5550001' },
    text: 'Hallo',
  },
  x: { id: '55555555-5555-4555-8555-555555555555', conversationKind: 'dm', threadKey: 'dm:9988776655', recipient: { externalId: '9988776655' }, text: 'Hey' },
  mastodon: {
    id: '66666666-6666-4666-8666-666666666666',
    conversationKind: 'public',
    threadKey: 'status:113000000000000001',
    recipient: { externalId: '42', handle: 'zoe@mastodon.social' },
    text: 'On it',
    replyToExternalId: '113000000000000001',
  },
  bluesky: {
    id: '77777777-7777-4777-8777-777777777777',
    conversationKind: 'public',
    threadKey: 'post:at://did:plc:customer/app.bsky.feed.post/3mabcde2fgh2k',
    recipient: { externalId: 'did:plc:customer' },
    text: 'Sorry about that',
    replyContext: { uri: 'at://did:plc:customer/app.bsky.feed.post/3mabcde2fgh2k', cid: 'bafyreicustomerpost' },
  },
}

const kinds = Object.keys(accounts) as ChannelKind[]

function channelOf(kind: ChannelKind, apiBaseUrl: string, mode: 'webhook' | 'polling' = 'webhook'): ChannelRuntime {
  const { externalId, secrets, handle } = accounts[kind]
  return { id: `channel-${kind}`, kind, externalId, config: { apiBaseUrl, mode, ...(handle && { handle }) }, secrets }
}

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => expect.unreachable('the send should have failed'),
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(ConnectorError)
  return error as ConnectorError
}

let sim: Simulator

beforeAll(async () => {
  // 'timeout' faults drop the connection after 100 ms: an answer the connector never reads.
  sim = await startSimulator({ receipts: false, hangMs: 100 })
  for (const kind of kinds) sim.addAccount({ kind, ...accounts[kind] })
})
afterAll(async () => {
  await sim.close()
})
beforeEach(() => {
  sim.clearFaults()
  clearBlueskySessions()
})

describe('Connector.sendTimeoutMs', () => {
  it('waits less than the 15 s default where the platform answers fast', () => {
    const timeouts = Object.fromEntries(kinds.map((kind) => [kind, connectors[kind].sendTimeoutMs]))

    expect(timeouts).toEqual({ whatsapp: 8_000, facebook: 10_000, instagram: 10_000, telegram: 5_000, x: 10_000, mastodon: 10_000, bluesky: 10_000 })
  })
})

describe('Connector.send outcome', () => {
  it.each(kinds)('%s: reports a dropped connection as an unknown outcome', async (kind) => {
    sim.injectFault({ kind, endpoint: 'send', type: 'timeout', count: 1 })

    const error = await failureOf(connectors[kind].send(replies[kind], channelOf(kind, sim.apiBaseUrl(kind))))

    expect(error.outcome).toBe('unknown')
    expect(sim.sends.filter((send) => send.kind === kind).at(-1)?.responseStatus).toBe(0)
  })

  it.each(kinds)('%s: reports a closed port as not sent', async (kind) => {
    const port = await closedPort()

    const error = await failureOf(connectors[kind].send(replies[kind], channelOf(kind, `http://127.0.0.1:${port}`)))

    expect(error.outcome).toBe('not_sent')
  })

  it('times out on a send the platform performed but answered too late', { timeout: 15_000 }, async () => {
    sim.injectFault({ kind: 'telegram', endpoint: 'send', type: 'slow', count: 1, delayMs: 8_000 })

    const error = await failureOf(connectors.telegram.send(replies.telegram, channelOf('telegram', sim.apiBaseUrl('telegram'))))

    expect(error.outcome).toBe('unknown')
    expect(error.message).toMatch(/did not answer within 5 s/)
    expect(sim.sends.filter((send) => send.kind === 'telegram').at(-1)).toMatchObject({ responseStatus: 200, platformMessageId: expect.any(String) })
  })

  it('says nothing was sent when the reply names nothing to answer', async () => {
    const orphan: OutboundMessage = { ...replies.bluesky, replyContext: {} }

    const error = await failureOf(connectors.bluesky.send(orphan, channelOf('bluesky', sim.apiBaseUrl('bluesky'))))

    expect(error).toMatchObject({ outcome: 'not_sent', retryable: false })
  })
})

describe('Connector.unknownOutcome', () => {
  const confirm = { kind: 'confirm', waitMs: 120_000, check: expect.any(String) }
  const ask = { kind: 'ask', check: expect.any(String) }
  const at = (kind: ChannelKind, mode: 'webhook' | 'polling' = 'webhook') => channelOf(kind, 'http://127.0.0.1:1', mode)
  const publicReply = (kind: ChannelKind, visibility?: 'public' | 'private'): OutboundMessage => ({
    ...replies[kind],
    conversationKind: 'public',
    threadKey: 'post:1',
    replyContext: { commentId: '1' },
    ...(visibility && { visibility }),
  })

  it('waits for the WhatsApp status carrying our reference', () => {
    expect(connectors.whatsapp.unknownOutcome(replies.whatsapp, at('whatsapp'))).toEqual(confirm)
  })

  it("waits for the Messenger echo, and for the Page's comment under a public reply", () => {
    expect(connectors.facebook.unknownOutcome(replies.facebook, at('facebook'))).toEqual(confirm)
    expect(connectors.facebook.unknownOutcome(publicReply('facebook', 'private'), at('facebook'))).toEqual(confirm)
    expect(connectors.facebook.unknownOutcome(publicReply('facebook'), at('facebook'))).toEqual({
      ...confirm,
      check: expect.stringContaining('look under the comment on the Page'),
    })
  })

  it('waits for an Instagram DM echo, and asks for comment and private replies, which come back to no conversation of theirs', () => {
    expect(connectors.instagram.unknownOutcome(replies.instagram, at('instagram'))).toEqual(confirm)
    expect(connectors.instagram.unknownOutcome(publicReply('instagram'), at('instagram'))).toEqual({
      ...ask,
      check: expect.stringContaining('look under the comment in the Instagram app'),
    })
    expect(connectors.instagram.unknownOutcome(publicReply('instagram', 'private'), at('instagram'))).toEqual(ask)
  })

  it('asks on Telegram, where a bot never sees its own messages', () => {
    const business = { ...replies.telegram, replyContext: { businessConnectionId: 'bc-1' } }

    expect(connectors.telegram.unknownOutcome(replies.telegram, at('telegram'))).toEqual(ask)
    expect(connectors.telegram.unknownOutcome(business, at('telegram'))).toEqual({ ...ask, check: expect.stringContaining("business account's Telegram app") })
  })

  it('waits for an X DM in webhook mode only, and asks for public replies', () => {
    expect(connectors.x.unknownOutcome(replies.x, at('x'))).toEqual(confirm)
    expect(connectors.x.unknownOutcome(replies.x, at('x', 'polling'))).toEqual(ask)
    expect(connectors.x.unknownOutcome(publicReply('x'), at('x'))).toEqual(ask)
  })

  it('repeats on Mastodon and Bluesky, where a repeat cannot post twice', () => {
    expect(connectors.mastodon.unknownOutcome(replies.mastodon, at('mastodon', 'polling'))).toEqual({ kind: 'repeat' })
    expect(connectors.bluesky.unknownOutcome(replies.bluesky, at('bluesky', 'polling'))).toEqual({ kind: 'repeat' })
  })
})

/** A port on loopback that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
