/**
 * Bluesky (AT Protocol): mentions, replies and quotes are polled from listNotifications; replies are
 * app.bsky.feed.post records created in our repo. Nothing is pushed to us, so there is no webhook.
 * Auth is an app-password session, cached per channel: createSession is limited to 30 per 5 minutes.
 */
import {
  type Attachment,
  type ChannelRuntime,
  type Connector,
  ConnectorError,
  type ExternalContact,
  type InboundEvent,
  type OutboundFile,
  type PollResult,
  UnsupportedPayloadError,
} from '../connector.js'
import { refuseChoices } from '../choices.js'
import { bodyKey, excerpt, isRecord, isoDate } from '../payload.js'
import {
  asBytes,
  fileRefused,
  notSent,
  platformError,
  platformFetch,
  retryAfterMs,
  unreadableAnswer,
  uploadFailed,
  uploadWithoutId,
  type PlatformResponse,
} from '../http.js'
import { replyRecordKey } from './bluesky.record-key.js'
import type { BlueskyEmbed, BlueskyNotification, BlueskyNotificationPage, BlueskySessionAnswer, BlueskyStrongRef } from './bluesky.payloads.js'
import { checkBlueskyConnection } from './bluesky.connection.js'

const pageSize = 100
/** A backlog deeper than this many pages (1,000 notifications) since the last poll is skipped, to keep polls bounded. */
const maxPagesPerPoll = 10
/** How far ahead of our clock a stored mark may be before it counts as not matching Bluesky (clocks drift a little). */
const futureMarkSlackMs = 5 * 60_000
const conversationReasons = new Set(['mention', 'reply', 'quote'])
/** A PDS answers createRecord within a couple of seconds: 10 s is far past a healthy answer. */
const sendTimeoutMs = 10_000
const postCollection = 'app.bsky.feed.post'

interface BlueskySession {
  accessJwt: string
  refreshJwt: string
  did: string
  identifier: string
}

/**
 * Sessions by channel (see sessionKey). A promise, so concurrent polls and sends of one channel share one login or refresh.
 * Module-level: sessions live as long as the process, and a restart logs in once per channel.
 */
const sessions = new Map<string, Promise<BlueskySession>>()

/** Forgets every cached session (tests; a channel whose credentials changed is handled on its own). */
export function clearBlueskySessions(): void {
  sessions.clear()
}

