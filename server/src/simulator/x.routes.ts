import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { randomBytes } from 'node:crypto'
import { xSnowflake } from './ids.js'
import { fileParam, ownMedia, recordedMedia, storeMedia, uploadUrl } from './media.js'
import { answer, bearerToken, enterCall, listParam, objectParam, requestParams, stringParam } from './platform-call.js'
import { buildXUser, compareIds, xBrandHandle, xDmConversationId, type XSentMedia, type XV2Tweet } from './payloads/x.js'
import { scheduleXDmEcho } from './receipts.js'
import { findAccount, findAccountBySecret, hitRateWindow, xFeed, type SimState } from './state.js'
import type { SimAccount, SimMedia } from './types.js'

/**
 * X API v2: the mentions timeline and DM events to poll, DMs and posts to send. Errors are problem+json.
 * https://docs.x.com/x-api/posts/timelines/introduction , https://docs.x.com/x-api/direct-messages/manage/introduction
 */

const unauthorized = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' }

function invalidRequest(message: string, parameters: Record<string, string[]> = {}) {
  return {
    errors: [{ parameters, message }],
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.twitter.com/2/problems/invalid-request',
  }
}

const fifteenMinutes = 15 * 60_000

/** Page tokens are opaque to clients; ours name the id the next page starts at. */
const encodeToken = (id: string) => Buffer.from(`x:${id}`).toString('base64url')
const decodeToken = (token: string) => Buffer.from(token, 'base64url').toString().replace(/^x:/, '')

export function xRoutes(state: SimState) {
  return async function (app: FastifyInstance) {
    const tokenAccount = (request: FastifyRequest) => findAccountBySecret(state, ['x'], 'accessToken', bearerToken(request))

    app.get('/x/2/users/me', async (request, reply) => {
      const account = tokenAccount(request)
      if (await enterCall(state, request, reply, { family: 'x', endpoint: 'auth', account })) return reply
      if (!account) return answer(state, request, reply, 401, unauthorized)
      const handle = xBrandHandle(account)
      return answer(state, request, reply, 200, { data: { id: account.externalId, name: handle, username: handle } })
    })

    app.get<{ Params: { id: string } }>('/x/2/users/:id/mentions', async (request, reply) => {
      const account = findAccount(state, request.params.id, ['x'])
      if (await enterCall(state, request, reply, { family: 'x', endpoint: 'poll', account })) return reply
      if (!tokenAccount(request)) return answer(state, request, reply, 401, unauthorized)
      return listMentions(state, request, reply, request.params.id, account)
    })

    app.get('/x/2/dm_events', async (request, reply) => {
      const account = tokenAccount(request)
      if (await enterCall(state, request, reply, { family: 'x', endpoint: 'poll', account })) return reply
      if (!account) return answer(state, request, reply, 401, unauthorized)
      return listDmEvents(state, request, reply, account)
    })

    app.post<{ Params: { participantId: string } }>('/x/2/dm_conversations/with/:participantId/messages', async (request, reply) => {
      const account = tokenAccount(request)
      if (await enterCall(state, request, reply, { family: 'x', endpoint: 'send', account })) return reply
      if (!account) return answer(state, request, reply, 401, unauthorized)
      return sendDm(state, request, reply, account, xDmConversationId(request.params.participantId, account.externalId))
    })

    app.post<{ Params: { conversationId: string } }>('/x/2/dm_conversations/:conversationId/messages', async (request, reply) => {
      const account = tokenAccount(request)
      if (await enterCall(state, request, reply, { family: 'x', endpoint: 'send', account })) return reply
      if (!account) return answer(state, request, reply, 401, unauthorized)
      return sendDm(state, request, reply, account, request.params.conversationId)
    })

    app.post('/x/2/tweets', async (request, reply) => {
      const account = tokenAccount(request)
      if (await enterCall(state, request, reply, { family: 'x', endpoint: 'send', account })) return reply
      if (!account) return answer(state, request, reply, 401, unauthorized)
      const params = requestParams(request)
      const text = stringParam(params, 'text')
      const mediaIds = objectParam(params, 'media')?.media_ids
      const found = mediaIds === undefined ? undefined : attachedMedia(state, account, mediaIds, 'tweet_', 'media.media_ids')
      if (found && 'error' in found) return answer(state, request, reply, 400, found.error)
      if (!text && !found) return answer(state, request, reply, 400, invalidRequest('Post text is required unless media or a quote is attached.'))
      const id = xSnowflake()
      const media = found?.media
      return answer(
        state,
        request,
        reply,
        201,
        { data: { id, text, edit_history_tweet_ids: [id] } },
        { platformMessageId: id, ...(media && { media: recordedMedia(media, text ? { caption: text } : {}) }) },
      )
    })

    // One-shot upload (images and GIFs; videos go through the chunked INIT/APPEND/FINALIZE flow, not simulated).
    app.post('/x/2/media/upload', async (request, reply) => {
      const account = tokenAccount(request)
      if (await enterCall(state, request, reply, { family: 'x', endpoint: 'upload', account })) return reply
      if (!account) return answer(state, request, reply, 401, unauthorized)
      return uploadMedia(state, request, reply, account)
    })

    // Processing status of an upload (GIFs are processed before they can go out).
    app.get('/x/2/media/upload', async (request, reply) => {
      const account = tokenAccount(request)
      if (await enterCall(state, request, reply, { family: 'x', endpoint: 'upload', account })) return reply
      if (!account) return answer(state, request, reply, 401, unauthorized)
      const params = requestParams(request)
      const media = ownMedia(state, account, stringParam(params, 'media_id'))
      if (stringParam(params, 'command') !== 'STATUS' || !media) {
        return answer(state, request, reply, 400, invalidRequest('Invalid media_id or command.', { media_id: [stringParam(params, 'media_id')] }))
      }
      // Processing finishes by the first status check.
      media.isProcessed = true
      return answer(state, request, reply, 200, { data: { ...mediaData(media), processing_info: { state: 'succeeded', progress_percent: 100 } } })
    })
  }
}

