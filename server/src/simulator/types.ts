import type { ChannelKind } from '@carebox/shared'
import type { ChannelSecrets } from '../channels/connector.js'
import type { Logger } from 'pino'

export type SimKind = ChannelKind

/** A platform account the simulator plays, mirroring one Carebox channel. */
export interface SimAccount {
  kind: SimKind
  /** Page id, IG account id, phone_number_id, bot user id, X user id, Mastodon account id, Bluesky DID. */
  externalId: string
  secrets: SimSecrets
  /** Where to deliver webhooks (Meta kinds, Telegram webhook mode, X). Absent: the account is polled. */
  webhookUrl?: string
  /** Our own handle on the platform: Page/bot name, X screen name, Mastodon acct, Bluesky handle. */
  handle?: string
  /** WhatsApp only: the business account (WABA) id sent as entry[].id; derived from externalId when absent. */
  businessAccountId?: string
  /** WhatsApp only: metadata.display_phone_number. */
  displayPhoneNumber?: string
  /**
   * WhatsApp only: message templates of the account's WABA, merged into the ones it already has (same id, or same
   * name and language, replaces). A WABA given none gets `defaultWhatsAppTemplates`. Kept per WABA, not on the account.
   */
  templates?: SimTemplate[]
}

/**
 * A WhatsApp message template as the Graph listing API returns it (`GET /{waba-id}/message_templates`).
 * `components` are HEADER / BODY / FOOTER / BUTTONS objects with their `example`s (specs/outreach.md §1.1).
 */
export interface SimTemplate {
  /** Numeric string; the status webhook sends it as a number. */
  id: string
  name: string
  /** `en_US`, `pt_BR`, `es`. */
  language: string
  status: string
  category: string
  parameter_format?: 'POSITIONAL' | 'NAMED'
  components: unknown[]
  rejected_reason?: string
  quality_score?: { score: string }
}

/** The `event` of a message_template_status_update webhook. */
export type TemplateStatusEvent =
  | 'APPROVED'
  | 'REJECTED'
  | 'PENDING'
  | 'FLAGGED'
  | 'PAUSED'
  | 'DISABLED'
  | 'REINSTATED'
  | 'LOCKED'
  | 'IN_APPEAL'
  | 'ARCHIVED'
  | 'UNARCHIVED'
  | 'DELETED'
  | 'PENDING_DELETION'
  | 'LIMIT_EXCEEDED'

export interface TemplateStatusOptions {
  /** `NONE` (default), `ABUSIVE_CONTENT`, `INVALID_FORMAT`, `PROMOTIONAL`, …; null when scheduled for deletion (the default then). */
  reason?: string | null
  /** Paused and locked templates: title ∈ FIRST_PAUSE, SECOND_PAUSE, RATE_LIMITING_PAUSE, UNPAUSE, DISABLED. */
  otherInfo?: { title: string; description: string }
  /** Rejected templates: why, and what to change. */
  rejectionInfo?: { reason: string; recommendation: string }
}

/** The same secrets a Carebox channel holds for the account. */
export type SimSecrets = ChannelSecrets

export interface CustomerMessage {
  /** `id` is the platform's id for the person: PSID, IGSID, wa_id, Telegram user id, X user id, Mastodon account id, Bluesky DID. */
  from: { id: string; name: string; handle?: string; language?: string }
  text: string
  /** dm (default), a public comment under one of our posts, or a public mention of our account. */
  kind?: 'dm' | 'comment' | 'mention'
  /**
   * The post commented on: FB post id, X tweet id, Mastodon status id, Bluesky post uri. A Facebook post the
   * simulator does not know is made up (see SimPost); `sim.addPost` sets one beforehand.
   */
  postId?: string
  /** Instagram media commented on; made up when unknown, as postId. */
  mediaId?: string
  /** The platform id of the message this one answers. */
  replyToId?: string
  attachments?: { type: 'image'; url: string }[]
  at?: Date
  /** The platform message id (mid, wamid, tweet id, status id, Bluesky rkey, Telegram message_id); generated when absent. */
  id?: string
  /**
   * Meta DMs: the ad or link the customer came from, as Meta sends it (integrations spec §4): Messenger and Instagram
   * `message.referral` ({source, type, ref?, ad_id?, ads_context_data?}), WhatsApp `messages[].referral`
   * ({source_url, source_id, source_type, headline, ctwa_clid?, …}).
   */
  referral?: Record<string, unknown>
}

