import type { Server as HttpServer } from 'node:http'
import { createAdapter } from '@socket.io/postgres-adapter'
import type pg from 'pg'
import { rooms, type ClientToServerEvents, type ServerEventName, type ServerEventPayload, type ServerToClientEvents } from '@carebox/shared'
import type { Logger } from 'pino'
import { Server, type Socket } from 'socket.io'
import type { Identity } from '../auth/identity.js'

/** The only door to socket.io: services publish typed events to rooms after their transaction commits. */
export interface Realtime {
  /** To everyone in any of `room` (each socket gets the event once). */
  publish<E extends ServerEventName>(event: E, room: string | string[], payload: ServerEventPayload<E>): void
  /** To every console connected to this node only: what this node itself is going through (its database, its worker). */
  publishToNode<E extends ServerEventName>(event: E, payload: ServerEventPayload<E>): void
  /** Closes every socket in `room`, on every node: a session ended, a user deactivated or their access changed. */
  disconnect(room: string): void
  /**
   * Whether a console might receive an event: publishers skip building payloads nobody would receive. With
   * several nodes it is always true, since the consoles may be on any of them.
   */
  hasListeners(): boolean
  /** A user's open consoles on every node, and how many of them saw activity lately: what presence follows. */
  consolesOf(userId: string): Promise<{ open: number; active: number }>
  close(): Promise<void>
}

const noConsoles = async () => ({ open: 0, active: 0 })

/** For processes without sockets (a standalone worker, CLI commands): events are dropped. */
export const silentRealtime: Realtime = {
  publish: () => {},
  publishToNode: () => {},
  disconnect: () => {},
  hasListeners: () => false,
  consolesOf: noConsoles,
  close: async () => {},
}

/** Told when a user's consoles change (one opens, closes, goes idle or active): presence is recomputed. */
export type PresenceHook = (userId: string) => void

/** Told that a user is working in a conversation they may see (its thread open, in focus, the person active). */
export type WorkHook = (userId: string, conversationId: string) => Promise<void>

async function consolesOf(io: Server_, userId: string): Promise<{ open: number; active: number }> {
  const sockets = await io.in(rooms.user(userId)).fetchSockets()
  return { open: sockets.length, active: sockets.filter((s) => s.data.active !== false).length }
}

/** How a socket's handshake is checked: the page's origin, and the session its cookie names. */
export interface SocketAuth {
  isAllowedOrigin(origin: string, host: string | undefined, protocol: 'http' | 'https'): boolean
  /** The signed-in user whose session the handshake's Cookie header names, if any. */
  identify(cookieHeader: string | undefined): Promise<Extract<Identity, { kind: 'user' }> | null>
  /** Whether the user may see the conversation: the same team rule as the REST routes. */
  canSeeConversation(identity: Extract<Identity, { kind: 'user' }>, conversationId: string): Promise<boolean>
}

type Server_ = Server<ClientToServerEvents, ServerToClientEvents>

