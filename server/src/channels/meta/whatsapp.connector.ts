/**
 * One WhatsApp Cloud API phone number (`externalId` = phone_number_id): inbound messages and delivery statuses
 * from `entry[].changes[].value`. Spec: platforms.md A4.
 *
 * Contacts are keyed on the business-scoped user id (`user_id`) when present, falling back to the phone number
 * (`wa_id`), which then becomes an alias. Secrets: `appSecret` verifies X-Hub-Signature-256; `webhookSecret`
 * holds the Meta verify token for the GET handshake; `accessToken` is the system-user token that sends.
 */
import {
  UnsupportedPayloadError,
  parseSendReference,
  sendReference,
  type Attachment,
  type ChannelRuntime,
  type Connector,
  type DeliveryStatus,
  type ExternalContact,
  type InboundEvent,
  type OutboundFile,
  type OutboundMessage,
  type SendResult,
} from '../connector.js'
import { checkedChoices, truncateChars } from '../choices.js'
import { fileBlob, fileRefused, uploadFailed, uploadWithoutId } from '../http.js'
import { apiUrl, graphPost, graphPostForm, readResultId } from './meta.graph.js'
import {
  epochToIso,
  isRecord,
  readMetaBody,
  requireId,
  type MetaChange,
  type WhatsAppContact,
  type WhatsAppMedia,
  type WhatsAppMessage,
  type WhatsAppStatus,
  type WhatsAppValue,
} from './meta.payloads.js'
import { metaWebhookMethods } from './meta.webhook.js'
import { metaConnectionMethods } from './meta.connection.js'
import { readWhatsAppReferral } from './meta.referral.js'

/** The Cloud API answers a send in well under a second: 8 s is far past a healthy answer. */
const sendTimeoutMs = 8_000
/** WhatsApp reports each message it accepts (status 'sent') within seconds; two minutes leaves room for a slow webhook. */
const statusWaitMs = 120_000

export const whatsappConnector = {
  kind: 'whatsapp',

  ...metaWebhookMethods('whatsapp'),
  ...metaConnectionMethods('whatsapp'),

  parse(payload, _channel) {
    const events: InboundEvent[] = []
    for (const entry of readMetaBody(payload, 'whatsapp_business_account').entry) {
      if (!Array.isArray(entry.changes)) throw new UnsupportedPayloadError('WhatsApp entry without a changes array')
      for (const change of entry.changes) {
        if (!isRecord(change)) throw new UnsupportedPayloadError('WhatsApp change is not an object')
        if (change.field === 'message_template_status_update')
          events.push(parseTemplateStatus(requireId(entry.id, 'WhatsApp entry id'), change.value, entry.time))
        else events.push(...parseChange(change as MetaChange))
      }
    }
    return events
  },

  send(message, channel) {
    return sendMessage(message, channel)
  },

  sendTimeoutMs,

  // Every send carries our reference in biz_opaque_callback_data, and WhatsApp echoes it in each status.
  unknownOutcome() {
    return {
      kind: 'confirm',
      waitMs: statusWaitMs,
      check:
        'WhatsApp reports every message it accepts within seconds, and no report came for this one, so it most likely did not go out. ' +
        'Before sending it again, look at the chat on the business phone or in WhatsApp Manager.',
    }
  },
} satisfies Connector

/** A template's new status (specs/outreach.md §1.2). Its id comes as a number here, a string in the listing: kept as a string. */
function parseTemplateStatus(businessAccountId: string, value: unknown, time: unknown): InboundEvent {
  if (!isRecord(value)) throw new UnsupportedPayloadError('WhatsApp template status change without a value')
  const event = typeof value.event === 'string' ? value.event : undefined
  if (!event) throw new UnsupportedPayloadError('WhatsApp template status change without an event')
  const reason = typeof value.reason === 'string' && value.reason !== 'NONE' ? value.reason : undefined
  const details = isRecord(value.rejection_info) ? value.rejection_info.reason : isRecord(value.other_info) ? value.other_info.description : undefined
  return {
    type: 'template_status',
    businessAccountId,
    templateId: requireId(value.message_template_id, 'WhatsApp message_template_id'),
    name: typeof value.message_template_name === 'string' ? value.message_template_name : '',
    language: typeof value.message_template_language === 'string' ? value.message_template_language : '',
    status: templateStatusOf(event),
    ...(reason || typeof details === 'string' ? { reason: [reason, typeof details === 'string' ? details : undefined].filter(Boolean).join(': ') } : {}),
    at: typeof time === 'number' ? epochToIso(time, 's', 'WhatsApp entry time') : new Date().toISOString(),
  }
}