export const blueskyConnector: Connector = {
  kind: 'bluesky',

  verifyWebhook() {
    // Bluesky pushes nothing to us: a request claiming to come from it is not genuine.
    return false
  },

  dedupeKey(payload, rawBody) {
    const uri = isRecord(payload) ? payload.uri : undefined
    return typeof uri === 'string' ? uri : bodyKey(rawBody)
  },

  parse(payload, channel) {
    if (!isRecord(payload) || typeof payload.uri !== 'string' || typeof payload.reason !== 'string') {
      throw new UnsupportedPayloadError('Bluesky notification without uri or reason')
    }
    // Likes, reposts, follows and the like are not conversations.
    if (!conversationReasons.has(payload.reason)) return []
    const notification = payload as unknown as BlueskyNotification
    const { author, record } = notification
    if (typeof notification.cid !== 'string' || !isRecord(author) || typeof author.did !== 'string' || !isRecord(record)) {
      throw new UnsupportedPayloadError('Bluesky notification without cid, author.did or record')
    }
    return [parsePost(notification, channel)]
  },

  async send(message, channel) {
    refuseChoices(message, 'Bluesky')
    if (message.file && (message.conversationKind === 'dm' || message.visibility === 'private')) {
      throw fileRefused('Bluesky chats carry text only: a file can go only in a public reply')
    }
    if (message.conversationKind === 'dm' || message.visibility === 'private') {
      throw new ConnectorError('Bluesky chats are not connected: Carebox answers Bluesky posts publicly only', { retryable: false, outcome: 'not_sent' })
    }
    const context = message.replyContext ?? {}
    if (!context.uri || !context.cid) {
      throw new ConnectorError('A Bluesky reply needs the uri and cid of the post it answers', { retryable: false, outcome: 'not_sent' })
    }
    const parent: BlueskyStrongRef = { uri: context.uri, cid: context.cid }
    // The thread root is the parent's own root when the parent is itself a reply (app.bsky.feed.post#replyRef).
    const root: BlueskyStrongRef = context.rootUri && context.rootCid ? { uri: context.rootUri, cid: context.rootCid } : parent

    const rkey = replyRecordKey(message.id)
    // The blob is content-addressed: a repeated send uploads the same blob again, harmlessly, before the record key finds the post.
    const embed = message.file ? await imageEmbed(channel, message.file) : undefined
    const response = await xrpc(
      channel,
      'POST',
      'com.atproto.repo.createRecord',
      (session) => ({
        repo: session.did,
        collection: postCollection,
        rkey,
        record: {
          $type: postCollection,
          text: message.text,
          createdAt: new Date().toISOString(),
          reply: { root, parent },
          ...linkFacets(message.text),
          ...(embed && { embed }),
        },
      }),
      sendTimeoutMs,
    )
    const uri = isRecord(response.body) ? response.body.uri : undefined
    if (response.status === 200 && typeof uri === 'string') return { externalId: uri }
    if (response.status === 200) throw unreadableAnswer(response, 'Bluesky accepted the reply but did not say which post it became')
    const existing = mayAlreadyExist(response) ? await findOwnPost(channel, rkey) : undefined
    if (existing) return { externalId: existing }
    throw blueskyError(response, 'Bluesky refused the reply')
  },

  sendTimeoutMs,

  checkConnection: checkBlueskyConnection,

  // The record key comes from the reply's id: a repeat finds the post already there instead of making another.
  unknownOutcome() {
    return { kind: 'repeat' }
  },

  async poll(cursor, channel): Promise<PollResult> {
    // The cursor is a high-water mark: the newest indexedAt already taken. Pages come newest first, so walk
    // back until reaching it. Without one, a new channel takes the newest page rather than its whole history.
    const parsedMark = cursor === null ? Number.NaN : Date.parse(cursor)
    // A mark that is no time, or one ahead of the clock (Bluesky never dates a notification in the future), no longer
    // matches the platform: everything newer than it would be skipped. Start over from the newest notifications,
    // walking back as far as one poll reads; those taken before come again and are dropped as duplicates.
    const cursorReset =
      cursor === null
        ? undefined
        : !Number.isFinite(parsedMark)
          ? `the stored cursor ${JSON.stringify(cursor.slice(0, 40))} is not a time`
          : parsedMark > Date.now() + futureMarkSlackMs
            ? `the stored cursor (${cursor}) lies in the future: Bluesky's notification times moved backwards`
            : undefined
    const markMs = cursorReset ? Number.NaN : parsedMark
    const hasMark = Number.isFinite(markMs)
    const fresh: BlueskyNotification[] = []
    const seen = new Set<string>()
    let newest: { ms: number; indexedAt: string } | undefined
    let pageCursor: string | undefined
    const pages = hasMark || cursorReset ? maxPagesPerPoll : 1
    for (let page = 0; page < pages; page++) {
      const params = new URLSearchParams({ limit: String(pageSize) })
      for (const reason of conversationReasons) params.append('reasons', reason)
      if (pageCursor) params.set('cursor', pageCursor)
      const response = await xrpc(channel, 'GET', `app.bsky.notification.listNotifications?${params}`)
      const body = response.body as Partial<BlueskyNotificationPage>
      if (response.status !== 200 || !isRecord(body) || !Array.isArray(body.notifications)) {
        throw blueskyError(response, 'Bluesky listNotifications failed')
      }

      let isMarkReached = false
      for (const item of body.notifications) {
        const ms = isRecord(item) && typeof item.uri === 'string' && typeof item.indexedAt === 'string' ? Date.parse(item.indexedAt) : Number.NaN
        if (!Number.isFinite(ms)) throw new ConnectorError('Bluesky answered a notification without uri or indexedAt', { retryable: false })
        if (hasMark && ms <= markMs) {
          isMarkReached = true
          break
        }
        if (!newest || ms > newest.ms) newest = { ms, indexedAt: item.indexedAt }
        // The reasons filter is also applied here: a server may ignore it.
        if (conversationReasons.has(item.reason) && !seen.has(item.uri)) {
          seen.add(item.uri)
          fresh.push(item)
        }
      }
      pageCursor = body.cursor
      if (isMarkReached || !pageCursor || body.notifications.length === 0) break
    }
    return {
      envelopes: fresh.reverse().map((notification) => ({ dedupeKey: notification.uri, payload: notification })),
      // After a reset that found nothing, a mark before any notification replaces the one that no longer matched.
      cursor: newest?.indexedAt ?? (cursorReset ? new Date(0).toISOString() : null),
      hasMore: false,
      ...(cursorReset && { cursorReset: `${cursorReset}; re-read its newest ${fresh.length} notification${fresh.length === 1 ? '' : 's'}` }),
    }
  },
}

