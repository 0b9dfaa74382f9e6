import { createHmac, randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { blueskyBlobCid, blueskyCid, blueskyTid } from './ids.js'
import { ownMedia, recordedMedia, storeMedia, uploadBodyLimit } from './media.js'
import { answer, bearerToken, enterCall, listParam, requestParams, stringParam } from './platform-call.js'
import { blueskyBrandHandle, blueskyPostUri } from './payloads/bluesky.js'
import { blueskyFeed, findAccount, hitRateWindow, type SimState } from './state.js'
import type { FaultEndpoint, RecordedMedia, SimAccount } from './types.js'

/**
 * Bluesky PDS XRPC: sessions (createSession limited to 30 per 5 min, short-lived access tokens, rotating
 * refresh tokens), listNotifications newest first with a backwards cursor, uploadBlob, createRecord. Errors are
 * {error, message}.
 * https://docs.bsky.app/docs/api/com-atproto-server-create-session , https://docs.bsky.app/docs/advanced-guides/rate-limits
 */

const fiveMinutes = 5 * 60_000

const xrpcError = (error: string, message: string) => ({ error, message })
const invalidPost = (reason: string) => xrpcError('InvalidRequest', `Invalid app.bsky.feed.post record: ${reason}`)

type Session = { did: string; expiresAt: number }

function jwt(state: SimState, payload: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const unsigned = `${encode({ typ: payload.scope === 'com.atproto.refresh' ? 'refresh+jwt' : 'at+jwt', alg: 'HS256' })}.${encode(payload)}`
  return `${unsigned}.${createHmac('sha256', state.sessions.signingKey).update(unsigned).digest('base64url')}`
}

function issueSession(state: SimState, account: SimAccount) {
  const now = Date.now()
  const access = { did: account.externalId, expiresAt: now + state.options.blueskyAccessTtlMs }
  const refresh = { did: account.externalId, expiresAt: now + state.options.blueskyRefreshTtlMs }
  const claims = { sub: account.externalId, aud: 'did:web:pds.simulator', iat: Math.floor(now / 1000) }
  const accessJwt = jwt(state, { scope: 'com.atproto.access', ...claims, exp: Math.floor(access.expiresAt / 1000) })
  const refreshJwt = jwt(state, { scope: 'com.atproto.refresh', ...claims, jti: randomUUID(), exp: Math.floor(refresh.expiresAt / 1000) })
  state.sessions.access.set(accessJwt, access)
  state.sessions.refresh.set(refreshJwt, refresh)
  const handle = blueskyBrandHandle(account)
  return { did: account.externalId, handle, email: `care@${handle}`, emailConfirmed: true, accessJwt, refreshJwt, active: true }
}

function findByHandle(state: SimState, handle: string): SimAccount | undefined {
  return [...state.accounts.values()].find((account) => account.kind === 'bluesky' && blueskyBrandHandle(account) === handle.replace(/^@/, ''))
}

/** createSession's identifier may be the handle, the DID or the configured identifier. */
function findByIdentifier(state: SimState, identifier: string): SimAccount | undefined {
  for (const account of state.accounts.values()) {
    if (account.kind !== 'bluesky') continue
    const names = [account.secrets.identifier, account.externalId, account.handle].map((value) => value?.replace(/^@/, ''))
    if (names.includes(identifier.replace(/^@/, ''))) return account
  }
  return undefined
}

/** The PDS's own cap on one blob; a post's image embed allows far less (1,000,000 bytes, checked on the record). */
const maxBlobBytes = 50 * 1024 * 1024
/** app.bsky.embed.images: up to 4 images of at most 1,000,000 bytes each. */
const maxImages = 4
const maxImageBytes = 1_000_000

export function blueskyRoutes(state: SimState) {
  return async function (app: FastifyInstance) {
    // uploadBlob's body is the file itself, of any type; only this plugin takes raw bodies.
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: uploadBodyLimit }, (_request, body, done) => done(null, body))

    /** The access session of a request, or undefined when the call was answered with the XRPC error. */
    async function authorize(request: FastifyRequest, reply: FastifyReply, endpoint: FaultEndpoint): Promise<SimAccount | undefined> {
      const token = bearerToken(request)
      const session: Session | undefined = token ? state.sessions.access.get(token) : undefined
      const account = session ? findAccount(state, session.did, ['bluesky']) : undefined
      if (await enterCall(state, request, reply, { family: 'bluesky', endpoint, account })) return undefined
      if (!token) return void answer(state, request, reply, 401, xrpcError('AuthenticationRequired', 'Authentication Required'))
      if (!session) {
        const isRefresh = state.sessions.refresh.has(token)
        return void answer(state, request, reply, 400, xrpcError('InvalidToken', isRefresh ? 'Bad token scope' : 'Token could not be verified'))
      }
      if (session.expiresAt <= Date.now()) return void answer(state, request, reply, 400, xrpcError('ExpiredToken', 'Token has expired'))
      if (!account) return void answer(state, request, reply, 401, xrpcError('AuthenticationRequired', 'Authentication Required'))
      return account
    }

    app.post('/bluesky/xrpc/com.atproto.server.createSession', async (request, reply) => {
      const params = requestParams(request)
      const identifier = stringParam(params, 'identifier')
      const account = findByIdentifier(state, identifier)
      if (await enterCall(state, request, reply, { family: 'bluesky', endpoint: 'auth', account })) return reply
      const limit = state.options.rateLimits.blueskySessionsPer5Min
      const window = hitRateWindow(state, `bluesky-session:${account?.externalId ?? identifier}`, limit, fiveMinutes)
      reply.headers({
        'ratelimit-limit': String(limit),
        'ratelimit-remaining': String(window.remaining),
        'ratelimit-reset': String(Math.ceil(window.resetAt / 1000)),
        'ratelimit-policy': `${limit};w=300`,
      })
      if (window.isLimited) return answer(state, request, reply, 429, xrpcError('RateLimitExceeded', 'Rate Limit Exceeded'))
      if (!identifier || !stringParam(params, 'password')) {
        return answer(state, request, reply, 400, xrpcError('InvalidRequest', 'Input must have the properties "identifier", "password"'))
      }
      if (!account || (account.secrets.appPassword && account.secrets.appPassword !== stringParam(params, 'password'))) {
        return answer(state, request, reply, 401, xrpcError('AuthenticationRequired', 'Invalid identifier or password'))
      }
      return answer(state, request, reply, 200, issueSession(state, account))
    })

    app.post('/bluesky/xrpc/com.atproto.server.refreshSession', async (request, reply) => {
      const token = bearerToken(request)
      const session = token ? state.sessions.refresh.get(token) : undefined
      const account = session ? findAccount(state, session.did, ['bluesky']) : undefined
      if (await enterCall(state, request, reply, { family: 'bluesky', endpoint: 'auth', account })) return reply
      if (!token) return answer(state, request, reply, 401, xrpcError('AuthenticationRequired', 'Authentication Required'))
      if (!session || !account) {
        const isAccess = state.sessions.access.has(token)
        const error = isAccess ? xrpcError('InvalidToken', 'Invalid token type') : xrpcError('ExpiredToken', 'Token has been revoked')
        return answer(state, request, reply, 400, error)
      }
      if (session.expiresAt <= Date.now()) return answer(state, request, reply, 400, xrpcError('ExpiredToken', 'Token has expired'))
      // Refresh tokens rotate: the one just used is revoked.
      state.sessions.refresh.delete(token!)
      return answer(state, request, reply, 200, issueSession(state, account))
    })

    app.get('/bluesky/xrpc/com.atproto.server.getSession', async (request, reply) => {
      const account = await authorize(request, reply, 'auth')
      if (!account) return reply
      return answer(state, request, reply, 200, { did: account.externalId, handle: blueskyBrandHandle(account), active: true })
    })

    app.get('/bluesky/xrpc/app.bsky.notification.listNotifications', async (request, reply) => {
      const account = await authorize(request, reply, 'poll')
      if (!account) return reply
      return listNotifications(state, request, reply, account)
    })

    app.post('/bluesky/xrpc/app.bsky.notification.updateSeen', async (request, reply) => {
      const account = await authorize(request, reply, 'poll')
      if (!account) return reply
      const seenAt = stringParam(requestParams(request), 'seenAt')
      if (!seenAt || Number.isNaN(Date.parse(seenAt))) {
        return answer(state, request, reply, 400, xrpcError('InvalidRequest', 'Input must have the property "seenAt"'))
      }
      blueskyFeed(state, account.externalId).seenAt = seenAt
      return answer(state, request, reply, 200, {})
    })

    app.post('/bluesky/xrpc/com.atproto.repo.uploadBlob', async (request, reply) => {
      const account = await authorize(request, reply, 'upload')
      if (!account) return reply
      const bytes = Buffer.isBuffer(request.body) ? request.body : undefined
      if (!bytes || bytes.length === 0) return answer(state, request, reply, 400, xrpcError('InvalidRequest', 'Request body must not be empty'))
      if (bytes.length > maxBlobBytes) return answer(state, request, reply, 400, xrpcError('BlobTooLarge', 'This file is too large'))
      const mimeType = (request.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim()
      const media = storeMedia(state, account, { id: blueskyBlobCid(bytes), mimeType, bytes })
      return answer(state, request, reply, 200, { blob: { $type: 'blob', ref: { $link: media.id }, mimeType, size: media.size } })
    })

    app.post('/bluesky/xrpc/com.atproto.repo.createRecord', async (request, reply) => {
      const account = await authorize(request, reply, 'send')
      if (!account) return reply
      return createRecord(state, request, reply, account)
    })

    // Public on a PDS: no session needed to read a record.
    app.get('/bluesky/xrpc/com.atproto.repo.getRecord', async (request, reply) => {
      const params = requestParams(request)
      const repo = stringParam(params, 'repo')
      const account = findAccount(state, repo, ['bluesky']) ?? findByHandle(state, repo)
      if (await enterCall(state, request, reply, { family: 'bluesky', endpoint: 'poll', account })) return reply
      return getRecord(state, request, reply, account)
    })

    app.route<{ Params: { method: string } }>({
      method: ['GET', 'POST'],
      url: '/bluesky/xrpc/:method',
      handler: async (request, reply) => reply.code(501).send(xrpcError('MethodNotImplemented', `Method Not Implemented: ${request.params.method}`)),
    })
  }
}

