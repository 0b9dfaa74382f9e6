import type { Server as HttpServer } from 'node:http'
import { createAdapter } from '@socket.io/postgres-adapter'
import type pg from 'pg'
import { rooms, type ClientToServerEvents, type ServerEventName, type ServerEventPayload, type ServerToClientEvents } from '@carebox/shared'
import type { Logger } from 'pino'
import { Server } from 'socket.io'

/** The only door to socket.io: services publish typed events to rooms after their transaction commits. */
export interface Realtime {
  publish<E extends ServerEventName>(event: E, room: string, payload: ServerEventPayload<E>): void
  /** Whether any console is connected: publishers skip building payloads nobody would receive. */
  hasListeners(): boolean
  close(): Promise<void>
}

/** For processes without sockets (a standalone worker, CLI commands): events are dropped. */
export const silentRealtime: Realtime = { publish: () => {}, hasListeners: () => false, close: async () => {} }

/**
 * socket.io on the HTTP server. With `pool`, events also travel between nodes through PostgreSQL
 * (CAREBOX_REALTIME=postgres): what another node or a standalone worker publishes reaches this node's consoles.
 */
export function attachRealtime(httpServer: HttpServer, log: Logger, pool?: pg.Pool): Realtime {
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    path: '/socket.io',
    serveClient: false,
    // The console is served from the same origin; nothing else may connect from a browser.
    cors: { origin: false },
  })
  if (pool) io.adapter(createAdapter(pool, { errorHandler: (error) => log.warn({ err: error }, 'realtime adapter error') }))
  io.on('connection', (socket) => {
    void socket.join(rooms.inbox())
    log.debug({ socketId: socket.id }, 'console connected')
  })
  return {
    publish(event, room, payload) {
      // socket.io's emit is typed by a mapped tuple the generic event cannot satisfy; the signature above is the contract.
      ;(io.to(room).emit as (event: string, payload: unknown) => boolean)(event, payload)
    },
    hasListeners: () => io.engine.clientsCount > 0,
    // Only the sockets: the HTTP server belongs to Fastify, which closes it (io.close() would close it twice).
    async close() {
      io.disconnectSockets(true)
      io.engine.close()
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
    // Consoles may be connected to any node: always publish.
    hasListeners: () => true,
    // Attached to no HTTP server, io.close() has no engine to close: only the adapter holds resources.
    close: async () => {
      await io.of('/').adapter.close()
    },
  }
}