function parsePost(notification: BlueskyNotification, channel: ChannelRuntime): InboundEvent {
  const { author, record } = notification
  const root = record.reply?.root
  const text = typeof record.text === 'string' ? record.text : ''
  const contact: ExternalContact = { externalId: author.did }
  if (author.handle) contact.handle = author.handle
  if (author.displayName) contact.name = author.displayName
  if (author.avatar) contact.avatarUrl = author.avatar
  const event: InboundEvent = {
    type: 'message',
    externalId: notification.uri,
    threadKey: `post:${root?.uri ?? notification.uri}`,
    conversationKind: 'public',
    direction: author.did === channel.externalId ? 'echo' : 'inbound',
    contact,
    text,
    attachments: attachmentsOf(record.embed),
    sentAt: isoDate(record.createdAt ?? notification.indexedAt, 'Bluesky'),
    subject: excerpt(text),
    replyContext: {
      uri: notification.uri,
      cid: notification.cid,
      rootUri: root?.uri ?? notification.uri,
      rootCid: root?.cid ?? notification.cid,
    },
  }
  if (record.reply?.parent?.uri) event.replyToExternalId = record.reply.parent.uri
  return event
}

/** Images and video are blobs in the author's repo: their cid is the media id (com.atproto.sync.getBlob). */
function attachmentsOf(embed: BlueskyEmbed | undefined): Attachment[] {
  if (typeof embed !== 'object' || embed === null) return []
  const blob = (kind: Attachment['kind'], value: BlueskyEmbed['video']): Attachment[] => {
    const cid = value?.ref?.$link
    if (!cid) return []
    const attachment: Attachment = { kind, mediaId: cid }
    if (value.mimeType) attachment.mimeType = value.mimeType
    return [attachment]
  }
  return [
    ...(embed.images ?? []).flatMap((image) => blob('image', image.image)),
    ...blob('video', embed.video),
    // A quote with media (app.bsky.embed.recordWithMedia) nests the images or video under `media`.
    ...(embed.media ? attachmentsOf(embed.media) : []),
  ]
}

/**
 * A repeated createRecord with a key the repo already holds fails: the reference PDS answers 500
 * InternalServerError (bluesky-social/atproto#3718), others 409 RecordAlreadyExists or 400 InvalidRequest.
 * None of these says for sure that the post is there, so the post itself is looked up.
 */
function mayAlreadyExist(response: PlatformResponse): boolean {
  return response.status === 400 || response.status === 409 || response.status >= 500
}

/** The uri of our post under `rkey`, if the repo holds one; undefined when it does not or the lookup fails. */
async function findOwnPost(channel: ChannelRuntime, rkey: string): Promise<string | undefined> {
  const params = new URLSearchParams({ repo: channel.externalId, collection: postCollection, rkey })
  try {
    const response = await xrpc(channel, 'GET', `com.atproto.repo.getRecord?${params}`)
    const uri = isRecord(response.body) ? response.body.uri : undefined
    return response.status === 200 ? (typeof uri === 'string' ? uri : `at://${channel.externalId}/${postCollection}/${rkey}`) : undefined
  } catch {
    // The original refusal is the better error to report; a later attempt looks again.
    return undefined
  }
}

