import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { mastodonSnowflake } from './ids.js'
import { fileParam, ownMedia, recordedMedia, storeMedia, uploadUrl } from './media.js'
import { answer, bearerToken, enterCall, listParam, requestParams, stringParam } from './platform-call.js'
import { compareIds } from './payloads/x.js'
import { mastodonBrandAccount, mastodonContent, type MastodonMediaAttachment, type MastodonNotification, type MastodonStatus } from './payloads/mastodon.js'
import { findAccountBySecret, hitRateWindow, mastodonFeed, type SimState } from './state.js'
import type { FaultEndpoint, SimAccount, SimMedia } from './types.js'

/**
 * Mastodon REST API v1: notifications with min_id/since_id/max_id and Link paging, statuses with
 * Idempotency-Key, X-RateLimit-* on every authenticated answer. https://docs.joinmastodon.org/methods/notifications/
 */

const fiveMinutes = 5 * 60_000
const idempotencyWindowMs = 60 * 60_000
const maxCharacters = 500
const visibilities = ['public', 'unlisted', 'private', 'direct']

export function mastodonRoutes(state: SimState) {
  return async function (app: FastifyInstance) {
    /** Auth and the per-account rate limit; undefined when the call was answered. */
    async function authorize(request: FastifyRequest, reply: FastifyReply, endpoint: FaultEndpoint) {
      const account = findAccountBySecret(state, ['mastodon'], 'accessToken', bearerToken(request))
      if (await enterCall(state, request, reply, { family: 'mastodon', endpoint, account })) return undefined
      if (!account) {
        answer(state, request, reply, 401, { error: 'The access token is invalid' })
        return undefined
      }
      const window = hitRateWindow(state, `mastodon:${account.externalId}`, state.options.rateLimits.mastodonPer5Min, fiveMinutes)
      reply.headers({
        'x-ratelimit-limit': String(window.limit),
        'x-ratelimit-remaining': String(window.remaining),
        'x-ratelimit-reset': new Date(window.resetAt).toISOString(),
      })
      if (window.isLimited) {
        answer(state, request, reply, 429, { error: 'Too many requests' })
        return undefined
      }
      return account
    }

    app.get('/mastodon/api/v1/accounts/verify_credentials', async (request, reply) => {
      const account = await authorize(request, reply, 'auth')
      if (!account) return reply
      return answer(state, request, reply, 200, mastodonBrandAccount(account))
    })

    app.get('/mastodon/api/v1/notifications', async (request, reply) => {
      const account = await authorize(request, reply, 'poll')
      if (!account) return reply
      return listNotifications(state, request, reply, account)
    })

    app.get<{ Params: { id: string } }>('/mastodon/api/v1/notifications/:id', async (request, reply) => {
      const account = await authorize(request, reply, 'poll')
      if (!account) return reply
      const notification = mastodonFeed(state, account.externalId).notifications.find((item) => item.id === request.params.id)
      return notification ? answer(state, request, reply, 200, notification) : answer(state, request, reply, 404, { error: 'Record not found' })
    })

    app.post('/mastodon/api/v2/media', async (request, reply) => {
      const account = await authorize(request, reply, 'upload')
      if (!account) return reply
      return uploadMedia(state, request, reply, account)
    })

    // While a file is processed its url is null and the answer is 206; 200 once it is ready.
    app.get<{ Params: { id: string } }>('/mastodon/api/v1/media/:id', async (request, reply) => {
      const account = await authorize(request, reply, 'upload')
      if (!account) return reply
      const media = ownMedia(state, account, request.params.id)
      if (!media) return answer(state, request, reply, 404, { error: 'Record not found' })
      if (!media.isProcessed) {
        // Processing ends by the next check.
        media.isProcessed = true
        return answer(state, request, reply, 206, attachmentOf(state, media, false))
      }
      return answer(state, request, reply, 200, attachmentOf(state, media, true))
    })

    app.post('/mastodon/api/v1/statuses', async (request, reply) => {
      const account = await authorize(request, reply, 'send')
      if (!account) return reply
      return postStatus(state, request, reply, account)
    })
  }
}

