/**
 * X: DMs and mentions arrive by Account Activity API webhook (CRC handshake, signed POSTs), or mentions are
 * polled from the v2 mentions timeline. Replies go out through the v2 DM and tweet endpoints.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
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
import { bodyKey, excerpt, isRecord } from '../payload.js'
import { fileBlob, platformError, platformFetch, unreadableAnswer, uploadFailed, uploadWithoutId, type PlatformResponse } from '../http.js'
import type { XActivityBody, XDirectMessageEvent, XMediaEntity, XMentionsPage, XPolledMention, XUrlEntity, XV1Tweet, XV2Tweet, XV2User } from './x.payloads.js'
import { checkXConnection } from './x.connection.js'

export type { XPolledMention } from './x.payloads.js'

export const polledMentionSource = 'x.mentions.v2'

/** X answers a post or a DM within a couple of seconds: 10 s is far past a healthy answer. */
const sendTimeoutMs = 10_000
/** Account Activity delivers the account's own DM within seconds; two minutes leaves room for a slow webhook. */
const echoWaitMs = 120_000

/**
 * The mentions timeline reaches only the ~800 newest mentions, so 8 pages of 100 is all there is to fetch:
 * stopping there loses nothing that a longer walk could have found.
 */
const maxPagesPerPoll = 8

const mentionFields = {
  'tweet.fields': 'created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets',
  expansions: 'author_id',
  'user.fields': 'username,name',
}

/** AAA keys we know and do not turn into events: likes, follows, blocks, mutes, typing, revocations. */
const ignoredActivityKeys = [
  'favorite_events',
  'follow_events',
  'block_events',
  'mute_events',
  'direct_message_indicate_typing_events',
  // Read receipts of customers: Carebox does not track whether a customer has read our DMs.
  'direct_message_mark_read_events',
  'user_event',
]

