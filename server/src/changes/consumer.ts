import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import type { Change } from './changes.repository.js'

/**
 * Something that follows changes. The runner hands it batches in the order they committed, and moves its cursor
 * past a batch only once it has handled it.
 */
export interface ChangeConsumer {
  name: string
  /**
   * 'transaction': `handle` writes through `db`, the transaction that also moves the cursor, so each change has
   * its effect exactly once. 'publish': `handle` tells the world outside the database (the consoles) right away,
   * before older transactions still running have committed; after a crash it may tell again (at least once).
   */
  mode: 'transaction' | 'publish'
  /** The changes that concern it; the cursor moves past the others too. */
  wants(change: Change): boolean
  handle(ctx: AppContext, db: Database, changes: Change[]): Promise<void>
  /** Changes read per batch. */
  batchSize: number
  /**
   * After a commit wakes it, how long it waits for more before it reads: a few more changes per batch mean fewer
   * recomputations (one per conversation per batch) and leave the CPU to the consoles' fast path meanwhile.
   * Zero for the fast path itself.
   */
  gatherMs: number
}

/** Attempts at one change before it is parked as a dead letter and the consumer moves on. */
export const maxAttempts = 5