/** Newest first; `cursor` is the indexedAt of the last item served, and the next page holds older ones. */
function listNotifications(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount) {
  const params = requestParams(request)
  const limit = Number(stringParam(params, 'limit') || 50)
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return answer(state, request, reply, 400, xrpcError('InvalidRequest', 'limit must be an integer between 1 and 100'))
  }
  const reasons = listParam(params, 'reasons')
  const cursor = stringParam(params, 'cursor')
  const before = cursor ? Date.parse(cursor) : Number.POSITIVE_INFINITY
  // The appview refuses a cursor it did not hand out rather than answering an empty page.
  if (Number.isNaN(before)) return answer(state, request, reply, 400, xrpcError('InvalidRequest', 'Malformed cursor'))
  const feed = blueskyFeed(state, account.externalId)
  const seenAt = feed.seenAt ? Date.parse(feed.seenAt) : 0
  const page = feed.notifications
    .filter((item) => (reasons.length === 0 || reasons.includes(item.reason)) && Date.parse(item.indexedAt) < before)
    .reverse()
    .slice(0, limit)
    .map((item) => ({ ...item, isRead: Date.parse(item.indexedAt) <= seenAt }))
  return answer(state, request, reply, 200, {
    notifications: page,
    ...(page.length > 0 ? { cursor: page.at(-1)!.indexedAt } : {}),
    priority: false,
    ...(feed.seenAt ? { seenAt: feed.seenAt } : {}),
  })
}