const defaultTweetFields = ['id', 'text', 'edit_history_tweet_ids']
const defaultUserFields = ['id', 'name', 'username']

function pick<T extends object>(value: T, fields: string[]): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => fields.includes(key))) as Partial<T>
}

/** Newest first; since_id/until_id bound the range, pagination_token walks older pages, meta.newest_id is the next since_id. */
function listMentions(state: SimState, request: FastifyRequest, reply: FastifyReply, userId: string, account: SimAccount | undefined) {
  const window = hitRateWindow(state, `x-mentions:${userId}`, state.options.rateLimits.xMentionsPer15Min, fifteenMinutes)
  const rateHeaders = {
    'x-rate-limit-limit': String(window.limit),
    'x-rate-limit-remaining': String(window.remaining),
    'x-rate-limit-reset': String(Math.ceil(window.resetAt / 1000)),
  }
  if (window.isLimited) {
    const body = { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }
    return answer(state, request, reply, 429, body, { headers: rateHeaders })
  }
  const params = requestParams(request)
  const maxResults = Number(stringParam(params, 'max_results') || 10)
  if (!Number.isInteger(maxResults) || maxResults < 5 || maxResults > 100) {
    const given = stringParam(params, 'max_results')
    const body = invalidRequest(`The \`max_results\` query parameter value [${given}] is not between 5 and 100`, { max_results: [given] })
    return answer(state, request, reply, 400, body, { headers: rateHeaders })
  }
  if (!account) {
    const notFound = {
      value: userId,
      detail: `Could not find user with id: [${userId}].`,
      title: 'Not Found Error',
      resource_type: 'user',
      parameter: 'id',
      resource_id: userId,
      type: 'https://api.twitter.com/2/problems/resource-not-found',
    }
    return answer(state, request, reply, 200, { errors: [notFound] }, { headers: rateHeaders })
  }
  const sinceId = stringParam(params, 'since_id')
  const untilId = stringParam(params, 'until_id')
  const token = stringParam(params, 'pagination_token')
  const startAt = token ? decodeToken(token) : undefined
  const feed = xFeed(state, account.externalId)
  const matching = feed.mentions
    .filter((tweet) => (!sinceId || compareIds(tweet.id, sinceId) > 0) && (!untilId || compareIds(tweet.id, untilId) < 0))
    .filter((tweet) => !startAt || compareIds(tweet.id, startAt) <= 0)
    .sort((a, b) => compareIds(b.id, a.id))
  const page = matching.slice(0, maxResults)
  const next = matching[maxResults]
  if (page.length === 0) return answer(state, request, reply, 200, { meta: { result_count: 0 } }, { headers: rateHeaders })

  const tweetFields = [...defaultTweetFields, ...listParam(params, 'tweet.fields')]
  const userFields = [...defaultUserFields, ...listParam(params, 'user.fields')]
  const expansions = listParam(params, 'expansions')
  const authors = [...new Set(page.map((tweet) => tweet.author_id))].flatMap((id) => {
    const user = feed.users.get(id)
    return user ? [pick(user, userFields)] : []
  })
  return answer(
    state,
    request,
    reply,
    200,
    {
      data: page.map((tweet) => pick<XV2Tweet>(tweet, tweetFields)),
      ...(expansions.includes('author_id') ? { includes: { users: authors } } : {}),
      meta: { result_count: page.length, newest_id: page[0]!.id, oldest_id: page.at(-1)!.id, ...(next ? { next_token: encodeToken(next.id) } : {}) },
    },
    { headers: rateHeaders },
  )
}

