import { eventStreamCloseCodes, type EventStreamErrorCode, type EventStreamFrame } from '@carebox/shared'
import type { Logger } from 'pino'
import type { WebSocket } from 'ws'
import type { Database } from '../db/client.js'
import type { Metrics } from '../observability/metrics.js'
import { listStreamEventsAfter, readStreamBounds, type StreamFilter } from './stream-events.repository.js'
import type { StreamHead } from './stream-head.js'

/** Events read per query; a client catching up gets them page by page. */
const pageSize = 500
/** A client that answers no ping for this long is gone. */
const pingEveryMs = 30_000
/** How often a full buffer is looked at again. */
const drainCheckMs = 25
/** After a close for a slow client, how long it gets to read what it has before the connection is cut. */
const closeGraceMs = 10_000

export interface StreamSessionOptions {
  db: Database
  metrics: Metrics
  head: StreamHead
  log: Logger
  /** Where to start: after this position, or at the newest event when null. */
  after: number | null
  filter: StreamFilter
  /** What may wait in this client's send buffer (past the kernel's); beyond it, nothing more is read for it. */
  maxBufferedBytes: number
  /** How long a client with a full buffer may read nothing before it is told to reconnect. */
  stallMs: number
  /** How often the caller's token is looked at again: a revoked one stops receiving within this time. */
  accessCheckMs: number
  /** Whether the caller may still read the stream as it connected (its token not revoked, scope and teams unchanged). */
  isStillAllowed(): Promise<boolean>
}

export interface StreamSession {
  /** The last position sent to this client: where it resumes. */
  lastSent(): number
  /** Tells the client to reconnect from where it is, and closes. */
  end(code: EventStreamErrorCode, message: string): void
  /** Cuts the connection at once. */
  terminate(): void
  /** Resolves when the client is gone. */
  done: Promise<void>
}

function frame(value: EventStreamFrame): string {
  return JSON.stringify(value)
}

/**
 * Serves one stream client: a `ready` frame, then every event after its cursor that passes its filter, in order,
 * live. Sends never wait for the client: when its buffer passes the bound it gets an `error` frame saying where
 * to resume and a close, so a client that stops reading costs a bounded amount of memory and slows nobody else.
 */
export function startStreamSession(socket: WebSocket, options: StreamSessionOptions): StreamSession {
  const { db, head, log, filter } = options
  const stopped = new AbortController()
  let cursor = 0
  let closing = false

  const end = (code: EventStreamErrorCode, message: string, extra: { oldest?: number } = {}) => {
    if (closing) return
    closing = true
    stopped.abort()
    clearInterval(pinger)
    clearInterval(accessCheck)
    options.metrics.streamClosed.inc({ reason: code })
    if (socket.readyState === socket.OPEN) {
      socket.send(frame({ type: 'error', code, message, resumeAfter: cursor, ...extra }))
      socket.close(eventStreamCloseCodes[code], code)
      // A client that reads nothing never answers the close either.
      setTimeout(() => socket.terminate(), closeGraceMs).unref()
    }
  }

  let isAlive = true
  socket.on('pong', () => (isAlive = true))
  const pinger = setInterval(() => {
    if (!isAlive) return socket.terminate()
    isAlive = false
    socket.ping()
  }, pingEveryMs).unref()
  const accessCheck = setInterval(() => {
    options.isStillAllowed().then(
      (isAllowed) => {
        if (!isAllowed) end('access_revoked', 'The token was revoked or its scope or teams changed: connect again with a valid token.')
      },
      () => {},
    )
  }, options.accessCheckMs).unref()

  options.metrics.streamClients.inc()
  const done = new Promise<void>((resolve) =>
    socket.once('close', () => {
      options.metrics.streamClients.dec()
      closing = true
      stopped.abort()
      clearInterval(pinger)
      clearInterval(accessCheck)
      resolve()
    }),
  )
  // Messages from the client mean nothing here; reading them keeps its side of the socket flowing.
  socket.on('message', () => {})

  /**
   * Waits while the client's buffer is over the bound, reading nothing more for it meanwhile: true once it has read
   * some of it, false if it read nothing for `stallMs` (a client busy for a moment is not cut off; one that stopped
   * reading is).
   */
  async function drained(): Promise<boolean> {
    let last = socket.bufferedAmount
    let stalledSince = Date.now()
    while (!stopped.signal.aborted && socket.bufferedAmount > options.maxBufferedBytes / 2) {
      await new Promise((resolve) => setTimeout(resolve, drainCheckMs))
      if (socket.bufferedAmount < last) stalledSince = Date.now()
      else if (Date.now() - stalledSince > options.stallMs) return false
      last = socket.bufferedAmount
    }
    return !stopped.signal.aborted
  }

  async function run(): Promise<void> {
    const bounds = await readStreamBounds(db)
    if (options.after !== null && options.after < bounds.prunedThrough) {
      return end('cursor_expired', `Events up to sequence ${bounds.prunedThrough} are no longer kept: resume after ${bounds.prunedThrough} or later.`, {
        oldest: bounds.prunedThrough,
      })
    }
    if (options.after !== null && options.after > bounds.head) {
      return end('cursor_unknown', `Sequence ${options.after} was never sent by this Carebox (the newest is ${bounds.head}).`)
    }
    cursor = options.after ?? bounds.head
    socket.send(frame({ type: 'ready', after: cursor, head: bounds.head }))
    let scanned = cursor
    while (!stopped.signal.aborted) {
      // Everything up to the head read now has committed (one consumer appends at a time), so once a read comes
      // back short, positions up to it need no second look even where the filter skipped them.
      const bounds = await readStreamBounds(db)
      const from = Math.max(cursor, scanned)
      // Pruning went past where this client is (it read slowly at the edge of the retention): told, not skipped.
      if (bounds.prunedThrough > from) {
        return end('cursor_expired', `Events up to sequence ${bounds.prunedThrough} are no longer kept.`, { oldest: bounds.prunedThrough })
      }
      const headNow = bounds.head
      const rows = await listStreamEventsAfter(db, from, filter, pageSize)
      for (const row of rows) {
        if (stopped.signal.aborted) return
        if (socket.bufferedAmount > options.maxBufferedBytes && !(await drained())) {
          return end('slow_consumer', `The client stopped reading: reconnect with after=${cursor}.`)
        }
        socket.send(`{"type":"event","sequence":${row.position},"event":${row.body}}`)
        cursor = row.position
      }
      if (rows.length === pageSize) {
        // Lets other clients and requests run between pages of a long catch-up.
        await new Promise((resolve) => setImmediate(resolve))
        continue
      }
      scanned = Math.max(scanned, headNow)
      await head.waitBeyond(scanned, stopped.signal)
    }
  }

  run().catch((error: unknown) => {
    log.warn({ err: error }, 'an event stream client was cut off by an error')
    end('shutting_down', 'The stream failed on the server: reconnect with the sequence you last received.')
  })

  return { lastSent: () => cursor, end: (code, message) => end(code, message), terminate: () => socket.terminate(), done }
}
