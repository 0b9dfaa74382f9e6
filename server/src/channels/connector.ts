/**
 * A channel adapter: pure translation and transport for one platform. It verifies webhooks, parses platform
 * payloads into InboundEvents, sends replies and polls; it never touches the database and knows nothing of
 * conversations. Every HTTP call goes to `channel.config.apiBaseUrl`: the real platform in production,
 * the platform simulator in demos and tests, so the same code runs against both.
 *
 * Adding a platform: add its kind to `channelKinds` in shared/src/channels.ts, write `<kind>/<kind>.connector.ts`
 * implementing this interface, and register it in connectors.ts (the registry fails to compile until you do).
 */
import type { ChannelKind, IngestMode } from '@carebox/shared'

/** What a connector sees of a channel: ids, non-secret config and decrypted secrets. */
export interface ChannelRuntime {
  id: string
  kind: ChannelKind
  /**
   * The platform's id for our side of the channel, used to route webhooks and to recognise our own messages:
   * Facebook Page id, Instagram professional account id, WhatsApp phone_number_id, Telegram bot user id,
   * X user id, Mastodon account id, Bluesky DID.
   */
  externalId: string
  config: ChannelConfig
  secrets: ChannelSecrets
}

export interface ChannelConfig {
  /** e.g. https://graph.facebook.com/v21.0, https://api.telegram.org, https://api.x.com, https://mastodon.social, https://bsky.social */
  apiBaseUrl: string
  mode: IngestMode
  /** Polling channels: how often to poll when there is nothing to catch up on. */
  pollIntervalMs?: number
  /** Our own handle on the platform (Mastodon acct, Bluesky handle, X screen name), to address replies. */
  handle?: string
  /** WhatsApp: the business account (WABA) whose message templates the channel sends. */
  businessAccountId?: string
}

/** Every secret any connector may need; each kind uses its own subset. Encrypted at rest, never returned by the API. */
export interface ChannelSecrets {
  /** Meta app secret: verifies X-Hub-Signature-256. */
  appSecret?: string
  /** Meta Page / Instagram / WhatsApp system-user token; Mastodon user token; X user-context bearer. */
  accessToken?: string
  /** Telegram bot token. */
  botToken?: string
  /** Telegram setWebhook secret_token, compared with X-Telegram-Bot-Api-Secret-Token. */
  webhookSecret?: string
  /** X consumer (API) secret: answers CRC and verifies x-twitter-webhooks-signature. */
  consumerSecret?: string
  /** Bluesky handle or DID and app password for createSession. */
  identifier?: string
  appPassword?: string
}

/** A webhook request as the connector sees it: the raw bytes, never re-serialised JSON. */
export interface WebhookRequest {
  headers: Record<string, string | undefined>
  rawBody: Buffer
}

export interface ExternalContact {
  /** The platform's stable id for the person on this channel (PSID, IGSID, WhatsApp user_id or wa_id, …). */
  externalId: string
  /** Other ids the same person may arrive under (WhatsApp: wa_id when user_id is the primary). */
  aliases?: string[]
  name?: string
  handle?: string
  avatarUrl?: string
  /** A language the platform states for the person (Telegram language_code), not a detection. */
  language?: string
}

export interface Attachment {
  kind: 'image' | 'video' | 'audio' | 'file' | 'sticker' | 'location' | 'other'
  url?: string
  /** Platform media id to download through the platform's API (WhatsApp). */
  mediaId?: string
  name?: string
  mimeType?: string
}

export type ConversationKind = 'dm' | 'public'

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed'