/** Everyone with the conversation open, on any node (socket.io asks the other nodes through the adapter). */
async function announceViewers(io: Server_, conversationId: string): Promise<void> {
  const sockets = await io.in(rooms.conversation(conversationId)).fetchSockets()
  const viewers = new Map<string, { id: string; name: string }>()
  for (const socket of sockets) {
    const identity = socket.data.identity as Extract<Identity, { kind: 'user' }> | undefined
    if (identity) viewers.set(identity.userId, { id: identity.userId, name: identity.name })
  }
  io.to(rooms.conversation(conversationId)).emit('conversation.viewers', { conversationId, viewers: [...viewers.values()] })
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** What a console may say: which conversation it has open, and that its user is typing there. */
function handleConsoleEvents(io: Server_, socket: ConsoleSocket, auth: SocketAuth, log: Logger, onPresence: PresenceHook, onWorking: WorkHook): void {
  const identity = socket.data.identity as Extract<Identity, { kind: 'user' }>
  const teammate = { id: identity.userId, name: identity.name }
  socket.on('conversation.watch', async (payload) => {
    const next = payload?.conversationId ?? null
    if (next !== null && (typeof next !== 'string' || !uuidPattern.test(next))) return
    const previous = socket.data.watching as string | undefined
    if (previous === next) return
    try {
      if (previous) {
        await socket.leave(rooms.conversation(previous))
        socket.data.watching = undefined
        await announceViewers(io, previous)
      }
      // Another team's conversation is refused silently, as if it did not exist.
      if (next && (await auth.canSeeConversation(identity, next))) {
        await socket.join(rooms.conversation(next))
        socket.data.watching = next
        await announceViewers(io, next)
      }
    } catch (error) {
      log.warn({ err: error }, 'conversation.watch failed')
    }
  })
  socket.on('conversation.typing', (payload) => {
    const watching = socket.data.watching as string | undefined
    // Only in the conversation the server let this console watch.
    if (!watching || payload?.conversationId !== watching) return
    const mode = payload.mode === 'note' ? 'note' : 'reply'
    socket.to(rooms.conversation(watching)).volatile.emit('conversation.typing', { conversationId: watching, user: teammate, mode })
  })
  socket.on('conversation.working', (payload) => {
    const watching = socket.data.watching as string | undefined
    // Only the conversation the server let this console watch: another team's is refused there, silently.
    if (!watching || payload?.conversationId !== watching) return
    // A console sends every 15 s; one that sends far more gets no more writes: at most 4 per 15 s.
    const now = Date.now()
    const recent = ((socket.data.workedAt as number[] | undefined) ?? []).filter((at) => now - at < 15_000)
    if (recent.length >= 4) return
    socket.data.workedAt = [...recent, now]
    onWorking(identity.userId, watching).catch((error: unknown) => log.warn({ err: error }, 'conversation.working failed'))
  })
  socket.on('presence.activity', (payload) => {
    const active = payload?.active !== false
    if (socket.data.active === active) return
    socket.data.active = active
    onPresence(identity.userId)
  })
  socket.on('disconnect', () => {
    const watching = socket.data.watching as string | undefined
    if (watching) void announceViewers(io, watching).catch(() => {})
    onPresence(identity.userId)
  })
}

/** The rooms a signed-in console is put in; it can join no other. */
export function roomsFor(identity: Extract<Identity, { kind: 'user' }>): string[] {
  const teamRooms = identity.role === 'admin' ? [rooms.allTeams()] : identity.teamIds.map((id) => rooms.team(id))
  return [rooms.user(identity.userId), rooms.session(identity.sessionId), ...teamRooms]
}

type ConsoleSocket = Socket<ClientToServerEvents, ServerToClientEvents>

function handshakeCheck(auth: SocketAuth, log: Logger) {
  return async (socket: ConsoleSocket, next: (error?: Error) => void) => {
    const request = socket.request
    const origin = request.headers.origin
    const protocol = (socket.handshake.secure ? 'https' : 'http') as 'http' | 'https'
    // Browsers always send Origin on WebSocket and cross-site requests: a foreign page is refused here.
    if (origin !== undefined && !auth.isAllowedOrigin(origin, request.headers.host, protocol)) {
      log.info({ origin }, 'socket refused: foreign origin')
      return next(new Error('forbidden'))
    }
    const identity = await auth.identify(request.headers.cookie).catch((error: unknown) => {
      log.warn({ err: error }, 'socket session check failed')
      return null
    })
    if (!identity) return next(new Error('unauthorized'))
    socket.data.identity = identity
    next()
  }
}

/**
 * socket.io on the HTTP server. With `pool`, events also travel between nodes through PostgreSQL
 * (CAREBOX_REALTIME=postgres): what another node or a standalone worker publishes reaches this node's consoles.
 */
export function attachRealtime(
  httpServer: HttpServer,
  log: Logger,
  auth: SocketAuth,
  pool?: pg.Pool,
  onPresence: PresenceHook = () => {},
  onWorking: WorkHook = async () => {},
): Realtime {
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    path: '/socket.io',
    // Other upgrades (the event stream) are answered by Fastify, which may take longer than engine.io's one second
    // before it ends an upgrade it does not own; Fastify answers every other path with a 404.
    destroyUpgrade: false,
    serveClient: false,
    // The console is served from the same origin; nothing else may connect from a browser.
    cors: { origin: false },
  })
  if (pool) io.adapter(createAdapter(pool, { errorHandler: (error) => log.warn({ err: error }, 'realtime adapter error') }))
  io.use(handshakeCheck(auth, log))
  io.on('connection', (socket) => {
    const identity = socket.data.identity as Extract<Identity, { kind: 'user' }>
    socket.data.active = true
    handleConsoleEvents(io, socket, auth, log, onPresence, onWorking)
    // Presence counts the consoles in the user's room: count once this one is in it.
    void Promise.resolve(socket.join(roomsFor(identity))).then(() => onPresence(identity.userId))
    log.debug({ socketId: socket.id, userId: identity.userId }, 'console connected')
  })
  return {
    publish(event, room, payload) {
      // socket.io's emit is typed by a mapped tuple the generic event cannot satisfy; the signature above is the contract.
      ;(io.to(room).emit as (event: string, payload: unknown) => boolean)(event, payload)
    },
    publishToNode(event, payload) {
      ;(io.local.emit as (event: string, payload: unknown) => boolean)(event, payload)
    },
    disconnect(room) {
      io.in(room).disconnectSockets(true)
    },
    // With the adapter, a job this node runs may concern a console connected to another node: always publish.
    hasListeners: pool ? () => true : () => io.engine.clientsCount > 0,
    consolesOf: (userId) => consolesOf(io, userId),
    // The sockets and the adapter: the HTTP server belongs to Fastify, which closes it (io.close() would close it
    // twice). The adapter holds a pool connection for LISTEN until closed, and the pool cannot end before it.
    async close() {
      io.disconnectSockets(true)
      io.engine.close()
      await io.of('/').adapter.close()
    },
  }
}

/**
 * For a process without sockets (a standalone worker) whose events must reach the nodes' consoles: a socket.io
 * server attached to nothing, whose PostgreSQL adapter broadcasts every emit to the other nodes.
 */
export function emitterRealtime(pool: pg.Pool, log: Logger): Realtime {
  const io = new Server<ClientToServerEvents, ServerToClientEvents>()
  io.adapter(createAdapter(pool, { errorHandler: (error) => log.warn({ err: error }, 'realtime adapter error') }))
  return {
    publish(event, room, payload) {
      ;(io.to(room).emit as (event: string, payload: unknown) => boolean)(event, payload)
    },
    // A worker has no consoles of its own.
    publishToNode: () => {},
    disconnect(room) {
      io.in(room).disconnectSockets(true)
    },
    // Consoles may be connected to any node: always publish.
    hasListeners: () => true,
    consolesOf: (userId) => consolesOf(io, userId),
    // Attached to no HTTP server, io.close() has no engine to close: only the adapter holds resources.
    close: async () => {
      await io.of('/').adapter.close()
    },
  }
}
