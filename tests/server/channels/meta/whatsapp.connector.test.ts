import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { UnsupportedPayloadError, type ChannelRuntime, type InboundEvent } from '../../../../server/src/channels/connector.js'
import { whatsappConnector } from '../../../../server/src/channels/meta/whatsapp.connector.js'

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/whatsapp/${name}`, import.meta.url), 'utf8'))
}

const channel: ChannelRuntime = {
  id: 'channel-wa',
  kind: 'whatsapp',
  externalId: '130000000000002',
  config: { apiBaseUrl: 'http://127.0.0.1:1/v21.0', mode: 'webhook' },
  secrets: { appSecret: 'secret', accessToken: 'wa-token', webhookSecret: 'verify' },
}

const ana = { externalId: 'BR.1502576394655843', aliases: ['5511988887777'], name: 'Ana Souza' }

describe('whatsappConnector.parse', () => {
  it('keys the contact on user_id with wa_id as an alias when both are present', () => {
    const payload = fixture('text-with-user-id.json')

    const events = whatsappConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'message',
        externalId: 'wamid.HBgNNTUxMTk4ODg4Nzc3NxUCABIYFjNFQjBDMEY5RTlBQjI3RjQ4AA==',
        threadKey: 'dm:BR.1502576394655843',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: ana,
        text: 'Meu pedido chegou quebrado',
        attachments: [],
        sentAt: '2026-01-01T00:10:00.000Z',
        replyToExternalId: 'wamid.HBgNpreviousReply',
      },
    ])
  })

  it('keys the contact on wa_id when there is no user_id', () => {
    const payload = fixture('text-without-user-id.json')

    const events = whatsappConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'message',
        externalId: 'wamid.HBgNTomasFirst',
        threadKey: 'dm:5215512345678',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: '5215512345678', name: 'Tomás Rivera' },
        text: '¿Tienen envío a Monterrey?',
        attachments: [],
        sentAt: '2026-01-01T00:10:50.000Z',
      },
    ])
  })

  it('keys a username user without a phone number on from_user_id', () => {
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '120000000000001',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001111', phone_number_id: '130000000000002' },
                contacts: [{ profile: { name: 'Jo', username: 'jo.bakes' }, user_id: 'US.13491208655302741918' }],
                messages: [{ from_user_id: 'US.13491208655302741918', id: 'wamid.Jo1', timestamp: '1767226200', type: 'text', text: { body: 'hello' } }],
              },
            },
          ],
        },
      ],
    }

    const events = whatsappConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'message',
        externalId: 'wamid.Jo1',
        threadKey: 'dm:US.13491208655302741918',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: 'US.13491208655302741918', name: 'Jo', handle: 'jo.bakes' },
        text: 'hello',
        attachments: [],
        sentAt: '2026-01-01T00:10:00.000Z',
      },
    ])
  })

  it('turns an image into an attachment with its media id, mime type and caption', () => {
    const payload = fixture('image.json')

    const events = whatsappConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'message',
        externalId: 'wamid.HBgNAnaImage',
        threadKey: 'dm:BR.1502576394655843',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: ana,
        text: 'Olha a caixa',
        attachments: [{ kind: 'image', mediaId: '1055000000000001', mimeType: 'image/jpeg' }],
        sentAt: '2026-01-01T00:11:40.000Z',
      },
    ])
  })

  it('iterates every change, message and status of a batch', () => {
    const payload = fixture('batch.json')

    const events = whatsappConnector.parse(payload, channel)

    const li = { externalId: '8613800138000', name: 'Li Wei' }
    const sam = { externalId: 'NG.77123456789', aliases: ['2348012345678'], name: 'Sam Okafor' }
    const dm = { type: 'message', conversationKind: 'dm', direction: 'inbound' } as const
    expect(events).toEqual<InboundEvent[]>([
      {
        ...dm,
        externalId: 'wamid.HBgNAnaLocation',
        threadKey: 'dm:BR.1502576394655843',
        contact: ana,
        text: '',
        attachments: [{ kind: 'location', name: 'Loja Paulista, Av. Paulista 1000 (-23.5505,-46.6333)' }],
        sentAt: '2026-01-01T00:13:20.000Z',
      },
      { type: 'reaction', externalId: 'wamid.HBgNourReply1', contactExternalId: '8613800138000', emoji: '👍', action: 'react', at: '2026-01-01T00:13:21.000Z' },
      {
        ...dm,
        externalId: 'wamid.HBgNLiDocument',
        threadKey: 'dm:8613800138000',
        contact: li,
        text: '',
        attachments: [{ kind: 'file', mediaId: '1055000000000002', name: 'invoice-88213.pdf', mimeType: 'application/pdf' }],
        sentAt: '2026-01-01T00:13:22.000Z',
      },
      { type: 'status', externalId: 'wamid.HBgNourReply1', status: 'delivered', at: '2026-01-01T00:13:23.000Z' },
      {
        ...dm,
        externalId: 'wamid.HBgNSamButton',
        threadKey: 'dm:NG.77123456789',
        contact: sam,
        text: 'Track my order',
        attachments: [],
        sentAt: '2026-01-01T00:15:00.000Z',
        choice: 'track',
      },
      {
        ...dm,
        externalId: 'wamid.HBgNSamVoice',
        threadKey: 'dm:NG.77123456789',
        contact: sam,
        text: '',
        attachments: [{ kind: 'audio', mediaId: '1055000000000003', mimeType: 'audio/ogg; codecs=opus' }],
        sentAt: '2026-01-01T00:15:01.000Z',
      },
      {
        ...dm,
        externalId: 'wamid.HBgNSamUnsupported',
        threadKey: 'dm:NG.77123456789',
        contact: sam,
        text: '',
        attachments: [{ kind: 'other', name: 'Message type unknown' }],
        sentAt: '2026-01-01T00:15:02.000Z',
      },
      { type: 'status', externalId: 'wamid.HBgNourReply2', status: 'sent', at: '2026-01-01T00:15:03.000Z' },
      {
        type: 'status',
        externalId: 'wamid.HBgNourReply3',
        status: 'failed',
        at: '2026-01-01T00:15:04.000Z',
        error:
          'Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number. (code 131047)',
      },
    ])
  })

  it('reports statuses in the order they arrived and maps played to read', () => {
    const payload = fixture('statuses-out-of-order.json')

    const events = whatsappConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      { type: 'status', externalId: 'wamid.HBgNourReply9', status: 'read', at: '2026-01-01T00:17:00.000Z' },
      { type: 'status', externalId: 'wamid.HBgNourReply9', status: 'delivered', at: '2026-01-01T00:16:50.000Z' },
      { type: 'status', externalId: 'wamid.HBgNourReply9', status: 'sent', at: '2026-01-01T00:16:40.000Z' },
      { type: 'status', externalId: 'wamid.HBgNourVoice1', status: 'read', at: '2026-01-01T00:17:10.000Z' },
    ])
  })

  it("ties a status to our reply by the reference it carries back, and ignores another app's callback data", () => {
    const payload = fixture('statuses-with-callback-data.json')

    const events = whatsappConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      { type: 'status', externalId: 'wamid.HBgNourReply10', status: 'sent', at: '2026-01-01T00:16:40.000Z', ref: '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b' },
      { type: 'status', externalId: 'wamid.HBgNotherApp1', status: 'delivered', at: '2026-01-01T00:16:45.000Z' },
    ])
  })

  it.each([
    [
      'a list row',
      { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'csat:s9f2Qk:4', title: '4 Good', description: 'Mostly happy' } } },
      '4 Good',
      'csat:s9f2Qk:4',
    ],
    ['a reply button', { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'csat:s9f2Qk:5', title: '5' } } }, '5', 'csat:s9f2Qk:5'],
    ['a template quick-reply button', { type: 'button', button: { text: 'Very happy', payload: 'csat:s9f2Qk:1' } }, 'Very happy', 'csat:s9f2Qk:1'],
  ])('reads the id of %s the customer tapped as choice, and its title as text', (_case, content, text, choice) => {
    const message = {
      from: '5511988887777',
      id: 'wamid.HBgNtap',
      timestamp: '1767226800',
      ...content,
      context: { from: '15550001111', id: 'wamid.HBgNsurvey' },
    }
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '120000000000001',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001111', phone_number_id: '130000000000002' },
                contacts: [{ profile: { name: 'Ana Souza' }, wa_id: '5511988887777', user_id: 'BR.1502576394655843' }],
                messages: [message],
              },
            },
          ],
        },
      ],
    }

    const events = whatsappConnector.parse(payload, channel)

    expect(events).toEqual<InboundEvent[]>([
      {
        type: 'message',
        externalId: 'wamid.HBgNtap',
        threadKey: 'dm:BR.1502576394655843',
        conversationKind: 'dm',
        direction: 'inbound',
        contact: ana,
        text,
        attachments: [],
        sentAt: '2026-01-01T00:20:00.000Z',
        replyToExternalId: 'wamid.HBgNsurvey',
        choice,
      },
    ])
  })

  it('throws UnsupportedPayloadError for a change field other than messages', () => {
    const payload = fixture('unknown-field.json')

    expect(() => whatsappConnector.parse(payload, channel)).toThrow(/Unknown WhatsApp change field 'account_update'/)
  })

  it('throws UnsupportedPayloadError for an unknown status', () => {
    const payload = {
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: { statuses: [{ id: 'wamid.X', status: 'teleported', timestamp: '1767226200' }] } }] }],
    }

    expect(() => whatsappConnector.parse(payload, channel)).toThrow(UnsupportedPayloadError)
  })

  it('throws UnsupportedPayloadError for a Page body', () => {
    const payload = { object: 'page', entry: [] }

    expect(() => whatsappConnector.parse(payload, channel)).toThrow(UnsupportedPayloadError)
  })
})