export type InboundEvent =
  | {
      type: 'message'
      /** Unique per channel: Messenger mid, comment id, wamid, `<chat id>:<message_id>`, tweet id, status id, post uri. */
      externalId: string
      /** Groups messages into one conversation: the DM partner, or the public post/thread root. */
      threadKey: string
      conversationKind: ConversationKind
      /** 'inbound': the customer wrote. 'echo': our own account wrote (a send of ours, or one made outside Carebox). */
      direction: 'inbound' | 'echo'
      contact: ExternalContact
      text: string
      attachments: Attachment[]
      /** ISO 8601, from the platform's timestamp. */
      sentAt: string
      replyToExternalId?: string
      /** Public threads: what the thread is about (post id, post text excerpt, media id). */
      subject?: string
      /** Data a reply needs later (Bluesky root/parent cid, Mastodon visibility, Meta comment id). */
      replyContext?: Record<string, string>
      /** Echoes only: the reference Carebox put on the send (`sendReference`), when the platform hands it back (Messenger metadata). */
      ref?: string
      /** The id of an option of ours the customer tapped (OutboundChoices), when the message is that tap. */
      choice?: string
      /** The ad or link that brought the customer here, when the platform says (Meta referrals: integrations spec §4). */
      referral?: Referral
    }
  | { type: 'edit'; externalId: string; text: string; at: string }
  | { type: 'delete'; externalId: string; at: string }
  | { type: 'reaction'; externalId: string; contactExternalId: string; emoji: string; action: 'react' | 'unreact'; at: string }
  /**
   * A delivery status for one of our outbound messages, by its platform id (WhatsApp statuses, Messenger delivery
   * mids). `ref` is the reference Carebox put on the send (`sendReference`), when the platform hands it back
   * (WhatsApp biz_opaque_callback_data): it ties the status to a reply whose send never told us its id.
   */
  | { type: 'status'; externalId: string; status: DeliveryStatus; at: string; error?: string; ref?: string }
  /** Everything we sent in this thread up to `watermark` is delivered/read (Messenger/Instagram watermarks). */
  | { type: 'watermark'; threadKey: string; status: 'delivered' | 'read'; watermark: string; at: string }
  /**
   * The customer arrived from an ad or a link without writing yet (Messenger `messaging_referrals`, Instagram
   * `messaging_referral`): no message, only where they came from, for the thread's conversation.
   */
  | { type: 'referral'; threadKey: string; contact: ExternalContact; referral: Referral; at: string }
  /** WhatsApp: Meta changed a message template's status (approved, rejected, paused…) in a business account. */
  | { type: 'template_status'; businessAccountId: string; templateId: string; name: string; language: string; status: string; reason?: string; at: string }

/**
 * Where a customer came from, as the platform tells it (integrations spec §4): an ad (Messenger and Instagram `ADS`
 * with its `ad_id`, WhatsApp click-to-WhatsApp `source_type: ad` with its `ctwa_clid`) or a link (`m.me`/`ig.me`
 * `?ref=`). Every field is the platform's own text, untrusted; `raw` is the object as delivered, bounded in size.
 */
export interface Referral {
  /** Messenger/Instagram `source`: ADS, SHORTLINK, IGME-SOURCE-LINK, … (opaque). WhatsApp sends none. */
  source?: string
  /** Messenger `type`: OPEN_THREAD. */
  type?: string
  ref?: string
  adId?: string
  /** WhatsApp: the click id the Conversions API needs (absent for Status ad placements). */
  ctwaClid?: string
  /** WhatsApp: the ad or post id. */
  sourceId?: string
  /** WhatsApp: ad | post. */
  sourceType?: string
  sourceUrl?: string
  /** The ad's title (Messenger `ads_context_data.ad_title`, WhatsApp `headline`). */
  headline?: string
  raw: Record<string, unknown>
}

/** A reply to send, in the channel's own form. */
export interface OutboundMessage {
  /** Our message id: the idempotency key (Mastodon Idempotency-Key; reconciliation elsewhere). */
  id: string
  conversationKind: ConversationKind
  threadKey: string
  recipient: ExternalContact
  text: string
  /** The message being answered (comment id to reply under, message to quote, status to reply to). */
  replyToExternalId?: string
  replyContext?: Record<string, string>
  /** Public comment threads: answer publicly under the comment, or privately by DM where the platform allows. */
  visibility?: 'public' | 'private'
  /** Meta: send outside the 24 h window as a human agent (up to 7 days). */
  tag?: 'HUMAN_AGENT'
  /** WhatsApp: send this approved template (its components carry the filled placeholders) instead of free text. */
  template?: { name: string; language: string; components: unknown[] }
  /** A file sent with the reply (its text, if any, is the caption): checked against the platform's rules already. */
  file?: OutboundFile
  /** Answers the customer taps (a satisfaction survey's 1–5), rendered with the platform's own controls; `text` is the question. */
  choices?: OutboundChoices
}