export const xConnector: Connector = {
  kind: 'x',

  handshake(query, channel) {
    const token = query.crc_token
    if (!token) return { status: 400, body: { error: 'crc_token is missing' } }
    const secret = channel.secrets.consumerSecret
    if (!secret) return { status: 500, body: { error: 'The X channel has no consumer secret to answer the CRC check' } }
    return { status: 200, body: { response_token: signature(secret, token) } }
  },

  verifyWebhook(request, channel) {
    const secret = channel.secrets.consumerSecret
    const given = request.headers['x-twitter-webhooks-signature']
    if (!secret || given === undefined) return false
    const a = Buffer.from(given)
    const b = Buffer.from(signature(secret, request.rawBody))
    return a.length === b.length && timingSafeEqual(a, b)
  },

  dedupeKey(_payload, rawBody) {
    // AAA events have no delivery id, and X re-sends the same bytes on a retry.
    return bodyKey(rawBody, 'x')
  },

  parse(payload, channel) {
    if (!isRecord(payload)) throw new UnsupportedPayloadError('X payload is not a JSON object')
    if (payload.source === polledMentionSource) return parsePolledMention(payload as unknown as XPolledMention, channel)
    return parseActivity(payload as XActivityBody, channel)
  },

  async send(message, channel) {
    const { file } = message
    // DMs on API v2 take text and media only, no quick replies (specs/outreach.md §2.6): a question with choices goes
    // as its text alone, worded by the caller so that a typed answer works.
    if (message.conversationKind === 'dm' || message.visibility === 'private') {
      const participantId = (message.conversationKind === 'dm' ? /^dm:(\d+)$/.exec(message.threadKey)?.[1] : undefined) ?? message.recipient.externalId
      const path = `/2/dm_conversations/with/${encodeURIComponent(participantId)}/messages`
      // A DM with a file may go without words.
      const body = file
        ? { ...(message.text ? { text: message.text } : {}), attachments: [{ media_id: await uploadMedia(channel, file, 'dm') }] }
        : { text: message.text }
      const response = await callApi(channel, 'POST', path, body, sendTimeoutMs)
      const id = dataField(response, 'dm_event_id')
      if (isSuccess(response) && !id) throw unreadableAnswer(response, 'X accepted the direct message but did not say which message it became')
      if (!isSuccess(response) || !id) throw xError(response, 'X refused the direct message')
      return { externalId: id }
    }

    refuseChoices(message, 'A public thread on X')
    const inReplyTo = message.replyToExternalId ?? message.replyContext?.tweetId ?? /^tweet:(\d+)$/.exec(message.threadKey)?.[1]
    if (!inReplyTo) throw new ConnectorError('A public reply on X needs the tweet it answers', { retryable: false, outcome: 'not_sent' })
    const reply = { in_reply_to_tweet_id: inReplyTo }
    const body = file
      ? { ...(message.text ? { text: message.text } : {}), reply, media: { media_ids: [await uploadMedia(channel, file, 'tweet')] } }
      : { text: message.text, reply }
    const response = await callApi(channel, 'POST', '/2/tweets', body, sendTimeoutMs)
    const id = dataField(response, 'id')
    if (isSuccess(response) && !id) throw unreadableAnswer(response, 'X accepted the reply but did not say which post it became')
    if (!isSuccess(response) || !id) throw xError(response, 'X refused the reply')
    return { externalId: id }
  },

  sendTimeoutMs,

  checkConnection: checkXConnection,

  /**
   * Account Activity hands back the DMs the account sends (direct_message_events from us), which ingest matches
   * to the reply by text. Polling reads mentions only, and our own posts are skipped as echoes: nothing to wait for.
   */
  unknownOutcome(message, channel) {
    const isDm = message.conversationKind === 'dm'
    if (isDm && channel.config.mode === 'webhook') {
      return {
        kind: 'confirm',
        waitMs: echoWaitMs,
        check:
          'X reports every direct message the account sends within seconds, and no report came for this one, so it most likely did not go out. ' +
          'Before sending it again, open the conversation in X Messages.',
      }
    }
    if (isDm || message.visibility === 'private') {
      return { kind: 'ask', check: 'Carebox cannot tell whether this direct message went out. Before sending it again, open the conversation in X Messages.' }
    }
    return { kind: 'ask', check: 'Carebox cannot tell whether this reply was posted. Before sending it again, look at the replies under the post on X.' }
  },

  async poll(cursor, channel): Promise<PollResult> {
    const newestFirst: XPolledMention[] = []
    let newestId: string | null = null
    let paginationToken: string | undefined
    // Without a since_id the timeline starts at the newest mentions: a new channel takes that first page and
    // does not import the account's whole mention history.
    const pages = cursor === null ? 1 : maxPagesPerPoll
    for (let page = 0; page < pages; page++) {
      const params = new URLSearchParams()
      if (cursor !== null) params.set('since_id', cursor)
      params.set('max_results', '100')
      for (const [key, value] of Object.entries(mentionFields)) params.set(key, value)
      if (paginationToken) params.set('pagination_token', paginationToken)
      const response = await callApi(channel, 'GET', `/2/users/${encodeURIComponent(channel.externalId)}/mentions?${params}`)
      if (response.status !== 200 || !isRecord(response.body)) throw xError(response, 'X mentions timeline failed')

      const body = response.body as XMentionsPage
      // meta.newest_id of the first page is the newest mention overall: the next poll's since_id.
      if (page === 0) newestId = body.meta?.newest_id ?? null
      const authors = new Map((body.includes?.users ?? []).map((user) => [user.id, user]))
      for (const tweet of body.data ?? []) {
        const mention: XPolledMention = { source: polledMentionSource, tweet }
        const author = tweet.author_id ? authors.get(tweet.author_id) : undefined
        if (author) mention.author = author
        newestFirst.push(mention)
      }
      paginationToken = body.meta?.next_token
      if (!paginationToken) break
    }
    return {
      envelopes: newestFirst.reverse().map((mention) => ({ dedupeKey: `tweet:${mention.tweet.id}`, payload: mention })),
      cursor: newestId,
      hasMore: false,
    }
  },
}

