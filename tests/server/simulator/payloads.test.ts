import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  buildBlueskyNotification,
  buildMastodonNotification,
  buildMetaCustomerEntry,
  buildTelegramUpdate,
  buildXDirectMessageEvent,
  buildXTweetCreateEvent,
  metaJson,
  resolveMessage,
  signMeta,
  signX,
  xCrcResponseToken,
} from '../../../server/src/simulator/index.js'

const at = new Date('2026-01-01T00:20:00.000Z')
const from = { id: '6123456789012345', name: 'Zoë Šťastná', language: 'cs' }

describe('signMeta', () => {
  it('is sha256= and the lowercase hex HMAC of the raw bytes with the app secret', () => {
    const raw = metaJson({ text: 'Příliš žluťoučký kůň 😞' })

    const signature = signMeta(raw, 'app-secret')

    expect(signature).toBe('sha256=' + createHmac('sha256', 'app-secret').update(Buffer.from(raw)).digest('hex'))
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/)
  })
})

describe('signX', () => {
  it('is sha256= and the base64 HMAC of the raw bytes with the consumer secret', () => {
    const raw = JSON.stringify({ for_user_id: '1' })

    expect(signX(raw, 'consumer')).toBe('sha256=' + createHmac('sha256', 'consumer').update(raw).digest('base64'))
    expect(xCrcResponseToken('token', 'consumer')).toBe('sha256=' + createHmac('sha256', 'consumer').update('token').digest('base64'))
  })
})

describe('metaJson', () => {
  it('escapes every non-ASCII character as \\uXXXX, surrogate pairs as two escapes', () => {
    const body = { text: 'Olá – 你好 😞', name: 'Zoë' }

    const raw = metaJson(body)

    expect(raw).toContain('Ol\\u00e1 \\u2013 \\u4f60\\u597d \\ud83d\\ude1e')
    expect([...Buffer.from(raw)].every((byte) => byte < 0x7f)).toBe(true)
    expect(JSON.parse(raw)).toEqual(body)
    expect(raw).not.toBe(JSON.stringify(body))
  })
})

describe('buildMetaCustomerEntry', () => {
  it('builds a Messenger DM with epoch-ms timestamps under entry[].messaging[]', () => {
    const message = resolveMessage({ kind: 'facebook', externalId: '104455667788990' }, { from, text: 'Hi', at, id: 'm_1' })

    const entry = buildMetaCustomerEntry('facebook', { externalId: '104455667788990' }, message)

    expect(entry).toEqual({
      id: '104455667788990',
      time: at.getTime(),
      messaging: [{ sender: { id: from.id }, recipient: { id: '104455667788990' }, timestamp: at.getTime(), message: { mid: 'm_1', text: 'Hi' } }],
    })
  })

  it('builds a Page feed comment with epoch-second times and parent_id = post_id for a top-level comment', () => {
    const message = resolveMessage(
      { kind: 'facebook', externalId: '104455667788990' },
      { from, text: 'Open Sunday?', kind: 'comment', postId: '104455667788990_311', at },
    )

    const entry = buildMetaCustomerEntry('facebook', { externalId: '104455667788990' }, message)

    expect(entry.time).toBe(at.getTime() / 1000)
    expect(entry.changes?.[0]).toMatchObject({
      field: 'feed',
      value: {
        item: 'comment',
        verb: 'add',
        post_id: '104455667788990_311',
        parent_id: '104455667788990_311',
        comment_id: message.id,
        from: { id: from.id, name: from.name },
        created_time: at.getTime() / 1000,
      },
    })
    expect(message.id).toMatch(/^311_\d{15}$/)
  })

  it('builds WhatsApp messages with metadata, contacts (wa_id and user_id) and a string epoch-second timestamp', () => {
    const message = resolveMessage({ kind: 'whatsapp', externalId: '130000000000002' }, { from: { id: '5511988887777', name: 'Ana Souza' }, text: 'Oi', at })

    const entry = buildMetaCustomerEntry('whatsapp', { externalId: '130000000000002', businessAccountId: '120000000000001' }, message)

    expect(entry.id).toBe('120000000000001')
    const value = entry.changes?.[0]?.value
    expect(value).toMatchObject({
      messaging_product: 'whatsapp',
      metadata: { phone_number_id: '130000000000002' },
      contacts: [{ profile: { name: 'Ana Souza' }, wa_id: '5511988887777', user_id: expect.stringMatching(/^BR\.\d+$/) }],
      messages: [{ from: '5511988887777', id: expect.stringMatching(/^wamid\./), timestamp: String(at.getTime() / 1000), type: 'text', text: { body: 'Oi' } }],
    })
  })

  it('builds Instagram comments under field comments and mentions as ids only', () => {
    const account = { kind: 'instagram' as const, externalId: '17841400000000001' }
    const comment = resolveMessage(account, { from: { ...from, handle: 'zoe.s' }, text: 'Refund?', kind: 'comment', mediaId: '1795', at })
    const mention = resolveMessage(account, { from, text: '@brand help', kind: 'mention', mediaId: '1795', at })

    expect(buildMetaCustomerEntry('instagram', account, comment).changes?.[0]).toEqual({
      field: 'comments',
      value: { from: { id: from.id, username: 'zoe.s' }, media: { id: '1795', media_product_type: 'FEED' }, id: comment.id, text: 'Refund?' },
    })
    expect(buildMetaCustomerEntry('instagram', account, mention).changes?.[0]).toEqual({
      field: 'mentions',
      value: { media_id: '1795', comment_id: mention.id },
    })
  })
})