/**
 * Tappable answers to a question: WhatsApp list rows, Telegram inline keyboard buttons, Messenger and Instagram
 * quick replies. The tapped option's `id` comes back on the customer's message as `choice`. Platforms without such
 * controls (X DMs on API v2) send the question alone and the customer types the answer.
 */
export interface OutboundChoices {
  /** The button that opens a WhatsApp list (≤ 20 characters). */
  buttonLabel: string
  /** ≤ 10 options; `id` ≤ 64 bytes (Telegram's callback_data limit), `title` ≤ 20 characters. */
  options: { id: string; title: string }[]
}

export interface OutboundFile {
  kind: 'image' | 'video' | 'audio' | 'file'
  name: string
  mimeType: string
  data: Buffer
}

export type CommentAction = 'hide' | 'unhide' | 'delete' | 'like'

/** A post (or Instagram media) as the platform describes it. */
export interface PlatformPost {
  externalId: string
  text: string
  permalink: string | null
  createdAt: string | null
  /** The picture's URL on the platform, fetched through the media guard when shown. */
  pictureUrl: string | null
}

export interface SendResult {
  externalId: string
}

/**
 * Whether a failed call may have had its effect on the platform:
 * - 'rejected': the platform answered, refusing it (an HTTP status): nothing was done;
 * - 'not_sent': the request never left (connection refused, DNS failure, a step before the send failed);
 * - 'unknown': the request may have arrived and been acted on, and we never read the answer (a timeout, a
 *   connection dropped after the request was written, an unreadable answer).
 */
export type CallOutcome = 'rejected' | 'not_sent' | 'unknown'

/** A failure talking to a platform. `retryable` and `retryAfterMs` drive the job's backoff. */
export class ConnectorError extends Error {
  readonly retryable: boolean
  readonly retryAfterMs?: number
  readonly platformCode?: string
  readonly status?: number
  readonly outcome: CallOutcome
  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number; platformCode?: string; status?: number; outcome?: CallOutcome }) {
    super(message)
    this.name = 'ConnectorError'
    this.retryable = options.retryable
    this.retryAfterMs = options.retryAfterMs
    this.platformCode = options.platformCode
    this.status = options.status
    this.outcome = options.outcome ?? (options.status !== undefined ? 'rejected' : 'unknown')
  }
}

/**
 * What Carebox may do about a send whose outcome is unknown, so that a customer never gets one reply twice:
 * - 'repeat': sending again is harmless (the platform deduplicates on a key Carebox sends: Mastodon's
 *   Idempotency-Key for an hour, the record key Carebox picks on Bluesky), so the reply is retried as usual;
 * - 'confirm': the platform reports each send by webhook (a status or an echo carrying Carebox's reference, or at
 *   least the reply's text): Carebox waits `waitMs` for it before calling the delivery unknown;
 * - 'ask': nothing can tell; the agent decides at once.
 * `check` tells the agent where to look before deciding.
 */
export type UnknownOutcomePolicy = { kind: 'repeat' } | { kind: 'confirm'; waitMs: number; check: string } | { kind: 'ask'; check: string }

/** The reference Carebox puts on a send where the platform carries one back (WhatsApp biz_opaque_callback_data, Messenger metadata). */
export function sendReference(messageId: string): string {
  return `carebox:${messageId}`
}

const referencePattern = /^carebox:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i

/** Our message id from a reference the platform handed back; undefined for anyone else's (another app may set its own). */
export function parseSendReference(value: unknown): string | undefined {
  return typeof value === 'string' ? referencePattern.exec(value)?.[1]?.toLowerCase() : undefined
}

/** A payload whose shape we do not understand: it goes to the dead letter, and is never retried on its own. */
export class UnsupportedPayloadError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UnsupportedPayloadError'
  }
}

/** One raw item fetched by polling, stored as an inbound envelope before the cursor moves. */
export interface PolledEnvelope {
  dedupeKey: string
  payload: unknown
}

export interface PollResult {
  envelopes: PolledEnvelope[]
  /** The cursor to store once the envelopes are committed; null keeps the current one. */
  cursor: string | null
  /** True when more is waiting right now (a full page): poll again without the interval. */
  hasMore: boolean
  /**
   * Set when the stored cursor no longer matched the platform (its ids moved backwards, or it refused the cursor)
   * and this poll started over from what the platform has: why, in plain words. Re-reading is safe, as envelopes
   * are unique per channel and dedupe key.
   */
  cursorReset?: string
}

