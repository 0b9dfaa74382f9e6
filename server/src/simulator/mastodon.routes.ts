import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { mastodonSnowflake } from './ids.js'
import { answer, bearerToken, enterCall, listParam, requestParams, stringParam } from './platform-call.js'
import { compareIds } from './payloads/x.js'
import { mastodonBrandAccount, mastodonContent, type MastodonNotification, type MastodonStatus } from './payloads/mastodon.js'
import { findAccountBySecret, hitRateWindow, mastodonFeed, type SimState } from './state.js'
import type { FaultEndpoint, SimAccount } from './types.js'

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
    media_attachments: [],
    mentions: repliedTo ? [{ id: repliedTo.account.id, username: repliedTo.account.username, acct: repliedTo.account.acct, url: repliedTo.account.url }] : [],
    tags: [],
    emojis: [],
  }
  if (idempotencyKey) feed.idempotency.set(idempotencyKey, { status, at: now })
  return answer(state, request, reply, 200, status, { platformMessageId: id })
}