function createRecord(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount) {
  const params = requestParams(request)
  const repo = stringParam(params, 'repo')
  const collection = stringParam(params, 'collection')
  const record = params.record as Record<string, unknown> | undefined
  let media: RecordedMedia | undefined
  if (!repo || !collection || !record || typeof record !== 'object') {
    return answer(state, request, reply, 400, xrpcError('InvalidRequest', 'Input must have the properties "repo", "collection", "record"'))
  }
  if (repo !== account.externalId && repo !== blueskyBrandHandle(account)) {
    return answer(state, request, reply, 400, xrpcError('InvalidRequest', 'Input/repo must be the authenticated account'))
  }
  if (collection === 'app.bsky.feed.post') {
    const text = record.text
    if (typeof text !== 'string') {
      return answer(state, request, reply, 400, invalidPost('Record must have the property "text"'))
    }
    if ([...new Intl.Segmenter().segment(text)].length > 300 || Buffer.byteLength(text) > 3000) {
      return answer(state, request, reply, 400, invalidPost('Record/text must not be longer than 300 graphemes'))
    }
    if (typeof record.createdAt !== 'string') {
      return answer(state, request, reply, 400, invalidPost('Record must have the property "createdAt"'))
    }
    const embedded = imagesOf(state, account, record.embed)
    if (embedded && 'error' in embedded) return answer(state, request, reply, 400, embedded.error)
    media = embedded?.media
    if (media && text) media = { ...media, caption: text }
  }
  const rkey = stringParam(params, 'rkey') || blueskyTid()
  const keyProblem = recordKeyProblem(collection, rkey)
  if (keyProblem) return answer(state, request, reply, 400, xrpcError('InvalidRequest', keyProblem))
  const uri = collection === 'app.bsky.feed.post' ? blueskyPostUri(account.externalId, rkey) : `at://${account.externalId}/${collection}/${rkey}`
  const { records } = blueskyFeed(state, account.externalId)
  // The reference PDS has no answer of its own for a key the repo already holds: its tree refuses the write and
  // the client gets a 500 (bluesky-social/atproto#3718; an explicit error is proposed in #4728). Nothing is written.
  if (records.has(uri)) return answer(state, request, reply, 500, xrpcError('InternalServerError', 'Internal Server Error'))
  const cid = blueskyCid(record)
  state.sessions.posts.set(uri, cid)
  records.set(uri, { cid, value: record })
  const created = { uri, cid, commit: { cid: blueskyCid({ uri, cid }), rev: blueskyTid() }, validationStatus: 'valid' }
  return answer(state, request, reply, 200, created, { platformMessageId: uri, ...(media && { media }) })
}