/** The status a template has after a webhook event: most events name it; a few name a move back. */
function templateStatusOf(event: string): string {
  switch (event) {
    case 'REINSTATED':
    case 'UNARCHIVED':
      return 'APPROVED'
    default:
      return event
  }
}

function parseChange(change: MetaChange): InboundEvent[] {
  // Other account-level fields (account_update, phone_number_quality_update, …) are not conversations: they go
  // to the dead letter where a person can see them, rather than vanish.
  if (change.field !== 'messages') throw new UnsupportedPayloadError(`Unknown WhatsApp change field '${String(change.field)}'`)
  if (!isRecord(change.value)) throw new UnsupportedPayloadError('WhatsApp messages change without a value')
  const value = change.value as WhatsAppValue
  const contacts = Array.isArray(value.contacts) ? value.contacts : []
  const events: InboundEvent[] = []
  for (const message of value.messages ?? []) {
    if (!isRecord(message)) throw new UnsupportedPayloadError('WhatsApp message is not an object')
    events.push(parseMessage(message, contacts))
  }
  for (const status of value.statuses ?? []) {
    if (!isRecord(status)) throw new UnsupportedPayloadError('WhatsApp status is not an object')
    events.push(...parseStatus(status))
  }
  return events
}

function contactFor(message: WhatsAppMessage, contacts: WhatsAppContact[]): ExternalContact {
  const matched =
    contacts.find(
      (c) =>
        (message.from !== undefined && (c.wa_id === message.from || c.user_id === message.from)) ||
        (message.from_user_id !== undefined && c.user_id === message.from_user_id),
    ) ??
    // One sender per change is the norm; match the lone contact when the message names the person differently.
    (contacts.length === 1 ? contacts[0] : undefined)
  const userId = matched?.user_id ?? message.from_user_id
  const waId = matched?.wa_id ?? (message.from !== userId ? message.from : undefined)
  const externalId = requireId(userId ?? waId, 'WhatsApp sender (user_id or wa_id)')
  const name = matched?.profile?.name
  const handle = matched?.profile?.username
  return {
    externalId,
    ...(waId && waId !== externalId ? { aliases: [waId] } : {}),
    ...(name ? { name } : {}),
    ...(handle ? { handle } : {}),
  }
}

function parseMessage(message: WhatsAppMessage, contacts: WhatsAppContact[]): InboundEvent {
  const externalId = requireId(message.id, 'WhatsApp message id')
  const at = epochToIso(message.timestamp, 's', 'WhatsApp message timestamp')
  const contact = contactFor(message, contacts)
  if (message.type === 'reaction') {
    const reaction = message.reaction
    // An empty emoji means the person removed their reaction.
    return {
      type: 'reaction',
      externalId: requireId(reaction?.message_id, 'WhatsApp reaction message_id'),
      contactExternalId: contact.externalId,
      emoji: reaction?.emoji ?? '',
      action: reaction?.emoji ? 'react' : 'unreact',
      at,
    }
  }
  const { text, attachments } = messageContent(message)
  const choice = choiceOf(message)
  const referral = readWhatsAppReferral(message.referral)
  return {
    type: 'message',
    externalId,
    threadKey: `dm:${contact.externalId}`,
    conversationKind: 'dm',
    direction: 'inbound',
    contact,
    text,
    attachments,
    sentAt: at,
    ...(message.context?.id ? { replyToExternalId: message.context.id } : {}),
    ...(choice ? { choice } : {}),
    ...(referral ? { referral } : {}),
  }
}

/**
 * The id of the option the customer tapped: a list row or reply button of an interactive message
 * (specs/outreach.md §2.1), or a template's quick-reply button, whose `payload` is the id we gave it.
 */