function matchesTypes(notification: MastodonNotification, types: string[], excluded: string[]): boolean {
  return (types.length === 0 || types.includes(notification.type)) && !excluded.includes(notification.type)
}

/**
 * Always answered newest first. max_id: older than; since_id: newer than, the newest page; min_id: newer than,
 * the page immediately after it (gap-free forward paging). Link: next = older (max_id), prev = newer (min_id).
 */
function listNotifications(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount) {
  const params = requestParams(request)
  const types = listParam(params, 'types')
  const excluded = listParam(params, 'exclude_types')
  const limit = Math.min(80, Math.max(1, Number(stringParam(params, 'limit') || 40)))
  const maxId = stringParam(params, 'max_id')
  const sinceId = stringParam(params, 'since_id')
  const minId = stringParam(params, 'min_id')
  const ascending = mastodonFeed(state, account.externalId)
    .notifications.filter((item) => matchesTypes(item, types, excluded))
    .filter((item) => !maxId || compareIds(item.id, maxId) < 0)
    .filter((item) => (!sinceId || compareIds(item.id, sinceId) > 0) && (!minId || compareIds(item.id, minId) > 0))
    .sort((a, b) => compareIds(a.id, b.id))
  const page = (minId ? ascending.slice(0, limit) : ascending.slice(-limit)).reverse()
  if (page.length > 0) {
    const base = `${state.url}/mastodon/api/v1/notifications`
    const keep = new URLSearchParams()
    for (const type of types) keep.append('types[]', type)
    for (const type of excluded) keep.append('exclude_types[]', type)
    if (stringParam(params, 'limit')) keep.set('limit', String(limit))
    const link = (cursor: string, id: string) => {
      const query = new URLSearchParams(keep)
      query.set(cursor, id)
      return `${base}?${query.toString()}`
    }
    reply.header('link', `<${link('max_id', page.at(-1)!.id)}>; rel="next", <${link('min_id', page[0]!.id)}>; rel="prev"`)
  }
  return answer(state, request, reply, 200, page)
}

const mb = 1024 * 1024
const maxMediaPerStatus = 4

function mediaTypeOf(mimeType: string): MastodonMediaAttachment['type'] | undefined {
  if (mimeType === 'image/gif') return 'gifv'
  if (['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/avif'].includes(mimeType)) return 'image'
  if (['video/mp4', 'video/webm', 'video/quicktime'].includes(mimeType)) return 'video'
  if (['audio/mpeg', 'audio/mp4', 'audio/ogg', 'audio/wav', 'audio/flac', 'audio/aac'].includes(mimeType)) return 'audio'
  return undefined
}

function attachmentOf(state: SimState, media: SimMedia, isReady: boolean): MastodonMediaAttachment {
  const url = isReady ? uploadUrl(state, media.id) : null
  return {
    id: media.id,
    type: mediaTypeOf(media.mimeType) ?? 'unknown',
    url,
    preview_url: url,
    remote_url: null,
    description: null,
    meta: { original: { size: String(media.size) } },
    blurhash: null,
  }
}

/**
 * POST /api/v2/media: multipart `file`. A still image is ready at once (200); GIFs become
 * video, and video and audio are transcoded: 202 with a null url until GET /api/v1/media/:id answers 200.
 * Limits: images 16 MB, video and audio 99 MB. https://docs.joinmastodon.org/methods/media/#v2
 */
function uploadMedia(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount) {
  const params = requestParams(request)
  const file = fileParam(params, 'file')
  if (!file || file.data.length === 0) return answer(state, request, reply, 422, { error: "Validation failed: File can't be blank" })
  const type = mediaTypeOf(file.mimeType)
  if (!type) return answer(state, request, reply, 422, { error: 'Validation failed: File content type is invalid' })
  const limit = type === 'image' ? 16 * mb : 99 * mb
  if (file.data.length > limit) {
    return answer(state, request, reply, 422, { error: `Validation failed: File file size must be less than ${limit / mb} MB` })
  }
  const isReady = type === 'image'
  const media = storeMedia(state, account, { id: mastodonSnowflake(), name: file.filename, mimeType: file.mimeType, bytes: file.data, isProcessed: isReady })
  return answer(state, request, reply, isReady ? 200 : 202, attachmentOf(state, media, isReady))
}