/**
 * `com.atproto.repo.uploadBlob` (the raw bytes, Content-Type the file's type) answers `{blob}`, which the post
 * embeds as `app.bsky.embed.images` with the file name as alt text. Images only, up to 1,000,000 bytes (the
 * caller checks). https://docs.bsky.app/docs/advanced-guides/posts#images-embeds
 */
async function imageEmbed(channel: ChannelRuntime, file: OutboundFile): Promise<object> {
  if (file.kind !== 'image') throw fileRefused('Bluesky posts carry images only')
  const response = await xrpc(channel, 'POST', 'com.atproto.repo.uploadBlob', { contentType: file.mimeType, data: file.data }, sendTimeoutMs).catch(
    (error: unknown) => Promise.reject(uploadFailed(error, 'Bluesky')),
  )
  if (response.status !== 200) throw uploadFailed(blueskyError(response, 'Bluesky refused the image'), 'Bluesky')
  const blob = isRecord(response.body) ? response.body.blob : undefined
  if (!isRecord(blob)) throw uploadWithoutId('Bluesky', response.status)
  // The alt text is public: never the agent's file name (it may name a person or a document).
  return { $type: 'app.bsky.embed.images', images: [{ alt: '', image: blob }] }
}

/** A request body: JSON built from the session (records name the repo), or raw bytes (uploadBlob). */
type XrpcBody = ((session: BlueskySession) => object) | { contentType: string; data: Buffer }

/**
 * One XRPC call with the channel's session. An expired access token is refreshed once and the call retried;
 * a new login happens only when there is no session or the refresh is refused. A failure getting a session
 * means the call itself never went out: outcome 'not_sent'.
 */
async function xrpc(channel: ChannelRuntime, method: 'GET' | 'POST', path: string, body?: XrpcBody, timeoutMs?: number): Promise<PlatformResponse> {
  const pending = sessionFor(channel)
  const session = await pending.catch((error: unknown) => Promise.reject(notSent(error)))
  const response = await callWith(channel, session, method, path, body, timeoutMs)
  if (!isExpired(response)) return response
  const renewed = await renewSession(channel, pending).catch((error: unknown) => Promise.reject(notSent(error)))
  return callWith(channel, renewed, method, path, body, timeoutMs)
}

function callWith(
  channel: ChannelRuntime,
  session: BlueskySession,
  method: 'GET' | 'POST',
  path: string,
  body: XrpcBody | undefined,
  timeoutMs: number | undefined,
) {
  const isJson = typeof body === 'function'
  return platformFetch(`${channel.config.apiBaseUrl}/xrpc/${path}`, {
    method,
    headers: { authorization: `Bearer ${session.accessJwt}`, ...(body && { 'content-type': isJson ? 'application/json' : body.contentType }) },
    body: body ? (isJson ? JSON.stringify(body(session)) : asBytes(body.data)) : undefined,
    ...(timeoutMs !== undefined && { timeoutMs }),
  })
}

function isExpired(response: PlatformResponse): boolean {
  const error = isRecord(response.body) ? response.body.error : undefined
  return (response.status === 400 || response.status === 401) && (error === 'ExpiredToken' || error === 'InvalidToken')
}

function sessionFor(channel: ChannelRuntime): Promise<BlueskySession> {
  return sessions.get(sessionKey(channel)) ?? remember(sessionKey(channel), createSession(channel))
}

/** A session belongs to one account on one server: new credentials or another server mean another session. */
function sessionKey(channel: ChannelRuntime): string {
  return [channel.id, channel.config.apiBaseUrl, channel.secrets.identifier ?? ''].join(' ')
}

function renewSession(channel: ChannelRuntime, stale: Promise<BlueskySession>): Promise<BlueskySession> {
  const key = sessionKey(channel)
  const current = sessions.get(key)
  // Another call of this channel already renewed the session while this one waited.
  if (current && current !== stale) return current
  return remember(
    key,
    stale.then((session) => refreshOrLogin(channel, session)),
    stale,
  )
}