function choiceOf(message: WhatsAppMessage): string | undefined {
  if (message.type === 'button') return message.button?.payload || undefined
  if (message.type !== 'interactive') return undefined
  const reply = message.interactive?.list_reply ?? message.interactive?.button_reply
  return reply?.id || undefined
}

const mediaKinds = { image: 'image', video: 'video', audio: 'audio', document: 'file', sticker: 'sticker' } as const

function messageContent(message: WhatsAppMessage): { text: string; attachments: Attachment[] } {
  const type = message.type ?? 'unknown'
  if (type === 'text') return { text: message.text?.body ?? '', attachments: [] }
  if (type in mediaKinds) {
    const media: WhatsAppMedia | undefined = message[type as keyof typeof mediaKinds]
    const attachment: Attachment = {
      kind: mediaKinds[type as keyof typeof mediaKinds],
      ...(media?.id ? { mediaId: media.id } : {}),
      ...(media?.filename ? { name: media.filename } : {}),
      ...(media?.mime_type ? { mimeType: media.mime_type } : {}),
    }
    return { text: media?.caption ?? '', attachments: [attachment] }
  }
  if (type === 'location') {
    const location = message.location ?? {}
    const coordinates = `${String(location.latitude)},${String(location.longitude)}`
    const label = [location.name, location.address].filter(Boolean).join(', ')
    return {
      text: '',
      attachments: [{ kind: 'location', name: label ? `${label} (${coordinates})` : coordinates, ...(location.url ? { url: location.url } : {}) }],
    }
  }
  if (type === 'button') return { text: message.button?.text ?? message.button?.payload ?? '', attachments: [] }
  if (type === 'interactive') {
    const interactive = message.interactive
    const text = interactive?.button_reply?.title ?? interactive?.list_reply?.title ?? interactive?.nfm_reply?.body ?? ''
    return { text, attachments: [] }
  }
  if (type === 'contacts') {
    const names = (message.contacts ?? []).map((c) => c.name?.formatted_name).filter(Boolean)
    return { text: '', attachments: [{ kind: 'other', name: names.length ? `contact: ${names.join(', ')}` : 'contact' }] }
  }
  if (type === 'system') return { text: message.system?.body ?? '', attachments: [] }
  // 'unsupported', 'order' and types newer than this code: keep the message so the agent sees something arrived.
  return { text: '', attachments: [{ kind: 'other', name: message.errors?.[0]?.title ?? type }] }
}

const statusMap: Record<string, DeliveryStatus> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  // A voice message was listened to: more than read.
  played: 'read',
  failed: 'failed',
}
/** 'deleted' (the message was deleted for everyone) and 'warning' (catalog issues) say nothing about delivery. */
const ignoredStatuses = new Set(['deleted', 'warning'])

function parseStatus(status: WhatsAppStatus): InboundEvent[] {
  const externalId = requireId(status.id, 'WhatsApp status id')
  const name = status.status ?? ''
  if (ignoredStatuses.has(name)) return []
  const mapped = statusMap[name]
  if (!mapped) throw new UnsupportedPayloadError(`Unknown WhatsApp status '${name}'`)
  const at = epochToIso(status.timestamp, 's', 'WhatsApp status timestamp')
  const error = mapped === 'failed' ? describeStatusError(status) : undefined
  const ref = parseSendReference(status.biz_opaque_callback_data)
  return [{ type: 'status', externalId, status: mapped, at, ...(error ? { error } : {}), ...(ref ? { ref } : {}) }]
}

function describeStatusError(status: WhatsAppStatus): string {
  const error = status.errors?.[0]
  if (!error) return 'WhatsApp reported the message as failed without a reason'
  const detail = error.error_data?.details ?? error.message
  const words = [error.title, detail && detail !== error.title ? detail : undefined].filter(Boolean).join(': ')
  return `${words || 'WhatsApp reported the message as failed'}${error.code !== undefined ? ` (code ${error.code})` : ''}`
}

/**
 * `to` takes a phone number; a business-scoped user id goes in `recipient` instead. Meta recommends the phone
 * number when known, so use it from the contact's id or aliases and fall back to the user id.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
 */
