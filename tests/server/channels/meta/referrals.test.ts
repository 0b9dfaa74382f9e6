import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { ChannelRuntime, InboundEvent } from '../../../../server/src/channels/connector.js'
import { facebookConnector } from '../../../../server/src/channels/meta/facebook.connector.js'
import { instagramConnector } from '../../../../server/src/channels/meta/instagram.connector.js'
import { whatsappConnector } from '../../../../server/src/channels/meta/whatsapp.connector.js'

function fixture(path: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/${path}`, import.meta.url), 'utf8'))
}

function runtime(kind: ChannelRuntime['kind'], externalId: string): ChannelRuntime {
  return {
    id: `channel-${kind}`,
    kind,
    externalId,
    config: { apiBaseUrl: 'http://127.0.0.1:1/v21.0', mode: 'webhook' },
    secrets: { appSecret: 'secret', accessToken: 'token', webhookSecret: 'verify' },
  }
}

describe('facebookConnector.parse (referrals)', () => {
  it('reads m.me links, ad clicks, Get Started and first messages after an ad, and keeps a message whose referral it cannot read', () => {
    const payload = fixture('facebook/referrals.json')

    const events = facebookConnector.parse(payload, runtime('facebook', '104455667788990'))

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'referral',
        threadKey: 'dm:6123456789012345',
        contact: { externalId: '6123456789012345' },
        referral: {
          source: 'SHORTLINK',
          type: 'OPEN_THREAD',
          ref: 'qr-store-berlin',
          raw: { ref: 'qr-store-berlin', source: 'SHORTLINK', type: 'OPEN_THREAD' },
        },
        at: '2025-12-31T23:58:20.000Z',
      },
      {
        type: 'referral',
        threadKey: 'dm:6200000000000001',
        contact: { externalId: '6200000000000001' },
        referral: {
          source: 'ADS',
          type: 'OPEN_THREAD',
          ref: 'spring',
          adId: '120226305854810726',
          headline: 'Spring sale: 20% off blenders',
          raw: {
            ref: 'spring',
            ad_id: '120226305854810726',
            source: 'ADS',
            type: 'OPEN_THREAD',
            ads_context_data: {
              ad_title: 'Spring sale: 20% off blenders',
              photo_url: 'https://scontent.example/ad.jpg',
              post_id: '104455667788990_555',
            },
          },
        },
        at: '2025-12-31T23:58:30.000Z',
      },
      {
        type: 'message',
        externalId: 'postback:6200000000000002:1767225520000',
        threadKey: 'dm:6200000000000002',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: '6200000000000002' },
        text: 'Get Started',
        attachments: [],
        sentAt: '2025-12-31T23:58:40.000Z',
        referral: {
          source: 'SHORTLINK',
          type: 'OPEN_THREAD',
          ref: 'winter-catalogue',
          raw: { ref: 'winter-catalogue', source: 'SHORTLINK', type: 'OPEN_THREAD' },
        },
      },
      {
        type: 'message',
        externalId: 'm_AdClickFirstMessage',
        threadKey: 'dm:6200000000000003',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: '6200000000000003' },
        text: 'Is the blender still on sale?',
        attachments: [],
        sentAt: '2025-12-31T23:58:50.000Z',
        referral: {
          source: 'ADS',
          type: 'OPEN_THREAD',
          adId: '120226305854810726',
          headline: 'Spring sale: 20% off blenders',
          raw: {
            ad_id: '120226305854810726',
            source: 'ADS',
            type: 'OPEN_THREAD',
            ads_context_data: { ad_title: 'Spring sale: 20% off blenders' },
          },
        },
      },
      {
        type: 'message',
        externalId: 'm_OddReferral',
        threadKey: 'dm:6200000000000004',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: '6200000000000004' },
        text: 'Hello?',
        attachments: [],
        sentAt: '2025-12-31T23:59:00.000Z',
      },
    ])
  })

  it('keeps only plain bounded text from a referral, whatever its values hold', () => {
    const payload = {
      object: 'page',
      entry: [
        {
          id: '104455667788990',
          time: 1767225600123,
          messaging: [
            {
              sender: { id: '6123456789012345' },
              recipient: { id: '104455667788990' },
              timestamp: 1767225500000,
              referral: { ref: `a\u0000b${'x'.repeat(5000)}`, source: { nested: 'object' }, ad_id: 1202263058548107, type: ['OPEN_THREAD'] },
            },
          ],
        },
      ],
    }

    const [event] = facebookConnector.parse(payload, runtime('facebook', '104455667788990'))

    expect(event?.type).toBe('referral')
    const referral = event?.type === 'referral' ? event.referral : undefined
    expect(referral?.ref).toBe(`ab${'x'.repeat(1998)}`)
    expect(referral?.source).toBeUndefined()
    expect(referral?.type).toBeUndefined()
    expect(referral?.adId).toBe('1202263058548107')
    expect(JSON.stringify(referral?.raw)).not.toContain('\\u0000')
  })
})

describe('instagramConnector.parse (referrals)', () => {
  it('reads an ig.me link click and a first message after a click-to-Direct ad', () => {
    const payload = fixture('instagram/referrals.json')

    const events = instagramConnector.parse(payload, runtime('instagram', '17841400000000001'))

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'referral',
        threadKey: 'dm:1234567890123456',
        contact: { externalId: '1234567890123456' },
        referral: {
          source: 'IGME-SOURCE-LINK',
          type: 'OPEN_THREAD',
          ref: 'bio-link',
          raw: { ref: 'bio-link', source: 'IGME-SOURCE-LINK', type: 'OPEN_THREAD' },
        },
        at: '2026-01-01T00:06:30.000Z',
      },
      {
        type: 'message',
        externalId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQy',
        threadKey: 'dm:1234567890123457',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: '1234567890123457' },
        text: 'Do you ship the blender to Canada?',
        attachments: [],
        sentAt: '2026-01-01T00:06:39.000Z',
        referral: {
          source: 'ADS',
          type: 'OPEN_THREAD',
          adId: '120226305854810999',
          headline: 'Blenders, shipped worldwide',
          raw: {
            ad_id: '120226305854810999',
            source: 'ADS',
            type: 'OPEN_THREAD',
            ads_context_data: { ad_title: 'Blenders, shipped worldwide', photo_url: 'https://scontent.example/ig-ad.jpg' },
          },
        },
      },
    ])
  })
})

describe('whatsappConnector.parse (referrals)', () => {
  it('reads a click-to-WhatsApp referral with its click id, and one from a Status placement without it', () => {
    const payload = fixture('whatsapp/referral.json')

    const events = whatsappConnector.parse(payload, runtime('whatsapp', '130000000000002'))

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'message',
        externalId: 'wamid.HBgNNTUxMTk4ODg4Nzc3NxUCABIYFkNUV0FfQ0xJQ0tfRklSU1RfTUVTU0FHRQA=',
        threadKey: 'dm:BR.1502576394655843',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: 'BR.1502576394655843', aliases: ['5511988887777'], name: 'Ana Souza' },
        text: 'Hi! I saw your ad',
        attachments: [],
        sentAt: '2026-01-01T01:00:00.000Z',
        referral: {
          ctwaClid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
          sourceId: '120226305854810726',
          sourceType: 'ad',
          sourceUrl: 'https://fb.me/3cr4Wqqkv',
          headline: 'Chat with us',
          raw: {
            source_url: 'https://fb.me/3cr4Wqqkv',
            source_id: '120226305854810726',
            source_type: 'ad',
            headline: 'Chat with us',
            body: 'Free returns in May',
            media_type: 'image',
            image_url: 'https://scontent.example/ad.jpg',
            ctwa_clid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
            welcome_message: { text: 'Hi! How can we help?' },
          },
        },
      },
      {
        type: 'message',
        externalId: 'wamid.HBgNNTUxMTk3Nzc3NjY2NhUCABIYFlNUQVRVU19BRF9QTEFDRU1FTlQA',
        threadKey: 'dm:5511977776666',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: '5511977776666', name: 'Bruno Lima' },
        text: 'Oi, vi o anúncio no status',
        attachments: [],
        sentAt: '2026-01-01T01:01:00.000Z',
        referral: {
          sourceId: '120226305854811111',
          sourceType: 'ad',
          sourceUrl: 'https://fb.me/9xStatusAd',
          headline: 'Free returns in May',
          raw: {
            source_url: 'https://fb.me/9xStatusAd',
            source_id: '120226305854811111',
            source_type: 'ad',
            headline: 'Free returns in May',
            media_type: 'video',
            video_url: 'https://scontent.example/ad.mp4',
            thumbnail_url: 'https://scontent.example/ad-thumb.jpg',
          },
        },
      },
    ])
  })

  it('keeps the message when its referral is not an object', () => {
    const payload = fixture('whatsapp/referral.json') as { entry: { changes: { value: { messages: Record<string, unknown>[] } }[] }[] }
    const message = payload.entry[0]!.changes[0]!.value.messages[0]!
    message.referral = ['unexpected']

    const [event] = whatsappConnector.parse(payload, runtime('whatsapp', '130000000000002'))

    expect(event).toMatchObject({ type: 'message', text: 'Hi! I saw your ad' })
    expect(event).not.toHaveProperty('referral')
  })
})