async function refreshOrLogin(channel: ChannelRuntime, session: BlueskySession): Promise<BlueskySession> {
  const response = await platformFetch(`${channel.config.apiBaseUrl}/xrpc/com.atproto.server.refreshSession`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.refreshJwt}` },
  })
  if (response.status === 200) return toSession(response, session.identifier)
  // Only a refused refresh token (expired, revoked) calls for a new login; an outage is retried later.
  if (response.status !== 400 && response.status !== 401) throw blueskyError(response, 'Bluesky session refresh failed')
  return createSession(channel)
}

async function createSession(channel: ChannelRuntime): Promise<BlueskySession> {
  const { identifier, appPassword } = channel.secrets
  if (!identifier || !appPassword) throw new ConnectorError('The Bluesky channel has no identifier or app password', { retryable: false, outcome: 'not_sent' })
  const response = await platformFetch(`${channel.config.apiBaseUrl}/xrpc/com.atproto.server.createSession`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier, password: appPassword }),
  })
  if (response.status === 401) {
    throw new ConnectorError('Bluesky rejected the identifier or app password', { retryable: false, platformCode: 'AuthenticationRequired', status: 401 })
  }
  if (response.status !== 200) throw blueskyError(response, 'Bluesky login failed')
  return toSession(response, identifier)
}

function toSession(response: PlatformResponse, identifier: string): BlueskySession {
  const body = response.body as Partial<BlueskySessionAnswer>
  if (!isRecord(body) || typeof body.accessJwt !== 'string' || typeof body.refreshJwt !== 'string' || typeof body.did !== 'string') {
    throw new ConnectorError('Bluesky answered a session without tokens or did', { retryable: true })
  }
  return { accessJwt: body.accessJwt, refreshJwt: body.refreshJwt, did: body.did, identifier }
}

/** Caches a pending session; if it fails, the previous one (or none) stays, so a failed refresh does not force a login. */
function remember(key: string, pending: Promise<BlueskySession>, previous?: Promise<BlueskySession>): Promise<BlueskySession> {
  sessions.set(key, pending)
  pending.catch(() => {
    if (sessions.get(key) !== pending) return
    if (previous) sessions.set(key, previous)
    else sessions.delete(key)
  })
  return pending
}

/** platformError with the XRPC `{error, message}`; 429 also reads RateLimit-Reset (epoch seconds on Bluesky, delta in the IETF draft). */
function blueskyError(response: PlatformResponse, what: string): ConnectorError {
  const body = isRecord(response.body) ? response.body : {}
  const code = typeof body.error === 'string' ? body.error : undefined
  const detail = typeof body.message === 'string' ? body.message : code
  if (response.status === 429) {
    const reset = Number(response.headers.get('ratelimit-reset'))
    const fromReset = Number.isFinite(reset) && reset > 0 ? (reset > 1e9 ? Math.max(0, reset * 1000 - Date.now()) : reset * 1000) : undefined
    const wait = retryAfterMs(response.headers) ?? fromReset ?? 60_000
    return new ConnectorError(`${what}: rate limit reached`, { retryable: true, retryAfterMs: wait, platformCode: code, status: 429 })
  }
  return platformError(response, `${what}: ${detail ?? `HTTP ${response.status}`}`, code)
}

/**
 * Bluesky shows a link only where a facet marks it, by UTF-8 byte offsets (a bare URL in the text stays plain text):
 * every http(s) URL of the text gets one.
 */
export function linkFacets(text: string): { facets?: unknown[] } {
  const facets: unknown[] = []
  for (const match of text.matchAll(/https?:\/\/[^\s]+/g)) {
    const uri = match[0].replace(/[.,;:!?)]+$/, '')
    const byteStart = Buffer.byteLength(text.slice(0, match.index))
    facets.push({ index: { byteStart, byteEnd: byteStart + Buffer.byteLength(uri) }, features: [{ $type: 'app.bsky.richtext.facet#link', uri }] })
  }
  return facets.length > 0 ? { facets } : {}
}