/** What a platform tells of a person on request (Meta's User Profile API): only what it gave. */
export interface ContactProfile {
  name?: string
  handle?: string
  avatarUrl?: string
  followers?: number
}

export interface Connector {
  kind: ChannelKind
  /** Checks the webhook's authenticity on the raw bytes (constant-time). */
  verifyWebhook(request: WebhookRequest, channel: ChannelRuntime): boolean
  /**
   * GET handshakes (Meta hub.challenge, X CRC). Returns the status and body to answer; kinds without one
   * leave it undefined and the route answers 405.
   */
  handshake?(query: Record<string, string | undefined>, channel: ChannelRuntime): { status: number; body: string | object }
  /** A stored envelope's payload into events, in platform order. Throws UnsupportedPayloadError for shapes it does not know. */
  parse(payload: unknown, channel: ChannelRuntime): InboundEvent[]
  /** Dedupe key of a webhook delivery (a retry of the same delivery yields the same key). */
  dedupeKey(payload: unknown, rawBody: Buffer): string
  send(message: OutboundMessage, channel: ChannelRuntime): Promise<SendResult>
  /**
   * How long one send may wait for the platform's answer: short where the platform answers fast, so a hung
   * platform holds a worker slot briefly. Beyond it the outcome is unknown (see `unknownOutcome`).
   */
  sendTimeoutMs: number
  /** What to do when a send's outcome is unknown, for this message on this channel. */
  unknownOutcome(message: OutboundMessage, channel: ChannelRuntime): UnknownOutcomePolicy
  /** Polling kinds only. `cursor` is the stored one (null on first poll). */
  poll?(cursor: string | null, channel: ChannelRuntime): Promise<PollResult>
  /**
   * Kinds whose platform waits for the bot to react to an event (Telegram: a tapped inline button spins until
   * answerCallbackQuery, and stays tappable until its keyboard is removed). Ingest calls it once the transaction
   * that stored the event has committed, for every event `parse` returned, duplicates included (a redelivery may
   * follow a crash before the first acknowledgement); it does nothing for events that need none, and an event
   * acknowledged before counts as done. It throws ConnectorError when the platform cannot be reached or refuses:
   * the event is stored anyway, so log it and move on rather than retry for long (Telegram lets a query be answered
   * only shortly after the tap).
   */
  acknowledge?(event: InboundEvent, channel: ChannelRuntime): Promise<void>
  /** Public comments (Facebook, Instagram): hides, shows again, deletes or likes one on the platform. */
  commentAction?(action: CommentAction, comment: { externalId: string }, channel: ChannelRuntime): Promise<void>
  /** The post a public thread is about, by the ids its comments carry (`postId`, Instagram `mediaId`). */
  fetchPost?(ids: Record<string, string>, channel: ChannelRuntime): Promise<PlatformPost | null>
  /** Kinds whose webhooks carry no name (Messenger, Instagram DMs): the person's profile, looked up by their id. */
  profile?(externalId: string, channel: ChannelRuntime): Promise<ContactProfile>
  /**
   * "Test connection": asks the platform whom the channel's credentials belong to (Graph node, getMe, users/me,
   * verify_credentials, createSession), changing nothing there. Throws a ConnectorError whose message says in plain
   * words what the platform refused (connection-check.ts words the common cases).
   */
  checkConnection(channel: ChannelRuntime): Promise<ConnectedAccount>
  /**
   * Kinds where Carebox itself can point the platform at its webhook URL (Telegram setWebhook, Meta subscribed_apps).
   * Returns what the platform now does, in a sentence; throws a ConnectorError as checkConnection does.
   */
  registerWebhook?(webhookUrl: string, channel: ChannelRuntime): Promise<string>
}

/** The account a platform says a channel's credentials belong to; every field is the platform's text. */
export interface ConnectedAccount {
  id: string
  name?: string
  handle?: string
  /** In a line, as the admin would recognise it: "Telegram bot @acme_bot (Acme Care)". */
  summary: string
}
