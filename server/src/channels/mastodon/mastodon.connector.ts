/**
 * Mastodon: mentions (public and direct) are polled from the notifications API with a min_id cursor; replies
 * are statuses posted with in_reply_to_id. Mastodon has no webhook for a user's notifications, so this
 * connector only polls (https://docs.joinmastodon.org/methods/notifications/).
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
import { fileBlob, platformError, platformFetch, unreadableAnswer, uploadFailed, uploadWithoutId, type PlatformResponse } from '../http.js'
import { htmlToText } from './mastodon.html.js'
import type { MastodonMediaAttachment, MastodonNotification, MastodonStatus, MastodonVisibility } from './mastodon.payloads.js'
import { checkMastodonConnection } from './mastodon.connection.js'

/** The largest page the notifications API serves. */
const pageSize = 80
const maxPagesPerPoll = 5
const visibilities: readonly string[] = ['public', 'unlisted', 'private', 'direct'] satisfies MastodonVisibility[]
/** An instance answers a new status within a couple of seconds: 10 s is far past a healthy answer. */
const sendTimeoutMs = 10_000

export const mastodonConnector: Connector = {
  kind: 'mastodon',

  verifyWebhook() {
    // Nothing is ever pushed to us: a request claiming to come from Mastodon is not genuine.
    return false
  },

  dedupeKey(payload, rawBody) {
    const id = isRecord(payload) ? payload.id : undefined
    return typeof id === 'string' ? `notification:${id}` : bodyKey(rawBody)
  },

  parse(payload, channel) {
    if (!isRecord(payload) || typeof payload.id !== 'string' || typeof payload.type !== 'string') {
      throw new UnsupportedPayloadError('Mastodon notification without id or type')
    }
    // Favourites, boosts, follows, polls, edits and admin notices are not conversations.
    if (payload.type !== 'mention') return []
    const notification = payload as unknown as MastodonNotification
    const { status } = notification
    if (!isRecord(status) || typeof status.id !== 'string' || typeof status.content !== 'string' || !isRecord(status.account)) {
      throw new UnsupportedPayloadError('Mastodon mention without a status')
    }
    if (!visibilities.includes(status.visibility)) throw new UnsupportedPayloadError(`Mastodon status visibility ${String(status.visibility)} is unknown`)
    const account = isRecord(notification.account) ? notification.account : status.account
    if (typeof account.id !== 'string' || typeof account.acct !== 'string') throw new UnsupportedPayloadError('Mastodon mention without account id or acct')
    return [parseMention(status, account, channel)]
  },

  async send(message, channel) {
    refuseChoices(message, 'Mastodon')
    const acct = message.replyContext?.acct ?? message.recipient.handle ?? /^dm:(.+)$/.exec(message.threadKey)?.[1]
    const inReplyTo = message.replyToExternalId ?? message.replyContext?.statusId
    const inbound = message.replyContext?.visibility
    // Mirror the customer's visibility: a reply to a direct message must stay direct to reach only them.
    const visibility =
      message.visibility === 'private'
        ? 'direct'
        : inbound && visibilities.includes(inbound)
          ? inbound
          : message.conversationKind === 'dm'
            ? 'direct'
            : 'public'
    // With a file the text may be empty: the status is then the mention alone.
    const mention = acct && !mentions(message.text, acct) ? `@${acct}` : ''
    const body: Record<string, unknown> = { status: [mention, message.text].filter(Boolean).join(' '), visibility }
    if (inReplyTo) body.in_reply_to_id = inReplyTo
    if (message.file) body.media_ids = [await uploadMedia(channel, message.file)]

    // Mastodon keeps idempotency keys for an hour: a retried send job does not post twice.
    const response = await callApi(channel, '/api/v1/statuses', { method: 'POST', body, idempotencyKey: message.id, timeoutMs: sendTimeoutMs })
    const id = isRecord(response.body) ? response.body.id : undefined
    if (response.status === 200 && typeof id !== 'string')
      throw unreadableAnswer(response, 'Mastodon accepted the reply but did not say which status it became')
    if (response.status !== 200 || typeof id !== 'string') throw mastodonError(response, 'Mastodon refused the reply')
    return { externalId: id }
  },

  sendTimeoutMs,

  checkConnection: checkMastodonConnection,

  // The Idempotency-Key (our message id) makes a repeat within the hour return the first status, not a second one;
  // the outbox retries within minutes.
  unknownOutcome() {
    return { kind: 'repeat' }
  },

  async poll(cursor, channel): Promise<PollResult> {
    const mentionsFound: MastodonNotification[] = []
    let highest: string | null = null
    let minId = cursor
    let hasMore = false
    // Without min_id the API answers with the newest page: a new channel starts there and takes one page.
    const pages = cursor === null ? 1 : maxPagesPerPoll
    for (let page = 0; page < pages; page++) {
      const response = await callApi(channel, `/api/v1/notifications?${mentionQuery(minId !== null ? { min_id: minId } : {})}`)
      // An instance that refuses the id we stored (restored from a backup, or moved) has nothing to say past it.
      if (page === 0 && cursor !== null && (response.status === 400 || response.status === 422)) {
        return rereadNewest(channel, `Mastodon refused the stored cursor ${cursor} (${mastodonError(response, 'HTTP').message})`)
      }
      if (response.status !== 200 || !Array.isArray(response.body)) throw mastodonError(response, 'Mastodon notifications failed')

      // min_id gives the page immediately newer than it, so pages walk forward without gaps.
      let pageHighest: string | null = null
      for (const item of response.body as unknown[]) {
        if (!isRecord(item) || typeof item.id !== 'string') throw new ConnectorError('Mastodon answered a notification without id', { retryable: false })
        if (pageHighest === null || compareIds(item.id, pageHighest) > 0) pageHighest = item.id
        // Servers that ignore types[] still send other kinds: they move the cursor but are not stored.
        if (item.type === 'mention') mentionsFound.push(item as unknown as MastodonNotification)
      }
      if (pageHighest !== null && (highest === null || compareIds(pageHighest, highest) > 0)) highest = pageHighest
      hasMore = response.body.length >= pageSize
      if (!hasMore || pageHighest === null) break
      minId = prevMinId(response.headers.get('link')) ?? pageHighest
    }
    if (cursor === null) hasMore = false

    // Nothing newer than the cursor: normal when nobody wrote, but also what an instance whose ids went back below
    // it answers forever. Once a minute, compare it with the instance's newest notification.
    if (cursor !== null && highest === null && isCursorCheckDue(channel.id)) {
      const newest = await newestNotificationId(channel)
      if (newest !== null && compareIds(newest, cursor) < 0) {
        return rereadNewest(
          channel,
          `Mastodon's newest notification (${newest}) is older than the stored cursor (${cursor}): the instance's ids moved backwards`,
        )
      }
    }

    mentionsFound.sort((a, b) => compareIds(a.id, b.id))
    return {
      envelopes: mentionsFound.map((notification) => ({ dedupeKey: `notification:${notification.id}`, payload: notification })),
      cursor: highest,
      hasMore,
    }
  },
}