/** A customer opens a Messenger or Instagram thread from an ad or an m.me / ig.me link, before writing anything. */
export interface CustomerArrival {
  from: CustomerMessage['from']
  /** {source, type, ref?, ad_id?, ads_context_data?}, as Meta sends it on `messaging[].referral`. */
  referral: Record<string, unknown>
  at?: Date
}

/** A customer taps one of the answers of a message of ours (`sim.customerChooses`). */
export interface CustomerChoice {
  from: CustomerMessage['from']
  /**
   * The platform id of our message with the answers (wamid, `<chat id>:<message_id>` as Telegram sendMessage's
   * answer gives it, mid); absent: the latest one the account sent to `from`.
   */
  messageId?: string
  /** The id of the option tapped: a list row or reply button id, callback_data, quick reply payload. */
  optionId: string
  at?: Date
}

/**
 * A Facebook Page post or an Instagram media that customers comment on: what `GET /{post-id}` and
 * `GET /{ig-media-id}` answer (specs/outreach.md §4.3). A comment on an id the simulator does not know makes one up.
 */
export interface SimPost {
  kind: 'facebook' | 'instagram'
  /** FB `<page-id>_<post>`, IG media id. */
  id: string
  accountExternalId: string
  /** FB `message`, IG `caption`. */
  text: string
  /** FB `permalink_url` (https://www.facebook.com/<page-id>/posts/<post>), IG `permalink` (https://www.instagram.com/p/<code>/). */
  permalink: string
  /** FB `created_time`, IG `timestamp`. */
  createdAt: Date
  /** FB `full_picture`, IG `media_url`; by default a picture the simulator serves under /_sim/media. Null: a text-only post (IG: media_url withheld). */
  pictureUrl: string | null
}

/** What `sim.addPost` takes: only the id is required; the rest is made up as for a post a comment names. */
export type SimPostInput = Pick<SimPost, 'id'> & Partial<Omit<SimPost, 'id' | 'kind' | 'accountExternalId'>>

/** A Facebook or Instagram comment as the platform sees it now (`sim.comment(id)`): customers' comments and our public replies. */
export interface SimComment {
  id: string
  kind: 'facebook' | 'instagram'
  accountExternalId: string
  /** The post or media it is under. */
  postId: string
  authorId: string
  text: string
  at: Date
  isHidden: boolean
  isLiked: boolean
  isDeleted: boolean
  hasPrivateReply: boolean
}

/** A CustomerMessage with every default filled in. */
export interface ResolvedMessage extends CustomerMessage {
  kind: 'dm' | 'comment' | 'mention'
  id: string
  at: Date
}

export interface DeliveryReport {
  /** HTTP attempts made; 0 when the message was queued for polling. */
  attempts: number
  /** Status of the last attempt; 0 for a network error, a timeout or no attempt. */
  finalStatus: number
  delivered: boolean
  /** True when the message waits in a polling feed (getUpdates, mentions, notifications). */
  queued?: boolean
  /** The id Carebox's connector stores as the message's externalId (mid, wamid, `<chat>:<message_id>`, tweet id, status id, post uri). */
  externalId?: string
  /** The platform payload that was delivered or queued. */
  payload?: unknown
  error?: string
}

export interface RecordedSend {
  kind: SimKind
  accountExternalId: string
  method: string
  /** Path without the query string. */
  path: string
  query: Record<string, unknown>
  headers: Record<string, string | string[] | undefined>
  body: unknown
  at: Date
  /** 0 when a 'timeout' fault held the request and answered nothing. A 'slow' fault's send has its real status. */
  responseStatus: number
  /** The id the platform answered with (m_…, wamid.…, message_id, tweet/DM event id, status id, post uri). */
  platformMessageId?: string
  /** Mastodon: a retry with a known Idempotency-Key, answered with the first status. */
  deduplicated?: boolean
  /** The file this send delivered to the customer, when it carried one. */
  media?: RecordedMedia
}

/** A file as the customer received it: tests compare `sha256` with the bytes they gave the connector. */
export interface RecordedMedia {
  /** The platform's id for the upload (WhatsApp media id, Telegram file_id, X media id, Mastodon attachment id, Bluesky blob cid); none on Messenger, whose file rides in the send. */
  mediaId?: string
  name?: string
  mimeType: string
  size: number
  /** Hex SHA-256 of the bytes. */
  sha256: string
  /** The text that went with the file in the same message, when there was any. */
  caption?: string
}