describe('buildTelegramUpdate', () => {
  it('builds a private-chat message with from, chat and an epoch-second date', () => {
    const message = resolveMessage(
      { kind: 'telegram', externalId: '1' },
      { from: { id: '58212345', name: 'Lena K', handle: 'lena_k', language: 'de' }, text: 'Hallo', at, id: '4512' },
    )

    const update = buildTelegramUpdate({ updateId: 734102291, messageId: 4512, message })

    expect(update).toEqual({
      update_id: 734102291,
      message: {
        message_id: 4512,
        from: { id: 58212345, is_bot: false, first_name: 'Lena', last_name: 'K', username: 'lena_k', language_code: 'de' },
        chat: { id: 58212345, type: 'private', first_name: 'Lena', last_name: 'K', username: 'lena_k' },
        date: at.getTime() / 1000,
        text: 'Hallo',
      },
    })
  })
})

describe('X Account Activity payloads', () => {
  const account = { externalId: '2244994945', handle: 'BrandCare' }

  it('carries DMs in direct_message_events with a users map of both sides', () => {
    const message = resolveMessage(
      { kind: 'x', externalId: account.externalId },
      { from: { id: '3805104374', name: 'Sam P', handle: 'samp' }, text: 'Charged twice', at },
    )

    const body = buildXDirectMessageEvent(account, message)

    expect(body.for_user_id).toBe('2244994945')
    expect(body.direct_message_events[0]).toMatchObject({
      type: 'message_create',
      id: message.id,
      created_timestamp: String(at.getTime()),
      message_create: { target: { recipient_id: '2244994945' }, sender_id: '3805104374', message_data: { text: 'Charged twice' } },
    })
    expect(Object.keys(body.users).sort()).toEqual(['2244994945', '3805104374'])
  })

  it('carries mentions in tweet_create_events with the @handle in the text', () => {
    const message = resolveMessage(
      { kind: 'x', externalId: account.externalId },
      { from: { id: '3805104374', name: 'Sam P', handle: 'samp' }, text: 'app crashes', kind: 'mention', at },
    )

    const event = buildXTweetCreateEvent(account, message).tweet_create_events[0]!

    expect(event).toMatchObject({
      id_str: message.id,
      text: '@BrandCare app crashes',
      created_at: 'Thu Jan 01 00:20:00 +0000 2026',
      user: { id_str: '3805104374', screen_name: 'samp' },
    })
    expect(event.entities.user_mentions[0]).toMatchObject({ id_str: '2244994945', indices: [0, 10] })
  })
})

describe('buildMastodonNotification', () => {
  it('renders the status as escaped HTML in <p> with an h-card mention, direct for a DM', () => {
    const message = resolveMessage(
      { kind: 'mastodon', externalId: '1' },
      { from: { id: '1098', name: 'Tom', handle: 'tom@fosstodon.org' }, text: 'router <bricked> & dead', at },
    )

    const notification = buildMastodonNotification({ externalId: '1', handle: 'brand' }, message, '412233445')

    expect(notification).toMatchObject({ id: '412233445', type: 'mention', account: { id: '1098', acct: 'tom@fosstodon.org', username: 'tom' } })
    expect(notification.status?.visibility).toBe('direct')
    expect(notification.status?.content).toMatch(
      /^<p><span class="h-card" translate="no"><a href="[^"]+@brand" class="u-url mention">@<span>brand<\/span><\/a><\/span> router &lt;bricked&gt; &amp; dead<\/p>$/,
    )
  })
})

describe('buildBlueskyNotification', () => {
  it('builds a mention with an at:// uri, a cid and a facet in UTF-8 byte offsets', () => {
    const message = resolveMessage(
      { kind: 'bluesky', externalId: 'did:plc:brand' },
      { from: { id: 'did:plc:ines', name: 'Inês' }, text: 'Olá @brand.com renewed', kind: 'mention', at },
    )

    const notification = buildBlueskyNotification({ externalId: 'did:plc:brand', handle: 'brand.com' }, message, { indexedAt: at })

    expect(notification.uri).toBe(`at://did:plc:ines/app.bsky.feed.post/${message.id}`)
    expect(notification.cid).toMatch(/^bafyrei[a-z2-7]+$/)
    expect(notification).toMatchObject({
      reason: 'mention',
      author: { did: 'did:plc:ines', handle: 'ines.bsky.social', displayName: 'Inês' },
      indexedAt: at.toISOString(),
    })
    expect(notification.record.facets?.[0]?.index).toEqual({ byteStart: 5, byteEnd: 15 })
  })
})
