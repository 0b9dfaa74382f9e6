import type { ServerEventName } from '@carebox/shared'
import type { Realtime } from '../../server/src/realtime/realtime.js'

export interface Published {
  event: ServerEventName
  rooms: string[]
  payload: unknown
}

/**
 * Stands in for socket.io where a test needs to see what was published and to say which consoles a user has
 * open; the database stays real.
 */
export function recordingRealtime(): Realtime & { consoles: Map<string, { open: number; active: number }>; published: Published[] } {
  const consoles = new Map<string, { open: number; active: number }>()
  const published: Published[] = []
  return {
    consoles,
    published,
    publish: (event, room, payload) => void published.push({ event, rooms: [room].flat(), payload }),
    publishToNode: (event, payload) => void published.push({ event, rooms: ['node'], payload }),
    disconnect: () => {},
    hasListeners: () => true,
    consolesOf: async (userId) => consoles.get(userId) ?? { open: 0, active: 0 },
    close: async () => {},
  }
}
