import { EventEmitter } from 'node:events'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { eventStreamApi, webhookEventTypes, type EventStreamQuery } from '@carebox/shared'
import fastifyWebsocket from '@fastify/websocket'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { identityOf, visibleTeamIds, type Identity } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { AppError } from '../errors.js'
import { routeOptions } from '../http/route.js'
import type { StreamFilter } from './stream-events.repository.js'
import { watchStreamHead } from './stream-head.js'
import { startStreamSession, type StreamSession } from './stream-session.js'

/** On shutdown, how long clients get to close after being told to reconnect. */
const shutdownGraceMs = 2000

const catalogue = new Set<string>(webhookEventTypes)
const prefixes = new Set(webhookEventTypes.map((type) => type.slice(0, type.indexOf('.') + 1)))

/** `types=message.created,conversation.*` as exact types and prefixes; an unknown name is refused, not ignored. */
function parseTypes(types: string | undefined): Pick<StreamFilter, 'types' | 'prefixes'> {
  const names = (types ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  const filter: Pick<StreamFilter, 'types' | 'prefixes'> = { types: [], prefixes: [] }
  for (const name of names) {
    if (name.endsWith('.*') && prefixes.has(name.slice(0, -1))) filter.prefixes.push(name.slice(0, -1))
    else if (catalogue.has(name)) filter.types.push(name)
    else throw new AppError('validation_failed', `Unknown event type "${name}": use ${webhookEventTypes.join(', ')}, or a prefix such as conversation.*`)
  }
  return filter
}

/** The teams the stream may show this caller, narrowed to `teamId` when asked. */
function teamsOf(request: FastifyRequest, teamId: string | undefined): string[] | null {
  const visible = visibleTeamIds(identityOf(request))
  if (teamId === undefined) return visible
  if (visible !== null && !visible.includes(teamId)) throw new AppError('forbidden', 'This caller may not see that team.')
  return [teamId]
}

/** The token the stream was opened with is still valid, still holds events:read, and is limited to the same teams. */
async function isTokenStillAllowed(ctx: AppContext, identity: Identity): Promise<boolean> {
  if (identity.kind !== 'token') return false
  const row = await ctx.db.selectFrom('apiTokens').select(['scopes', 'teamIds', 'revokedAt']).where('id', '=', identity.tokenId).executeTakeFirst()
  if (!row || row.revokedAt !== null || !row.scopes.includes('events:read')) return false
  return (
    JSON.stringify([...(row.teamIds ?? [])].sort()) === JSON.stringify([...(identity.teamIds ?? [])].sort()) &&
    (row.teamIds === null) === (identity.teamIds === null)
  )
}

/**
 * The live event stream (`GET /api/v1/events/stream` upgraded to a WebSocket). The access check and the query's
 * validation run before the upgrade, so a bad token or filter is an ordinary HTTP error and no socket opens.
 *
 * socket.io handles its own upgrades on the same server, so @fastify/websocket listens to an emitter of ours
 * that gets only the upgrades that are not socket.io's; otherwise both would answer the console's.
 */
export function eventStreamRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance) {
    const upgrades = new EventEmitter()
    const forward = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = request.url?.split('?')[0]
      if (path?.startsWith('/socket.io/')) return
      if (path === eventStreamApi.stream.url) upgrades.emit('upgrade', request, socket, head)
      else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
    }
    app.server.on('upgrade', forward)
    // An upgrade refused with an HTTP error (a bad token, a bad filter) leaves a socket the HTTP server no longer
    // tracks: it is closed here, or it would stay open and hold up the server's close.
    app.addHook('onResponse', async (request) => {
      if (request.headers.upgrade !== undefined) request.raw.socket.destroy()
    })
    const head = watchStreamHead(ctx.db, (error) => ctx.log.debug({ err: error }, 'reading the event stream head failed'))
    const sessions = new Set<StreamSession>()

    await app.register(fastifyWebsocket, {
      options: { server: upgrades as never, maxPayload: 64 * 1024 },
      preClose: async () => {
        app.server.off('upgrade', forward)
        for (const session of sessions) session.end('shutting_down', 'Carebox is stopping: reconnect with after=<the last sequence received>.')
        head.close()
        // Clients get a moment to read the frame and close; one that does not is cut off.
        const closed = Promise.all([...sessions].map((s) => s.done))
        const late = setTimeout(() => sessions.forEach((s) => s.terminate()), shutdownGraceMs)
        await closed
        clearTimeout(late)
      },
    })

    app.route({
      ...routeOptions(eventStreamApi.stream),
      preHandler: async (request) => {
        // Refused before the upgrade: an HTTP 400/403 the client can read. Integrations only: a browser's session
        // cookie would let another page on the same site open the stream in an admin's name.
        if (identityOf(request).kind !== 'token') throw new AppError('forbidden', 'The event stream takes an API token with the events:read scope.')
        const query = request.query as EventStreamQuery
        parseTypes(query.types)
        teamsOf(request, query.teamId)
      },
      handler: async () => {
        throw new AppError('bad_request', 'This is a WebSocket: send the GET with "Upgrade: websocket".')
      },
      wsHandler: (socket, request) => {
        const query = request.query as EventStreamQuery
        const session = startStreamSession(socket, {
          db: ctx.db,
          metrics: ctx.metrics,
          head,
          log: ctx.log.child({ component: 'event-stream' }),
          after: query.after === undefined ? null : Number(query.after),
          filter: { ...parseTypes(query.types), teamIds: teamsOf(request, query.teamId) },
          maxBufferedBytes: ctx.config.streamBufferBytes,
          stallMs: ctx.config.streamStallSeconds * 1000,
          accessCheckMs: ctx.config.streamAccessCheckSeconds * 1000,
          isStillAllowed: () => isTokenStillAllowed(ctx, identityOf(request)),
        })
        sessions.add(session)
        void session.done.then(() => sessions.delete(session))
      },
    })
  }
}