async function sendMessage(message: OutboundMessage, channel: ChannelRuntime): Promise<SendResult> {
  const { recipient } = message
  const phone = [recipient.externalId, ...(recipient.aliases ?? [])].find((id) => /^\d+$/.test(id))
  const body = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...(phone ? { to: phone } : { recipient: recipient.externalId }),
    ...(await outboundContent(message, channel)),
    ...(message.replyToExternalId ? { context: { message_id: message.replyToExternalId } } : {}),
    // Up to 512 characters, handed back in every status of this message: it ties a status to a send that timed out.
    biz_opaque_callback_data: sendReference(message.id),
  }
  const url = apiUrl(channel.config.apiBaseUrl, channel.externalId, 'messages')
  const result = await graphPost(url, channel.secrets.accessToken, body, 'WhatsApp', sendTimeoutMs)
  const messages = Array.isArray(result.messages) ? (result.messages as unknown[]) : []
  const first = messages[0]
  return { externalId: readResultId(result, isRecord(first) ? first.id : undefined, 'WhatsApp') }
}

/**
 * The message's `type` and its object: a list of answers (the text its question), a template, a file uploaded first
 * (its text the caption), or text.
 */
async function outboundContent(message: OutboundMessage, channel: ChannelRuntime): Promise<Record<string, unknown>> {
  if (message.choices) return listContent(message)
  const { template, file } = message
  if (template && file) throw fileRefused('A WhatsApp template carries its own media: a file cannot go with it')
  if (template) {
    return { type: 'template', template: { name: template.name, language: { code: template.language }, components: template.components } }
  }
  if (!file) return { type: 'text', text: { body: message.text, preview_url: false } }
  const type = mediaTypes[file.kind]
  // Audio takes no caption: the caller sends the text as a message of its own (shared/src/files.ts).
  if (type === 'audio' && message.text) throw fileRefused('WhatsApp audio carries no caption: send the text as a message of its own')
  const id = await uploadMedia(file, channel)
  const media = {
    id,
    ...(type !== 'audio' && message.text ? { caption: message.text } : {}),
    // The name the customer sees on a document; other media show none.
    ...(type === 'document' ? { filename: file.name } : {}),
  }
  return { type, [type]: media }
}

/** List messages: ≤ 10 rows in all, row id ≤ 200 characters (specs/outreach.md §2.1). */
const listLimits = { platform: 'WhatsApp', maxOptions: 10, maxIdBytes: 200 }

/**
 * An interactive list (service messages, inside the window): one section named like the button, a row per option.
 * A list rather than reply buttons, which stop at 3: a 1–5 rating needs 5. Titles are cut to what WhatsApp takes
 * (button 20, section and row titles 24 characters) rather than have the whole send refused.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages
 */
function listContent(message: OutboundMessage): Record<string, unknown> {
  const { buttonLabel, options } = checkedChoices(message, listLimits)
  return {
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: message.text },
      action: {
        button: truncateChars(buttonLabel, 20),
        sections: [{ title: truncateChars(buttonLabel, 24), rows: options.map((option) => ({ id: option.id, title: truncateChars(option.title, 24) })) }],
      },
    },
  }
}

const mediaTypes = { image: 'image', video: 'video', audio: 'audio', file: 'document' } as const satisfies Record<OutboundFile['kind'], string>

/**
 * `POST /{phone-number-id}/media` (multipart: messaging_product, type, file) answers `{id}`; only this phone number
 * may send that media. https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#upload-media
 */
async function uploadMedia(file: OutboundFile, channel: ChannelRuntime): Promise<string> {
  const form = new FormData()
  form.append('messaging_product', 'whatsapp')
  form.append('type', file.mimeType)
  form.append('file', fileBlob(file), file.name)
  const url = apiUrl(channel.config.apiBaseUrl, channel.externalId, 'media')
  let result: Record<string, unknown>
  try {
    result = await graphPostForm(url, channel.secrets.accessToken, form, 'WhatsApp', sendTimeoutMs)
  } catch (error) {
    throw uploadFailed(error, 'WhatsApp')
  }
  if (typeof result.id !== 'string' || result.id === '') throw uploadWithoutId('WhatsApp')
  return result.id
}