/** GET /2/dm_events: newest first, paged by pagination_token (polling accounts only; webhook accounts get AAA events). */
function listDmEvents(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount) {
  const params = requestParams(request)
  const maxResults = Math.min(100, Math.max(1, Number(stringParam(params, 'max_results') || 100)))
  const token = stringParam(params, 'pagination_token')
  const startAt = token ? decodeToken(token) : undefined
  const feed = xFeed(state, account.externalId)
  const matching = feed.dmEvents.filter((event) => !startAt || compareIds(event.id, startAt) <= 0).sort((a, b) => compareIds(b.id, a.id))
  const page = matching.slice(0, maxResults)
  const next = matching[maxResults]
  const expansions = listParam(params, 'expansions')
  const users = [...new Set(page.map((event) => event.sender_id))].flatMap((id) => {
    const user = feed.users.get(id)
    return user ? [pick(user, defaultUserFields)] : []
  })
  return answer(state, request, reply, 200, {
    ...(page.length > 0 ? { data: page } : {}),
    ...(expansions.includes('sender_id') && users.length > 0 ? { includes: { users } } : {}),
    meta: { result_count: page.length, ...(next ? { next_token: encodeToken(next.id) } : {}) },
  })
}

const mb = 1024 * 1024
const mediaCategories = ['tweet_image', 'tweet_gif', 'tweet_video', 'dm_image', 'dm_gif', 'dm_video', 'amplify_video', 'subtitles']
const imageTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/bmp']

function mediaData(media: SimMedia) {
  return { id: media.id, media_key: `3_${media.id}`, size: media.size, expires_after_secs: 86_400 }
}

/**
 * POST /2/media/upload: multipart `media` (the bytes) and `media_category`; a JSON body carries `media` in base64.
 * Images up to 5 MB, GIFs 15 MB. A GIF answers `processing_info` pending until its status is checked.
 * https://docs.x.com/x-api/media/quickstart/media-upload-chunked , https://docs.x.com/x-api/media/quickstart/best-practices
 */
function uploadMedia(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount) {
  const params = requestParams(request)
  const part = fileParam(params, 'media')
  const base64 = typeof params.media === 'string' ? params.media : undefined
  const bytes = part?.data ?? (base64 ? Buffer.from(base64, 'base64') : undefined)
  if (!bytes || bytes.length === 0) return answer(state, request, reply, 400, invalidRequest('The `media` field is required.', { media: [] }))
  const mimeType = stringParam(params, 'media_type') || part?.mimeType || 'application/octet-stream'
  const category = stringParam(params, 'media_category') || (mimeType === 'image/gif' ? 'tweet_gif' : 'tweet_image')
  if (!mediaCategories.includes(category)) {
    return answer(
      state,
      request,
      reply,
      400,
      invalidRequest(`The \`media_category\` value [${category}] is not one of [${mediaCategories.join(',')}]`, { media_category: [category] }),
    )
  }
  if (category.endsWith('_video') || category === 'subtitles') {
    return answer(
      state,
      request,
      reply,
      400,
      invalidRequest(`${category} media must be uploaded in chunks (INIT, APPEND, FINALIZE).`, { media_category: [category] }),
    )
  }
  const isGif = category.endsWith('_gif')
  if (!imageTypes.includes(mimeType) || (isGif && mimeType !== 'image/gif')) {
    return answer(state, request, reply, 400, invalidRequest(`media type ${mimeType} does not fit media_category ${category}.`, { media: [] }))
  }
  if (bytes.length > (isGif ? 15 : 5) * mb)
    return answer(state, request, reply, 400, invalidRequest('File size exceeds the limit for this media_category.', { media: [] }))
  const media = storeMedia(state, account, { id: xSnowflake(), name: part?.filename, mimeType, bytes, category, isProcessed: !isGif })
  const processing = isGif ? { processing_info: { state: 'pending', check_after_secs: 1 } } : {}
  return answer(state, request, reply, 200, { data: { ...mediaData(media), ...processing } })
}

