/**
 * Wire shapes of Meta webhooks (Messenger, Page feed, Instagram, WhatsApp Cloud) as far as Carebox reads them.
 * Every field is optional because the payload is untrusted JSON: parsers check what they need and throw
 * UnsupportedPayloadError when it is missing. Shapes: the platform wire specs (platforms.md) A1–A4.
 */
import { UnsupportedPayloadError, type ExternalContact } from '../connector.js'
import { isRecord } from '../payload.js'

export { isRecord }

export const metaObjects = ['page', 'instagram', 'whatsapp_business_account'] as const
export type MetaObject = (typeof metaObjects)[number]

export interface MetaWebhookBody {
  object?: string
  entry?: MetaEntry[]
}

export interface MetaEntry {
  id?: string
  /** Epoch ms on Messenger/Instagram messaging entries, epoch seconds on change entries. */
  time?: number
  messaging?: MessagingEvent[]
  /** Events for a thread another app owns under the handover protocol. */
  standby?: unknown[]
  changes?: MetaChange[]
}

export interface MetaChange {
  field?: string
  value?: unknown
}

export interface MessagingEvent {
  sender?: { id?: string }
  recipient?: { id?: string }
  /** Epoch ms. */
  timestamp?: number
  message?: MessagingMessage
  delivery?: { mids?: string[]; watermark?: number }
  /** Messenger: `{watermark}`; Instagram seen receipts: `{mid}`. */
  read?: { watermark?: number; mid?: string }
  reaction?: { mid?: string; action?: string; reaction?: string; emoji?: string }
  message_edit?: { mid?: string; text?: string; num_edit?: number }
  postback?: { mid?: string; title?: string; payload?: string; referral?: unknown }
  /** An ad or m.me / ig.me link click in an existing thread, without a message (`messaging_referrals`). */
  referral?: unknown
}

export interface MessagingMessage {
  mid?: string
  text?: string
  is_echo?: boolean
  /** Instagram: the person unsent the message. */
  is_deleted?: boolean
  /** Instagram: a message type the API cannot show. */
  is_unsupported?: boolean
  reply_to?: { mid?: string }
  attachments?: MessagingAttachment[]
  /** Echoes of Send API messages: the `message.metadata` the sender set (Messenger; Instagram echoes carry none). */
  metadata?: string
  /** A tapped quick reply: its `payload` is the one we sent; `text` is its title. */
  quick_reply?: { payload?: string }
  /** The first message after an ad click (read by public code; Meta's own example is unconfirmed, spec §4.1). */
  referral?: unknown
}

export interface MessagingAttachment {
  type?: string
  title?: string
  url?: string
  payload?: { url?: string; title?: string; sticker_id?: number; coordinates?: { lat?: number; long?: number } }
}

/** Page `feed` change value (A2). */
export interface FeedValue {
  item?: string
  verb?: string
  post_id?: string
  comment_id?: string
  parent_id?: string
  from?: { id?: string; name?: string }
  message?: string
  /** Epoch seconds. */
  created_time?: number
  /** A photo attached to a comment. */
  photo?: string
  video?: string
  /** Photo and video posts: the media's URL. */
  link?: string
}

/** Page `mention` change value (A2; shape from Chatwoot's handler, unverified against Meta docs). */
export interface PageMentionValue {
  item?: string
  verb?: string
  post_id?: string
  comment_id?: string
  sender_id?: string
  sender_name?: string
  message?: string
  created_time?: number
}

/** Instagram `comments` / `live_comments` change value (A3). */
export interface InstagramCommentValue {
  id?: string
  text?: string
  parent_id?: string
  from?: { id?: string; username?: string }
  media?: { id?: string; media_product_type?: string }
}

/** Instagram `mentions` change value: ids only, the content has to be fetched (A3). */
export interface InstagramMentionValue {
  media_id?: string
  comment_id?: string
  text?: string
}

