import type { Database } from '../db/client.js'
import { readStreamHead } from './stream-events.repository.js'

/** How often a process looks for new events while stream clients wait for them. */
export const headPollMs = 100

export interface StreamHead {
  /** Resolves once an event newer than `position` exists, or when `signal` aborts. */
  waitBeyond(position: number, signal: AbortSignal): Promise<void>
  close(): void
}

/**
 * One watcher per process for all its stream clients: the stream's consumer may run on another node, so the
 * newest position is read from the database, with one cheap query (the primary key's last entry) per tick for
 * every client at once, and only while some client waits.
 */
export function watchStreamHead(db: Database, onError: (error: unknown) => void): StreamHead {
  let waiters: { beyond: number; resolve: () => void }[] = []
  let timer: NodeJS.Timeout | undefined
  let closed = false

  async function tick(): Promise<void> {
    timer = undefined
    try {
      const head = await readStreamHead(db)
      const ready = waiters.filter((w) => head > w.beyond)
      waiters = waiters.filter((w) => head <= w.beyond)
      for (const waiter of ready) waiter.resolve()
    } catch (error) {
      onError(error)
    }
    schedule()
  }

  function schedule(): void {
    if (!closed && !timer && waiters.length > 0) timer = setTimeout(() => void tick(), headPollMs)
  }

  return {
    waitBeyond(position, signal) {
      return new Promise<void>((resolve) => {
        if (signal.aborted || closed) return resolve()
        const waiter = {
          beyond: position,
          resolve: () => {
            signal.removeEventListener('abort', abort)
            resolve()
          },
        }
        const abort = () => {
          waiters = waiters.filter((w) => w !== waiter)
          resolve()
        }
        signal.addEventListener('abort', abort, { once: true })
        waiters.push(waiter)
        schedule()
      })
    },
    close() {
      closed = true
      clearTimeout(timer)
      for (const waiter of waiters) waiter.resolve()
      waiters = []
    },
  }
}