/**
 * The media a DM (`attachments[].media_id`) or post (`media.media_ids`) names: one the account uploaded for that
 * use (dm_* for DMs, tweet_* for posts) and done processing. One item per DM; up to 4 per post.
 */
function attachedMedia(
  state: SimState,
  account: SimAccount,
  ids: unknown,
  prefix: 'dm_' | 'tweet_',
  parameter: string,
): { error: object } | { media: SimMedia } {
  const list = Array.isArray(ids) ? ids.map(String) : []
  const max = prefix === 'dm_' ? 1 : 4
  if (list.length === 0 || list.length > max) return { error: invalidRequest(`${parameter} must hold 1 to ${max} media ids.`, { [parameter]: list }) }
  const media = list.map((id) => ownMedia(state, account, id))
  const bad = list.filter((_id, index) => {
    const item = media[index]
    return !item || !item.category?.startsWith(prefix) || !item.isProcessed
  })
  if (bad.length > 0) return { error: invalidRequest(`Your media IDs are invalid: ${bad.join(', ')}`, { [parameter]: bad }) }
  // Carebox sends one file per message: the first is what the customer sees.
  return { media: media[0]! }
}

function sentMedia(state: SimState, media: SimMedia): XSentMedia {
  return {
    id: media.id,
    url: `https://t.co/${randomBytes(8).toString('base64url').slice(0, 10)}`,
    mediaUrl: uploadUrl(state, media.id),
    type: media.category?.endsWith('_gif') ? 'animated_gif' : 'photo',
  }
}

function sendDm(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount, conversationId: string) {
  const params = requestParams(request)
  const text = stringParam(params, 'text')
  if (!text && !Array.isArray(params.attachments)) {
    return answer(state, request, reply, 400, invalidRequest('One of text or attachments is required.'))
  }
  const attachments = Array.isArray(params.attachments) ? (params.attachments as unknown[]) : undefined
  const mediaIds = attachments?.map((item) => (item && typeof item === 'object' ? (item as { media_id?: unknown }).media_id : undefined))
  const found = mediaIds === undefined ? undefined : attachedMedia(state, account, mediaIds, 'dm_', 'attachments.media_id')
  if (found && 'error' in found) return answer(state, request, reply, 400, found.error)
  const media = found?.media
  const eventId = xSnowflake()
  if (!account.webhookUrl) {
    const feed = xFeed(state, account.externalId)
    feed.dmEvents.push({
      id: eventId,
      event_type: 'MessageCreate',
      text,
      sender_id: account.externalId,
      dm_conversation_id: conversationId,
      created_at: new Date().toISOString(),
      participant_ids: conversationId.split('-'),
      ...(media ? { attachments: { media_keys: [`3_${media.id}`] } } : {}),
    })
    if (!feed.users.has(account.externalId)) feed.users.set(account.externalId, buildXUser(account.externalId, xBrandHandle(account), xBrandHandle(account)))
  }
  const result = answer(
    state,
    request,
    reply,
    201,
    { data: { dm_conversation_id: conversationId, dm_event_id: eventId } },
    { platformMessageId: eventId, ...(media && { media: recordedMedia(media, text ? { caption: text } : {}) }) },
  )
  const recipientId = conversationId.split('-').find((id) => id !== account.externalId)
  if (account.webhookUrl && recipientId) scheduleXDmEcho(state, account, { id: eventId, recipientId, text, ...(media && { media: sentMedia(state, media) }) })
  return result
}