/** WhatsApp `messages` change value (A4). */
export interface WhatsAppValue {
  messaging_product?: string
  metadata?: { display_phone_number?: string; phone_number_id?: string }
  contacts?: WhatsAppContact[]
  messages?: WhatsAppMessage[]
  statuses?: WhatsAppStatus[]
}

export interface WhatsAppContact {
  profile?: { name?: string; username?: string }
  wa_id?: string
  /** Business-scoped user id (BSUID), the primary key once present. */
  user_id?: string
}

export interface WhatsAppMedia {
  id?: string
  mime_type?: string
  caption?: string
  filename?: string
}

export interface WhatsAppMessage {
  /** The sender's wa_id; may be absent for username users, who arrive by `from_user_id`. */
  from?: string
  from_user_id?: string
  id?: string
  /** Epoch seconds as a string. */
  timestamp?: string
  type?: string
  text?: { body?: string }
  image?: WhatsAppMedia
  video?: WhatsAppMedia
  audio?: WhatsAppMedia
  document?: WhatsAppMedia
  sticker?: WhatsAppMedia
  location?: { latitude?: number; longitude?: number; name?: string; address?: string; url?: string }
  reaction?: { message_id?: string; emoji?: string }
  button?: { text?: string; payload?: string }
  interactive?: {
    type?: string
    button_reply?: { id?: string; title?: string }
    list_reply?: { id?: string; title?: string; description?: string }
    nfm_reply?: { body?: string; name?: string }
  }
  contacts?: { name?: { formatted_name?: string } }[]
  system?: { body?: string }
  context?: { from?: string; id?: string }
  errors?: WhatsAppError[]
  /** Click-to-WhatsApp: the ad or post the customer tapped, on their first message after it (spec §4.3). */
  referral?: unknown
}

export interface WhatsAppStatus {
  id?: string
  status?: string
  /** Epoch seconds as a string. */
  timestamp?: string
  recipient_id?: string
  errors?: WhatsAppError[]
  /** What the send carried in biz_opaque_callback_data (our sendReference), repeated in each of its statuses. */
  biz_opaque_callback_data?: string
}

export interface WhatsAppError {
  code?: number
  title?: string
  message?: string
  error_data?: { details?: string }
}

/**
 * The author when a payload names none (Instagram mentions carry only ids; feed comments omit `from` for people
 * who have not authorised the app). One shared placeholder rather than a fake contact per message.
 */
export function unknownAuthor(): ExternalContact {
  return { externalId: 'meta:unknown-author', name: 'Unknown author' }
}

/** Meta ids are JSON strings, but accept numbers too rather than dead-letter a whole batch over a type. */
export function readId(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return undefined
}

export function requireId(value: unknown, what: string): string {
  const id = readId(value)
  if (id === undefined) throw new UnsupportedPayloadError(`Meta payload without ${what}`)
  return id
}

/** The payload as a Meta body of the expected `object`, or UnsupportedPayloadError. */
export function readMetaBody(payload: unknown, object: MetaObject): { entry: MetaEntry[] } {
  if (!isRecord(payload) || payload.object !== object || !Array.isArray(payload.entry)) {
    throw new UnsupportedPayloadError(`Expected a Meta webhook body with object '${object}' and an entry array`)
  }
  for (const entry of payload.entry) {
    if (!isRecord(entry)) throw new UnsupportedPayloadError('Meta webhook entry is not an object')
  }
  return { entry: payload.entry as MetaEntry[] }
}

/** Epoch seconds or milliseconds (number or numeric string) to ISO 8601. */
export function epochToIso(value: unknown, unit: 's' | 'ms', what: string): string {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new UnsupportedPayloadError(`Meta payload without a valid ${what}`)
  return new Date(unit === 's' ? n * 1000 : n).toISOString()
}

/**
 * `entry.time` is epoch ms on messaging entries but epoch seconds on change entries (compare the DM and comment
 * samples in A3), so tell them apart by size: 1e12 ms is 2001, 1e12 s is thousands of years away.
 */
export function entryTimeToIso(value: unknown): string {
  return epochToIso(value, typeof value === 'number' && value >= 1e12 ? 'ms' : 's', 'entry time')
}