/**
 * A file uploaded to a platform ahead of the message that carries it (WhatsApp /media, X /2/media/upload,
 * Mastodon /api/v2/media, Bluesky uploadBlob), or sent along with it (Telegram), kept by id.
 */
export interface SimMedia {
  id: string
  kind: SimKind
  /** The account that uploaded it: only it may send it (WhatsApp: the phone number; X: the user). */
  accountExternalId: string
  name?: string
  mimeType: string
  size: number
  sha256: string
  bytes: Buffer
  /** X media_category (dm_image, tweet_gif, …). */
  category?: string
  /** False while the platform still processes it (Mastodon 202, X processing_info pending). */
  isProcessed: boolean
  /** Mastodon: the status it is attached to; one media goes on one status only. */
  attachedTo?: string
  uploadedAt: Date
}

/** Every request to a platform endpoint (sends, polls, auth), newest last; capped to the last 10,000. */
export interface RecordedRequest {
  kind?: SimKind
  endpoint: FaultEndpoint
  accountExternalId?: string
  method: string
  path: string
  status: number
  at: Date
}

/** 'upload': a file going up ahead of the message that carries it (WhatsApp /media, X /2/media/upload, Mastodon /api/v2/media, Bluesky uploadBlob). */
/** `conversions`: Meta's Conversions API (`POST /{dataset_id}/events`). */
export type FaultEndpoint = 'send' | 'upload' | 'poll' | 'auth' | 'webhook' | 'conversions'

/**
 * The next `count` matching calls fail. `endpoint` 'webhook' matches the platform's webhook-management calls
 * (Telegram setWebhook/deleteWebhook/getWebhookInfo, Meta subscribed_apps), not deliveries to Carebox; 'upload'
 * matches the uploads that go ahead of a file's message (a 'send' fault leaves them alone, and the other way round).
 * - '429', '500': answered at once with the platform's rate-limit or server error; nothing is done;
 * - 'timeout': nothing is done and no answer comes; the connection is dropped after `delayMs`;
 * - 'slow': the call is done as usual (a send is made, recorded with its real status and id, and its receipts and
 *   echoes follow) but the answer is held for `delayMs`: a client that gives up sooner never learns it worked;
 * - 'lost': the call is done as usual, then the connection drops after `delayMs` instead of answering (a reset after
 *   the request was written): the client learns nothing, at once.
 */
export interface FaultSpec {
  kind?: SimKind
  endpoint?: FaultEndpoint
  type: '429' | '500' | 'timeout' | 'slow' | 'lost'
  count: number
  retryAfterSeconds?: number
  /** 'slow', 'lost' and 'timeout': how long the answer is held. Default: the simulator's hangMs. */
  delayMs?: number
}

export interface HandshakeReport {
  ok: boolean
  status: number
  body: string
  error?: string
}

export interface DeliverRawOptions {
  /** Replace the computed signature header value; false omits it. */
  signature?: string | false
  headers?: Record<string, string>
  /** false: one attempt only. */
  retry?: boolean
}

export interface SimulatorOptions {
  port?: number
  host?: string
  /** Waits between webhook attempts; its length is the number of retries. Default [50, 200, 1000]. */
  retryScheduleMs?: number[]
  /** Deliver WhatsApp statuses, Messenger/Instagram echoes, deliveries and reads, and X webhook accounts' own DMs after sends. Default true. */
  receipts?: boolean
  /** Gap between successive receipts of one send. Default 300 ms. */
  receiptDelayMs?: number
  /** How long one webhook attempt may take. Default 5 s (Meta allows 20 s, X 3 s). */
  webhookTimeoutMs?: number
  /** How long a 'timeout' fault holds a request before dropping the connection, and a 'slow' one its answer, unless the fault names a delayMs. Default 30 s. */
  hangMs?: number
  /** Bluesky access token lifetime. Default 2 min. */
  blueskyAccessTtlMs?: number
  /**
   * Take a Facebook or Instagram comment id never seen as one written before the simulator started (the demo's
   * seeded history, an earlier run), so replies and actions on it work; only a comment known to be deleted is
   * refused. Default false: like Graph, an unknown id is refused.
   */
  adoptUnknownComments?: boolean
  rateLimits?: Partial<RateLimits>
  logger?: Logger
}

export interface RateLimits {
  /** X GET /2/users/:id/mentions per user per 15 min. */
  xMentionsPer15Min: number
  /** Mastodon requests per account per 5 min (all endpoints). */
  mastodonPer5Min: number
  /** Bluesky createSession per account per 5 min. */
  blueskySessionsPer5Min: number
}