function parseActivity(body: XActivityBody, channel: ChannelRuntime): InboundEvent[] {
  const ourId = body.for_user_id ?? channel.externalId
  const isOurs = (id: string | undefined) => id === ourId || id === channel.externalId
  let isKnown = false
  const events: InboundEvent[] = []

  if (body.direct_message_events !== undefined) {
    isKnown = true
    for (const event of arrayOf(body.direct_message_events, 'direct_message_events')) {
      const dm = parseDirectMessage(event, body, isOurs)
      if (dm) events.push(dm)
    }
  }
  if (body.tweet_create_events !== undefined) {
    isKnown = true
    for (const tweet of arrayOf(body.tweet_create_events, 'tweet_create_events')) {
      if (!isRecord(tweet) || typeof tweet.id_str !== 'string' || !isRecord(tweet.user)) {
        throw new UnsupportedPayloadError('X tweet_create_events item without id_str or user')
      }
      // Our own tweets (replies sent from Carebox or elsewhere) come back here too, and retweets carry no words.
      if (isOurs(tweet.user.id_str) || tweet.retweeted_status) continue
      events.push(parseTweet(tweet))
    }
  }
  if (body.tweet_delete_events !== undefined) {
    isKnown = true
    for (const deletion of arrayOf(body.tweet_delete_events, 'tweet_delete_events')) {
      if (!isRecord(deletion) || !isRecord(deletion.status) || typeof deletion.status.id !== 'string') {
        throw new UnsupportedPayloadError('X tweet_delete_events item without status.id')
      }
      events.push({ type: 'delete', externalId: deletion.status.id, at: isoFromMillis(deletion.timestamp_ms) })
    }
  }
  if (!isKnown && !ignoredActivityKeys.some((key) => key in body)) {
    throw new UnsupportedPayloadError(`X activity with none of the known event keys (${Object.keys(body).join(', ') || 'empty'})`)
  }
  return events
}

function parseDirectMessage(event: XDirectMessageEvent, body: XActivityBody, isOurs: (id: string) => boolean): InboundEvent | undefined {
  if (!isRecord(event) || typeof event.id !== 'string') throw new UnsupportedPayloadError('X direct_message_events item without id')
  // message_create is the only DM event type AAA sends; anything else is not a message.
  if (event.type !== 'message_create') return undefined
  const create = event.message_create
  if (!isRecord(create) || typeof create.sender_id !== 'string' || !isRecord(create.target) || !isRecord(create.message_data)) {
    throw new UnsupportedPayloadError('X message_create without sender_id, target or message_data')
  }
  const isEcho = isOurs(create.sender_id)
  const otherId = isEcho ? create.target.recipient_id : create.sender_id
  const user = body.users?.[otherId]
  const contact: ExternalContact = { externalId: otherId }
  if (user?.name) contact.name = user.name
  if (user?.screen_name) contact.handle = user.screen_name
  if (user?.profile_image_url_https) contact.avatarUrl = user.profile_image_url_https
  const media = create.message_data.attachment?.media
  // A tapped v1.1 quick-reply option: its metadata is the id the sender gave it (specs/outreach.md §2.6).
  const quickReply = create.message_data.quick_reply_response
  const choice = !isEcho && isRecord(quickReply) && typeof quickReply.metadata === 'string' && quickReply.metadata ? quickReply.metadata : undefined
  return {
    type: 'message',
    externalId: event.id,
    threadKey: `dm:${otherId}`,
    conversationKind: 'dm',
    direction: isEcho ? 'echo' : 'inbound',
    contact,
    text: cleanText(create.message_data.text ?? '', create.message_data.entities?.urls, media ? [media] : []),
    attachments: media ? mediaAttachments([media]) : [],
    sentAt: isoFromMillis(event.created_timestamp),
    ...(choice ? { choice } : {}),
  }
}

function parseTweet(tweet: XV1Tweet): InboundEvent {
  const extended = tweet.truncated ? tweet.extended_tweet : undefined
  const media = extended?.extended_entities?.media ?? tweet.extended_entities?.media ?? []
  const text = cleanText(extended?.full_text ?? tweet.text ?? '', extended?.entities?.urls ?? tweet.entities?.urls, media)
  const contact: ExternalContact = { externalId: tweet.user.id_str }
  if (tweet.user.name) contact.name = tweet.user.name
  if (tweet.user.screen_name) contact.handle = tweet.user.screen_name
  if (tweet.user.profile_image_url_https) contact.avatarUrl = tweet.user.profile_image_url_https
  const inReplyTo = tweet.in_reply_to_status_id_str ?? undefined
  const event: InboundEvent = {
    type: 'message',
    externalId: tweet.id_str,
    // v1.1 objects carry no conversation id: the tweet answered is the closest thread root we know.
    threadKey: `tweet:${inReplyTo ?? tweet.id_str}`,
    conversationKind: 'public',
    direction: 'inbound',
    contact,
    text,
    attachments: mediaAttachments(media),
    sentAt: tweet.timestamp_ms ? isoFromMillis(tweet.timestamp_ms) : isoFromDate(tweet.created_at),
    subject: excerpt(text),
    replyContext: { tweetId: tweet.id_str },
  }
  if (inReplyTo) event.replyToExternalId = inReplyTo
  return event
}