/**
 * A post's `app.bsky.embed.images`: 1 to 4 `{alt, image}` whose blobs this account uploaded, images of at most
 * 1,000,000 bytes. The XRPC error to answer, or the first image as the customer sees it (its alt text as its name).
 * https://docs.bsky.app/docs/advanced-guides/posts#images-embeds
 */
function imagesOf(state: SimState, account: SimAccount, embed: unknown): { error: object } | { media?: RecordedMedia } | undefined {
  if (embed === undefined) return undefined
  if (typeof embed !== 'object' || embed === null) return { error: invalidPost('Record/embed must be an object') }
  const { $type: type, images } = embed as { $type?: unknown; images?: unknown }
  // Other embeds (external links, quotes) carry no file of ours.
  if (type !== 'app.bsky.embed.images') return {}
  if (!Array.isArray(images) || images.length === 0 || images.length > maxImages) {
    return { error: invalidPost(`Record/embed/images must be an array of 1 to ${maxImages} items`) }
  }
  const seen: RecordedMedia[] = []
  for (const [index, item] of images.entries()) {
    const at = `Record/embed/images/${index}`
    const { alt, image } = (item ?? {}) as { alt?: unknown; image?: { $type?: unknown; ref?: { $link?: unknown }; mimeType?: unknown; size?: unknown } }
    if (typeof alt !== 'string') return { error: invalidPost(`${at} must have the property "alt"`) }
    const cid = image?.ref?.$link
    if (image?.$type !== 'blob' || typeof cid !== 'string' || typeof image.mimeType !== 'string') {
      return { error: invalidPost(`${at}/image should be a blob ref`) }
    }
    const blob = ownMedia(state, account, cid)
    if (!blob) return { error: xrpcError('BlobNotFound', `Could not find blob: ${cid}`) }
    if (!blob.mimeType.startsWith('image/')) return { error: invalidPost(`${at}/image mimeType (${blob.mimeType}) is not accepted`) }
    if (blob.size > maxImageBytes) return { error: invalidPost(`${at}/image file too large (${blob.size} bytes, max ${maxImageBytes})`) }
    seen.push(recordedMedia(blob, alt ? { name: alt } : {}))
  }
  return { media: seen[0] }
}

/** TID syntax (https://atproto.com/specs/tid): 13 base32-sortable characters, the first keeping the top bit 0. */
const tidPattern = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/
/** Any record key (https://atproto.com/specs/record-key). */
const recordKeyPattern = /^[A-Za-z0-9._~:-]{1,512}$/

/** Why a PDS would refuse this key in this collection: app.bsky.feed.post is keyed by TID. */
function recordKeyProblem(collection: string, rkey: string): string | undefined {
  if (!recordKeyPattern.test(rkey) || rkey === '.' || rkey === '..') return `Invalid record key: ${rkey}`
  if (collection === 'app.bsky.feed.post' && !tidPattern.test(rkey)) return `Invalid record key for ${collection}: expected a TID, got ${rkey}`
  return undefined
}

function getRecord(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount | undefined) {
  const params = requestParams(request)
  const collection = stringParam(params, 'collection')
  const rkey = stringParam(params, 'rkey')
  if (!stringParam(params, 'repo') || !collection || !rkey) {
    return answer(state, request, reply, 400, xrpcError('InvalidRequest', 'Params must have the properties "repo", "collection", "rkey"'))
  }
  if (!account) return answer(state, request, reply, 400, xrpcError('InvalidRequest', `Could not find repo: ${stringParam(params, 'repo')}`))
  const uri = `at://${account.externalId}/${collection}/${rkey}`
  const found = blueskyFeed(state, account.externalId).records.get(uri)
  if (!found) return answer(state, request, reply, 400, xrpcError('RecordNotFound', `Could not locate record: ${uri}`))
  return answer(state, request, reply, 200, { uri, cid: found.cid, value: found.value })
}
