import type { Server as HttpServer } from 'node:http'
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

export function attachRealtime(httpServer: HttpServer, log: Logger): Realtime {
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    path: '/socket.io',
    serveClient: false,
    // The console is served from the same origin; nothing else may connect from a browser.
    cors: { origin: false },
  })
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