function parsePolledMention(mention: XPolledMention, channel: ChannelRuntime): InboundEvent[] {
  const { tweet } = mention
  if (!isRecord(tweet) || typeof tweet.id !== 'string' || typeof tweet.text !== 'string') {
    throw new UnsupportedPayloadError('X polled mention without tweet id or text')
  }
  // A mention of ourselves by ourselves is our own tweet, not a customer's.
  if (tweet.author_id === channel.externalId) return []
  const contact = contactFromV2(tweet, mention.author)
  const repliedTo = tweet.referenced_tweets?.find((reference) => reference.type === 'replied_to')?.id
  const root = tweet.conversation_id ?? repliedTo ?? tweet.id
  const event: InboundEvent = {
    type: 'message',
    externalId: tweet.id,
    threadKey: `tweet:${root}`,
    conversationKind: 'public',
    direction: 'inbound',
    contact,
    text: tweet.text,
    attachments: [],
    sentAt: isoFromDate(tweet.created_at),
    subject: excerpt(tweet.text),
    replyContext: { tweetId: tweet.id, conversationId: root },
  }
  if (repliedTo) event.replyToExternalId = repliedTo
  return [event]
}

function contactFromV2(tweet: XV2Tweet, author: XV2User | undefined): ExternalContact {
  const externalId = author?.id ?? tweet.author_id
  if (!externalId) throw new UnsupportedPayloadError('X polled mention without author_id')
  const contact: ExternalContact = { externalId }
  if (author?.name) contact.name = author.name
  if (author?.username) contact.handle = author.username
  if (author?.profile_image_url) contact.avatarUrl = author.profile_image_url
  return contact
}

/** Expands t.co links to what the person wrote, and drops the t.co link of attached media (it is an attachment). */
function cleanText(text: string, urls: XUrlEntity[] | undefined, media: XMediaEntity[]): string {
  let result = text
  for (const item of media) if (item.url) result = result.replaceAll(item.url, '')
  for (const url of urls ?? []) if (url.expanded_url) result = result.replaceAll(url.url, url.expanded_url)
  return result.trim()
}

function mediaAttachments(media: XMediaEntity[]): Attachment[] {
  return media.map((item) => {
    const attachment: Attachment = { kind: item.type === 'photo' ? 'image' : item.type ? 'video' : 'other' }
    if (item.media_url_https) attachment.url = item.media_url_https
    return attachment
  })
}

/** GIF processing: how many status checks, and the longest wait between two, before the send gives up (within its timeout). */
const maxStatusChecks = 3
const maxStatusWaitMs = 2_000

/**
 * `POST /2/media/upload` (multipart: `media`, `media_category`) answers `{data:{id, media_key, …}}`. A media
 * category fits its use (`dm_*` for a DM, `tweet_*` for a post). A GIF may answer `processing_info` pending: its
 * status (`GET /2/media/upload?command=STATUS&media_id=`) is checked until it succeeds.
 * https://docs.x.com/x-api/media/quickstart/best-practices
 */
async function uploadMedia(channel: ChannelRuntime, file: OutboundFile, use: 'dm' | 'tweet'): Promise<string> {
  const form = new FormData()
  form.append('media', fileBlob(file), file.name)
  form.append('media_category', `${use}_${file.mimeType === 'image/gif' ? 'gif' : file.kind === 'video' ? 'video' : 'image'}`)
  let response = await uploading(callApiForm(channel, '/2/media/upload', form))
  if (!isSuccess(response)) throw uploadFailed(xError(response, 'X refused the file'), 'X')
  const id = dataField(response, 'id')
  if (!id) throw uploadWithoutId('X', response.status)
  for (let check = 0; ; check++) {
    const processing = processingOf(response)
    if (!processing || processing.state === 'succeeded') return id
    if (processing.state === 'failed' || check >= maxStatusChecks) {
      const why = processing.state === 'failed' ? 'X could not process the file' : 'X was still processing the file'
      throw new ConnectorError(`${why}, so the message was not sent`, { retryable: processing.state !== 'failed', outcome: 'not_sent' })
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(maxStatusWaitMs, (processing.checkAfterSecs ?? 1) * 1000)))
    const query = new URLSearchParams({ command: 'STATUS', media_id: id })
    response = await uploading(callApi(channel, 'GET', `/2/media/upload?${query}`, undefined, sendTimeoutMs))
    if (!isSuccess(response)) throw uploadFailed(xError(response, 'X could not tell how the file is processed'), 'X')
  }
}