/** When each channel last compared its cursor with the instance's newest notification (see poll). */
const cursorChecks = new Map<string, number>()
const cursorCheckIntervalMs = 60_000

function isCursorCheckDue(channelId: string): boolean {
  const now = Date.now()
  if (now - (cursorChecks.get(channelId) ?? 0) < cursorCheckIntervalMs) return false
  cursorChecks.set(channelId, now)
  return true
}

function mentionQuery(extra: Record<string, string>): URLSearchParams {
  const params = new URLSearchParams()
  params.append('types[]', 'mention')
  params.set('limit', String(pageSize))
  for (const [key, value] of Object.entries(extra)) params.set(key, value)
  return params
}

/** The id of the instance's newest notification of any kind, or null when it has none. */
async function newestNotificationId(channel: ChannelRuntime): Promise<string | null> {
  const response = await callApi(channel, '/api/v1/notifications?limit=1')
  if (response.status !== 200 || !Array.isArray(response.body)) throw mastodonError(response, 'Mastodon notifications failed')
  const [newest] = response.body as unknown[]
  return isRecord(newest) && typeof newest.id === 'string' ? newest.id : null
}

/**
 * A cursor the instance no longer matches: start over from its newest mentions, walking back as far as one poll
 * reads (maxPagesPerPoll pages). Those taken before come again and are dropped as duplicates of their envelopes.
 */