function postStatus(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount) {
  const feed = mastodonFeed(state, account.externalId)
  const key = request.headers['idempotency-key']
  const idempotencyKey = Array.isArray(key) ? key[0] : key
  const now = Date.now()
  for (const [storedKey, stored] of feed.idempotency) if (now - stored.at > idempotencyWindowMs) feed.idempotency.delete(storedKey)
  const remembered = idempotencyKey ? feed.idempotency.get(idempotencyKey) : undefined
  if (remembered) {
    return answer(state, request, reply, 200, remembered.status, { platformMessageId: remembered.status.id, deduplicated: true })
  }

  const params = requestParams(request)
  const text = stringParam(params, 'status')
  const visibility = stringParam(params, 'visibility') || 'public'
  if (!text.trim() && listParam(params, 'media_ids').length === 0) {
    return answer(state, request, reply, 422, { error: "Validation failed: Text can't be blank" })
  }
  if ([...new Intl.Segmenter().segment(text)].length > maxCharacters) {
    return answer(state, request, reply, 422, { error: `Validation failed: Text character limit of ${maxCharacters} exceeded` })
  }
  if (!visibilities.includes(visibility)) {
    return answer(state, request, reply, 422, { error: 'Validation failed: Visibility is not included in the list' })
  }
  const mediaIds = listParam(params, 'media_ids')
  if (mediaIds.length > maxMediaPerStatus) return answer(state, request, reply, 422, { error: `Cannot attach more than ${maxMediaPerStatus} files` })
  const media = mediaIds.map((mediaId) => ownMedia(state, account, mediaId))
  const missing = mediaIds.filter((_mediaId, index) => !media[index] || media[index].attachedTo)
  if (missing.length > 0) {
    return answer(state, request, reply, 422, { error: `Media ${missing.join(', ')} not found or already attached to another post` })
  }
  if (media.some((item) => !item!.isProcessed)) {
    return answer(state, request, reply, 422, { error: 'Cannot attach files that have not finished processing. Try again in a moment!' })
  }
  const brand = mastodonBrandAccount(account)
  const id = mastodonSnowflake(now)
  const inReplyTo = stringParam(params, 'in_reply_to_id') || null
  const repliedTo = inReplyTo ? feed.notifications.find((item) => item.status?.id === inReplyTo)?.status : undefined
  const status: MastodonStatus = {
    id,
    created_at: new Date(now).toISOString(),
    in_reply_to_id: inReplyTo,
    in_reply_to_account_id: repliedTo?.account.id ?? null,
    sensitive: false,
    spoiler_text: stringParam(params, 'spoiler_text'),
    visibility: visibility as MastodonStatus['visibility'],
    language: stringParam(params, 'language') || 'en',
    uri: `${brand.url.replace(/\/@[^/]+$/, '')}/users/${brand.username}/statuses/${id}`,
    url: `${brand.url}/${id}`,
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    content: mastodonContent(text),
    account: brand,
    media_attachments: media.map((item) => attachmentOf(state, item!, true)),
    mentions: repliedTo ? [{ id: repliedTo.account.id, username: repliedTo.account.username, acct: repliedTo.account.acct, url: repliedTo.account.url }] : [],
    tags: [],
    emojis: [],
  }
  if (idempotencyKey) feed.idempotency.set(idempotencyKey, { status, at: now })
  for (const item of media) item!.attachedTo = id
  const first = media[0]
  return answer(state, request, reply, 200, status, { platformMessageId: id, ...(first && { media: recordedMedia(first, text ? { caption: text } : {}) }) })
}