/** Any failure of an upload call: the message itself never left. */
function uploading(call: Promise<PlatformResponse>): Promise<PlatformResponse> {
  return call.catch((error: unknown) => Promise.reject(uploadFailed(error, 'X')))
}

function processingOf(response: PlatformResponse): { state: string; checkAfterSecs?: number } | undefined {
  const data = isRecord(response.body) ? response.body.data : undefined
  const info = isRecord(data) ? data.processing_info : undefined
  if (!isRecord(info) || typeof info.state !== 'string') return undefined
  return { state: info.state, ...(typeof info.check_after_secs === 'number' ? { checkAfterSecs: info.check_after_secs } : {}) }
}

async function callApiForm(channel: ChannelRuntime, path: string, form: FormData): Promise<PlatformResponse> {
  const token = channel.secrets.accessToken
  if (!token) throw new ConnectorError('The X channel has no access token', { retryable: false, outcome: 'not_sent' })
  return platformFetch(`${channel.config.apiBaseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
    timeoutMs: sendTimeoutMs,
  })
}

async function callApi(channel: ChannelRuntime, method: 'GET' | 'POST', path: string, body?: object, timeoutMs?: number): Promise<PlatformResponse> {
  const token = channel.secrets.accessToken
  if (!token) throw new ConnectorError('The X channel has no access token', { retryable: false, outcome: 'not_sent' })
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (body) headers['content-type'] = 'application/json'
  return platformFetch(`${channel.config.apiBaseUrl}${path}`, {
    method,
    headers,
    body: body ? JSON.stringify(body) : undefined,
    ...(timeoutMs !== undefined && { timeoutMs }),
  })
}

function isSuccess(response: PlatformResponse): boolean {
  return response.status >= 200 && response.status < 300
}

function dataField(response: PlatformResponse, field: string): string | undefined {
  const data = isRecord(response.body) ? response.body.data : undefined
  const value = isRecord(data) ? data[field] : undefined
  return typeof value === 'string' ? value : undefined
}

/** platformError with X's problem detail (v2: `{title, detail}`; v1.1: `{errors:[{message, code}]}`). */
function xError(response: PlatformResponse, what: string): ConnectorError {
  const body = isRecord(response.body) ? response.body : {}
  const first = Array.isArray(body.errors) && isRecord(body.errors[0]) ? body.errors[0] : {}
  const detail = [body.detail, body.title, first.message].find((value) => typeof value === 'string') as string | undefined
  const code = typeof first.code === 'number' || typeof first.code === 'string' ? String(first.code) : undefined
  if (response.status === 401) {
    return new ConnectorError(`${what}: X rejected the access token`, { retryable: false, platformCode: code, status: 401 })
  }
  if (response.status === 429) return platformError(response, `${what}: X rate limit reached`, code)
  return platformError(response, `${what}: ${detail ?? `HTTP ${response.status}`}`, code)
}

function signature(secret: string, data: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(data).digest('base64')}`
}

function isoFromMillis(value: string | undefined): string {
  const millis = Number(value)
  if (!value || !Number.isFinite(millis)) throw new UnsupportedPayloadError(`X timestamp ${value ?? '(missing)'} is not epoch milliseconds`)
  return new Date(millis).toISOString()
}

function isoFromDate(value: string | undefined): string {
  const millis = value ? Date.parse(value) : Number.NaN
  if (!Number.isFinite(millis)) throw new UnsupportedPayloadError(`X date ${value ?? '(missing)'} is not readable`)
  return new Date(millis).toISOString()
}

function arrayOf<T>(value: T[] | undefined, key: string): T[] {
  if (!Array.isArray(value)) throw new UnsupportedPayloadError(`X ${key} is not an array`)
  return value
}