async function rereadNewest(channel: ChannelRuntime, reason: string): Promise<PollResult> {
  const found: MastodonNotification[] = []
  let newest: string | null = null
  let maxId: string | null = null
  for (let page = 0; page < maxPagesPerPoll; page++) {
    const response = await callApi(channel, `/api/v1/notifications?${mentionQuery(maxId !== null ? { max_id: maxId } : {})}`)
    if (response.status !== 200 || !Array.isArray(response.body)) throw mastodonError(response, 'Mastodon notifications failed')
    let lowest: string | null = null
    for (const item of response.body as unknown[]) {
      if (!isRecord(item) || typeof item.id !== 'string') throw new ConnectorError('Mastodon answered a notification without id', { retryable: false })
      if (newest === null || compareIds(item.id, newest) > 0) newest = item.id
      if (lowest === null || compareIds(item.id, lowest) < 0) lowest = item.id
      if (item.type === 'mention') found.push(item as unknown as MastodonNotification)
    }
    if (response.body.length < pageSize || lowest === null) break
    maxId = lowest
  }
  found.sort((a, b) => compareIds(a.id, b.id))
  return {
    envelopes: found.map((notification) => ({ dedupeKey: `notification:${notification.id}`, payload: notification })),
    // An instance with no notifications at all: a cursor below every id replaces the one that no longer matched.
    cursor: newest ?? '0',
    hasMore: false,
    cursorReset: `${reason}; re-read its newest ${found.length} mention${found.length === 1 ? '' : 's'}`,
  }
}

function parseMention(status: MastodonStatus, account: MastodonNotification['account'], channel: ChannelRuntime): InboundEvent {
  const isDirect = status.visibility === 'direct'
  const body = htmlToText(status.content)
  // A content warning is part of what the customer wrote; keep it above the text.
  const text = status.spoiler_text ? `${status.spoiler_text}\n\n${body}` : body
  const contact: ExternalContact = { externalId: account.id, handle: account.acct }
  if (account.display_name) contact.name = account.display_name
  if (account.avatar) contact.avatarUrl = account.avatar
  const event: InboundEvent = {
    type: 'message',
    externalId: status.id,
    threadKey: isDirect ? `dm:${account.acct}` : `status:${status.in_reply_to_id ?? status.id}`,
    conversationKind: isDirect ? 'dm' : 'public',
    direction: status.account.id === channel.externalId ? 'echo' : 'inbound',
    contact,
    text,
    attachments: (status.media_attachments ?? []).flatMap(attachmentOf),
    sentAt: isoDate(status.created_at, 'Mastodon'),
    replyContext: { statusId: status.id, visibility: status.visibility, acct: account.acct },
  }
  if (status.in_reply_to_id) event.replyToExternalId = status.in_reply_to_id
  if (!isDirect) event.subject = excerpt(text)
  return event
}

const attachmentKinds: Record<MastodonMediaAttachment['type'], Attachment['kind']> = {
  image: 'image',
  gifv: 'video',
  video: 'video',
  audio: 'audio',
  unknown: 'other',
}

function attachmentOf(media: MastodonMediaAttachment): Attachment[] {
  const url = media.url ?? media.remote_url
  return url ? [{ kind: attachmentKinds[media.type] ?? 'other', url }] : []
}

