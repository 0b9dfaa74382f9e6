import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { UnsupportedPayloadError, type ChannelRuntime, type InboundEvent } from '../../../../server/src/channels/connector.js'
import { facebookConnector } from '../../../../server/src/channels/meta/facebook.connector.js'

const pageId = '104455667788990'
const psid = '6123456789012345'
const postId = '104455667788990_311122233344455'

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/facebook/${name}`, import.meta.url), 'utf8'))
}

const channel: ChannelRuntime = {
  id: 'channel-fb',
  kind: 'facebook',
  externalId: pageId,
  config: { apiBaseUrl: 'http://127.0.0.1:1/v21.0', mode: 'webhook' },
  secrets: { appSecret: 'secret', accessToken: 'page-token', webhookSecret: 'verify' },
}

describe('facebookConnector.parse', () => {
  it('turns a multi-entry Messenger batch into events in platform order', () => {
    const payload = fixture('messenger-batch.json')

    const events = facebookConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'message',
        externalId: 'm_Ab12Cd34Ef56Gh78Ij90KlMnOpQr',
        threadKey: `dm:${psid}`,
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: psid },
        text: 'Hi, my parcel 88213 never arrived',
        attachments: [],
        sentAt: '2025-12-31T23:59:59.871Z',
        replyToExternalId: 'm_Zz99Yy88Xx77',
      },
      { type: 'watermark', threadKey: `dm:${psid}`, status: 'read', watermark: '2025-12-31T23:59:50.000Z', at: '2026-01-01T00:00:00.400Z' },
      {
        type: 'message',
        externalId: 'm_Echo0001PageReply',
        threadKey: `dm:${psid}`,
        conversationKind: 'dm',
        direction: 'echo',
        contact: { externalId: psid },
        text: 'Sorry about that! Checking parcel 88213 now.',
        attachments: [],
        sentAt: '2026-01-01T00:01:00.050Z',
      },
      { type: 'status', externalId: 'm_Echo0001PageReply', status: 'delivered', at: '2026-01-01T00:01:01.200Z' },
      { type: 'status', externalId: 'm_Echo0000Earlier', status: 'delivered', at: '2026-01-01T00:01:01.200Z' },
      { type: 'watermark', threadKey: `dm:${psid}`, status: 'delivered', watermark: '2026-01-01T00:01:00.050Z', at: '2026-01-01T00:01:01.200Z' },
      { type: 'reaction', externalId: 'm_Echo0001PageReply', contactExternalId: psid, emoji: '❤️', action: 'react', at: '2026-01-01T00:01:10.100Z' },
      { type: 'reaction', externalId: 'm_Echo0001PageReply', contactExternalId: psid, emoji: '', action: 'unreact', at: '2026-01-01T00:01:11.100Z' },
      {
        type: 'edit',
        externalId: 'm_Ab12Cd34Ef56Gh78Ij90KlMnOpQr',
        text: 'Hi, my parcel 88213 never arrived (ordered on the 2nd)',
        at: '2026-01-01T00:01:20.250Z',
      },
      {
        type: 'message',
        externalId: 'm_Attach0001',
        threadKey: `dm:${psid}`,
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: psid },
        text: '',
        attachments: [
          { kind: 'image', url: 'https://cdn.example.test/photo-of-box.jpg' },
          { kind: 'file', url: 'https://cdn.example.test/receipt.pdf' },
          { kind: 'sticker', url: 'https://cdn.example.test/thumbs-up.png' },
          { kind: 'other', url: 'https://shop.example.test/track/88213', name: 'Track your parcel' },
        ],
        sentAt: '2026-01-01T00:01:30.400Z',
      },
      {
        type: 'message',
        externalId: 'm_Postback0001',
        threadKey: `dm:${psid}`,
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: psid },
        text: 'Talk to a person',
        attachments: [],
        sentAt: '2026-01-01T00:01:40.800Z',
      },
    ])
  })

  it("turns feed comments into public messages, edits and deletes, and the Page's own reply into an echo", () => {
    const payload = fixture('feed-comments.json')

    const events = facebookConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'message',
        externalId: '311122233344455_998877665544',
        threadKey: `post:${postId}`,
        conversationKind: 'public',
        direction: 'inbound',
        contact: { externalId: '5566778899001122', name: 'Dana Ruiz' },
        text: 'Is the store open on Sunday?',
        attachments: [],
        sentAt: '2026-01-01T00:01:35.000Z',
        subject: postId,
        replyContext: { commentId: '311122233344455_998877665544', postId },
      },
      {
        type: 'message',
        externalId: '311122233344455_998877665599',
        threadKey: `post:${postId}`,
        conversationKind: 'public',
        direction: 'echo',
        contact: { externalId: pageId, name: 'Carebox Demo Store' },
        text: 'Yes, 10:00 to 16:00.',
        attachments: [],
        sentAt: '2026-01-01T00:02:38.000Z',
        replyToExternalId: '311122233344455_998877665544',
        subject: postId,
        replyContext: { commentId: '311122233344455_998877665599', postId },
      },
      { type: 'edit', externalId: '311122233344455_998877665544', text: 'Is the store open on Sunday morning?', at: '2026-01-01T00:03:38.000Z' },
      { type: 'delete', externalId: '311122233344455_998877665544', at: '2026-01-01T00:04:37.000Z' },
    ])
  })

  it('turns a mention of the Page in a comment into a public message', () => {
    const payload = fixture('mention.json')

    const events = facebookConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'message',
        externalId: '445566778899_112233',
        threadKey: 'post:778899001122_445566778899',
        conversationKind: 'public',
        direction: 'inbound',
        contact: { externalId: '5566778899001122', name: 'Dana Ruiz' },
        text: '@Carebox Demo Store my order is late again',
        attachments: [],
        sentAt: '2026-01-01T00:06:38.000Z',
        subject: '778899001122_445566778899',
        replyContext: { commentId: '445566778899_112233', postId: '778899001122_445566778899' },
      },
    ])
  })

  it("turns a visitor post into a public message and ignores the Page's own posts", () => {
    const payload = {
      object: 'page',
      entry: [
        {
          id: pageId,
          time: 1767226100,
          changes: [
            {
              field: 'feed',
              value: {
                item: 'status',
                verb: 'add',
                post_id: `${pageId}_1`,
                from: { id: pageId, name: 'Carebox Demo Store' },
                message: 'Open Sunday!',
                created_time: 1767226100,
              },
            },
            {
              field: 'feed',
              value: {
                item: 'photo',
                verb: 'add',
                post_id: `${pageId}_2`,
                from: { id: '77', name: 'Kim' },
                link: 'https://cdn.example.test/dent.jpg',
                message: 'Arrived dented',
                created_time: 1767226100,
              },
            },
          ],
        },
      ],
    }

    const events = facebookConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'message',
        externalId: `${pageId}_2`,
        threadKey: `post:${pageId}_2`,
        conversationKind: 'public',
        direction: 'inbound',
        contact: { externalId: '77', name: 'Kim' },
        text: 'Arrived dented',
        attachments: [{ kind: 'image', url: 'https://cdn.example.test/dent.jpg' }],
        sentAt: '2026-01-01T00:08:20.000Z',
        subject: `${pageId}_2`,
        replyContext: { postId: `${pageId}_2` },
      },
    ])
  })

  it('keeps non-ASCII text escaped as \\uXXXX on the wire', () => {
    const payload = fixture('unicode-escaped.json')

    const events = facebookConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'message',
        externalId: 'm_Unicode0001',
        threadKey: `dm:${psid}`,
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: psid },
        text: 'Café au lait ☕ arrivé abîmé',
        attachments: [],
        sentAt: '2026-01-01T00:20:00.001Z',
      },
    ])
  })

  it("ties an echo to our reply by its metadata, and gives no ref for another app's metadata", () => {
    const payload = fixture('messenger-echoes.json')

    const events = facebookConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'message',
        externalId: 'm_echoOurs0001',
        threadKey: `dm:${psid}`,
        conversationKind: 'dm',
        direction: 'echo',
        contact: { externalId: psid },
        text: 'Your parcel is on its way',
        attachments: [],
        sentAt: '2026-01-01T00:20:00.000Z',
        ref: '0b9e7c1a-52d4-4e8f-9a61-3c7d2e5f8a90',
      },
      {
        type: 'message',
        externalId: 'm_echoOtherApp01',
        threadKey: `dm:${psid}`,
        conversationKind: 'dm',
        direction: 'echo',
        contact: { externalId: psid },
        text: 'Pick a return reason',
        attachments: [],
        sentAt: '2026-01-01T00:20:01.000Z',
      },
    ])
  })

  it('throws UnsupportedPayloadError for an unknown change field', () => {
    const payload = fixture('unknown-field.json')

    expect(() => facebookConnector.parse(payload, channel)).toThrow(UnsupportedPayloadError)
  })

  it('throws UnsupportedPayloadError for an unknown messaging event', () => {
    const payload = {
      object: 'page',
      entry: [{ id: pageId, time: 1, messaging: [{ sender: { id: psid }, recipient: { id: pageId }, timestamp: 1, game_play: {} }] }],
    }

    expect(() => facebookConnector.parse(payload, channel)).toThrow(/Unknown Messenger messaging event \(game_play\)/)
  })

  it('throws UnsupportedPayloadError for an Instagram body', () => {
    const payload = { object: 'instagram', entry: [] }

    expect(() => facebookConnector.parse(payload, channel)).toThrow(UnsupportedPayloadError)
  })

  it('throws UnsupportedPayloadError for a message without a timestamp', () => {
    const payload = { object: 'page', entry: [{ id: pageId, messaging: [{ sender: { id: psid }, message: { mid: 'm_1', text: 'hi' } }] }] }

    expect(() => facebookConnector.parse(payload, channel)).toThrow(UnsupportedPayloadError)
  })
})
