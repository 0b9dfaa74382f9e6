import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { UnsupportedPayloadError, type ChannelRuntime, type InboundEvent } from '../../../../server/src/channels/connector.js'
import { instagramConnector } from '../../../../server/src/channels/meta/instagram.connector.js'

const accountId = '17841400000000001'
const igsid = '1234567890123456'

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/instagram/${name}`, import.meta.url), 'utf8'))
}

const channel: ChannelRuntime = {
  id: 'channel-ig',
  kind: 'instagram',
  externalId: accountId,
  config: { apiBaseUrl: 'http://127.0.0.1:1/v21.0', mode: 'webhook' },
  secrets: { appSecret: 'secret', accessToken: 'ig-token', webhookSecret: 'verify' },
}

describe('instagramConnector.parse', () => {
  it('turns DMs, an echo, a seen receipt, a reaction and an unsend into events', () => {
    const payload = fixture('dm.json')

    const events = instagramConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'message',
        externalId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx',
        threadKey: `dm:${igsid}`,
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: igsid },
        text: 'Do you ship to Canada?',
        attachments: [],
        sentAt: '2026-01-01T00:06:39.000Z',
      },
      {
        type: 'message',
        externalId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQy',
        threadKey: `dm:${igsid}`,
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: igsid },
        text: '',
        attachments: [
          { kind: 'image', url: 'https://lookaside.example.test/ig-photo.jpg' },
          { kind: 'other', url: 'https://lookaside.example.test/reel.mp4', name: 'Unboxing' },
        ],
        sentAt: '2026-01-01T00:06:41.000Z',
      },
      {
        type: 'message',
        externalId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQz',
        threadKey: `dm:${igsid}`,
        conversationKind: 'dm',
        direction: 'echo',
        contact: { externalId: igsid },
        text: 'Yes, we ship to Canada in 5-7 days.',
        attachments: [],
        sentAt: '2026-01-01T00:07:10.000Z',
      },
      { type: 'status', externalId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQz', status: 'read', at: '2026-01-01T00:07:20.000Z' },
      {
        type: 'reaction',
        externalId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQz',
        contactExternalId: igsid,
        emoji: '❤',
        action: 'react',
        at: '2026-01-01T00:07:30.000Z',
      },
      { type: 'delete', externalId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQy', at: '2026-01-01T00:07:40.000Z' },
    ])
  })

  it('turns comments into public messages on the media thread, and our own reply into an echo', () => {
    const payload = fixture('comment.json')

    const events = instagramConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'message',
        externalId: '17900000000000123',
        threadKey: 'media:17950000000000999',
        conversationKind: 'public',
        direction: 'inbound',
        contact: { externalId: igsid, handle: 'maya.k' },
        text: 'Still waiting on my refund @brand',
        attachments: [],
        sentAt: '2026-01-01T00:08:20.000Z',
        subject: '17950000000000999',
        replyContext: { commentId: '17900000000000123', mediaId: '17950000000000999' },
      },
      {
        type: 'message',
        externalId: '17900000000000124',
        threadKey: 'media:17950000000000999',
        conversationKind: 'public',
        direction: 'echo',
        contact: { externalId: accountId, handle: 'carebox.demo' },
        text: '@maya.k sorry! Sent you a DM.',
        attachments: [],
        sentAt: '2026-01-01T00:08:20.000Z',
        replyToExternalId: '17900000000000123',
        subject: '17950000000000999',
        replyContext: { commentId: '17900000000000124', mediaId: '17950000000000999' },
      },
    ])
  })

  it('turns a mention into a public message with empty text and the ids in replyContext', () => {
    const payload = fixture('mention.json')

    const events = instagramConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'message',
        externalId: '17900000000000777',
        threadKey: 'media:17960000000000555',
        conversationKind: 'public',
        direction: 'inbound',
        contact: { externalId: 'meta:unknown-author', name: 'Unknown author' },
        text: '',
        attachments: [],
        sentAt: '2026-01-01T00:10:00.000Z',
        subject: '17960000000000555',
        replyContext: { mediaId: '17960000000000555', commentId: '17900000000000777', mention: 'true' },
      },
    ])
  })

  it('throws UnsupportedPayloadError for an unknown change field', () => {
    const payload = { object: 'instagram', entry: [{ id: accountId, time: 1767226200, changes: [{ field: 'story_insights', value: { media_id: '1' } }] }] }

    expect(() => instagramConnector.parse(payload, channel)).toThrow(UnsupportedPayloadError)
  })

  it('throws UnsupportedPayloadError for a reaction with an unknown action', () => {
    const payload = {
      object: 'instagram',
      entry: [{ id: accountId, time: 1, messaging: [{ sender: { id: igsid }, timestamp: 1767226000000, reaction: { mid: 'm', action: 'wave' } }] }],
    }

    expect(() => instagramConnector.parse(payload, channel)).toThrow(UnsupportedPayloadError)
  })
})