/** Whether the text already addresses `acct` (not a longer handle that starts with it). */
function mentions(text: string, acct: string): boolean {
  const escaped = acct.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(^|[^\\w@])@${escaped}(?![\\w@.-]*[\\w@-])`, 'i').test(text)
}

/** Mastodon ids are numeric strings too large for a double: the longer one is newer, else compare as text. */
function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0
}

/** The min_id of the Link header's rel="prev" (newer) page. */
function prevMinId(link: string | null): string | null {
  const url = link ? /<([^>]+)>\s*;\s*rel="?prev"?/.exec(link)?.[1] : undefined
  if (!url) return null
  try {
    return new URL(url).searchParams.get('min_id')
  } catch {
    return null
  }
}

/** How many times a file still being processed (202) is looked at, and how long apart, before the send gives up. */
const mediaChecks = 4
const mediaCheckMs = 500

/**
 * `POST /api/v2/media` (multipart `file`) answers the MediaAttachment: 200 when ready, 202 with a null url while
 * the instance processes it (large images, video, audio); `GET /api/v1/media/:id` answers 206 until it is ready,
 * then 200. A status may only name a ready attachment. https://docs.joinmastodon.org/methods/media/#v2
 */
async function uploadMedia(channel: ChannelRuntime, file: OutboundFile): Promise<string> {
  const form = new FormData()
  form.append('file', fileBlob(file), file.name)
  let response = await uploading(callApi(channel, '/api/v2/media', { method: 'POST', form, timeoutMs: sendTimeoutMs }))
  if (response.status !== 200 && response.status !== 202) throw uploadFailed(mastodonError(response, 'Mastodon refused the file'), 'Mastodon')
  const id = isRecord(response.body) && typeof response.body.id === 'string' ? response.body.id : undefined
  if (!id) throw uploadWithoutId('Mastodon', response.status)
  for (let check = 0; !isReady(response); check++) {
    if (check >= mediaChecks) {
      throw new ConnectorError('Mastodon was still processing the file, so the message was not sent', { retryable: true, outcome: 'not_sent' })
    }
    await new Promise((resolve) => setTimeout(resolve, mediaCheckMs * (check + 1)))
    response = await uploading(callApi(channel, `/api/v1/media/${encodeURIComponent(id)}`, { timeoutMs: sendTimeoutMs }))
    if (response.status !== 200 && response.status !== 206) throw uploadFailed(mastodonError(response, 'Mastodon lost the file'), 'Mastodon')
  }
  return id
}

function isReady(response: PlatformResponse): boolean {
  return response.status === 200 && isRecord(response.body) && typeof response.body.url === 'string'
}

/** Any failure of an upload call: the status itself never left. */
function uploading(call: Promise<PlatformResponse>): Promise<PlatformResponse> {
  return call.catch((error: unknown) => Promise.reject(uploadFailed(error, 'Mastodon')))
}

async function callApi(
  channel: ChannelRuntime,
  path: string,
  options: { method?: 'GET' | 'POST'; body?: object; form?: FormData; idempotencyKey?: string; timeoutMs?: number } = {},
): Promise<PlatformResponse> {
  const token = channel.secrets.accessToken
  if (!token) throw new ConnectorError('The Mastodon channel has no access token', { retryable: false, outcome: 'not_sent' })
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (options.body) headers['content-type'] = 'application/json'
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey
  return platformFetch(`${channel.config.apiBaseUrl}${path}`, {
    method: options.method ?? 'GET',
    headers,
    body: options.form ?? (options.body ? JSON.stringify(options.body) : undefined),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  })
}

/** platformError with Mastodon's `{error}` text; 429 waits for X-RateLimit-Reset. */
function mastodonError(response: PlatformResponse, what: string): ConnectorError {
  const error = isRecord(response.body) && typeof response.body.error === 'string' ? response.body.error : undefined
  if (response.status === 401) return new ConnectorError(`${what}: the instance rejected the access token`, { retryable: false, status: 401 })
  if (response.status === 429) return platformError(response, `${what}: rate limit reached`)
  return platformError(response, `${what}: ${error ?? `HTTP ${response.status}`}`)
}
