import type { AppContext } from '../context.js'
import { isDatabaseUnavailable } from '../db/unavailable.js'
import {
  clearFailure,
  committedPositions,
  CursorMoved,
  loadCursor,
  moveCursor,
  noteFailure,
  parkFailure,
  readCommitted,
  readNextCommitted,
  readNextLatest,
  type Cursor,
} from './change-cursors.repository.js'
import type { Change } from './changes.repository.js'
import { maxAttempts, type ChangeConsumer } from './consumer.js'

/** What one consumer remembers between batches in this process. */
export interface ConsumerProgress {
  /** After a batch failed: changes are taken one at a time up to this seq, to find the one that fails. */
  singleUntil: number | null
  /** The fast path: changes published but not yet behind the durable cursor. */
  published: Set<number>
  /** Changes with a failed attempt on record, forgotten once they go through. */
  failing: Set<number>
}

export function newProgress(): ConsumerProgress {
  return { singleUntil: null, published: new Set(), failing: new Set() }
}

export type StepResult = { kind: 'idle' } | { kind: 'done'; count: number } | { kind: 'failed'; attempts: number; error: Error }

/** One batch of one consumer: reads, handles, moves the cursor. Failures are counted and, when spent, parked. */
export async function consumeStep(ctx: AppContext, consumer: ChangeConsumer, progress: ConsumerProgress): Promise<StepResult> {
  const single = progress.singleUntil !== null
  const limit = single ? 1 : consumer.batchSize
  let attempted: Change[] = []
  const started = process.cpuUsage()
  const stopTimer = ctx.metrics.changeBatch.startTimer({ consumer: consumer.name })
  try {
    const count =
      consumer.mode === 'transaction'
        ? await transactionStep(ctx, consumer, limit, (changes) => (attempted = changes))
        : await publishStep(ctx, consumer, progress, limit, (changes) => (attempted = changes))
    if (count === 0) return { kind: 'idle' }
    if (single && attempted.at(-1)!.seq >= (progress.singleUntil ?? 0)) progress.singleUntil = null
    const recovered = attempted.filter((c) => progress.failing.delete(c.seq)).map((c) => c.seq)
    if (recovered.length > 0) await clearFailure(ctx.db, consumer.name, recovered).catch(() => {})
    ctx.metrics.changesProcessed.inc({ consumer: consumer.name }, count)
    return { kind: 'done', count }
  } catch (error) {
    ctx.metrics.changeFailures.inc({ consumer: consumer.name })
    // A deadlock, a serialization failure or a lost connection says nothing about the change: try again, without
    // counting it against the change (five such in a row, while the database restarts, would park a good change).
    if (isTransient(error)) return { kind: 'failed', attempts: 0, error: error as Error }
    if (!single && attempted.length > 1) {
      // Which change fails is not known: take them one at a time until past the last of this batch.
      progress.singleUntil = attempted.at(-1)!.seq
      return { kind: 'failed', attempts: 0, error: error as Error }
    }
    const change = attempted[0]
    if (!change) return { kind: 'failed', attempts: 0, error: error as Error }
    return { kind: 'failed', attempts: await failed(ctx, consumer, progress, change, error as Error), error: error as Error }
  } finally {
    stopTimer()
    const used = process.cpuUsage(started)
    ctx.metrics.changeCpu.inc({ consumer: consumer.name }, (used.user + used.system) / 1e6)
  }
}

/**
 * Reads the cursor and what follows it in one statement, outside any transaction (most looks find nothing), then
 * handles the batch in the transaction that moves the cursor. Moving it checks it is still where it was read, so
 * a second process that read the same batch rolls its work back (CursorMoved) instead of doing it twice.
 */
async function transactionStep(ctx: AppContext, consumer: ChangeConsumer, limit: number, read: (changes: Change[]) => void): Promise<number> {
  const next = await readNextCommitted(ctx.db, consumer.name, limit)
  if (!next) {
    await loadCursor(ctx.db, consumer.name)
    return 0
  }
  const { cursor, changes } = next
  read(changes)
  if (changes.length === 0) return 0
  const last = changes.at(-1)!
  const to = { tx: last.tx, seq: last.seq }
  const wanted = changes.filter((c) => consumer.wants(c))
  // Nothing to do but move on: one statement, no transaction.
  if (wanted.length === 0) {
    await moveCursor(ctx.db, consumer.name, cursor, to, changes.length)
    return changes.length
  }
  return ctx.db.transaction().execute(async (trx) => {
    await consumer.handle(ctx, trx, wanted)
    await moveCursor(trx, consumer.name, cursor, to, changes.length)
    return changes.length
  })
}

/**
 * The fast path: publishes whatever has committed after the cursor at once, remembering what it published, and
 * moves the durable cursor only over changes no older transaction can still commit behind.
 */
async function publishStep(
  ctx: AppContext,
  consumer: ChangeConsumer,
  progress: ConsumerProgress,
  limit: number,
  read: (changes: Change[]) => void,
): Promise<number> {
  const next = await readNextLatest(ctx.db, consumer.name, [...progress.published], limit)
  if (!next) {
    await loadCursor(ctx.db, consumer.name)
    return 0
  }
  const { cursor, changes, horizon } = next
  read(changes)
  const wanted = changes.filter((c) => consumer.wants(c))
  if (wanted.length > 0) await consumer.handle(ctx, ctx.db, wanted)
  for (const change of changes) progress.published.add(change.seq)
  const moved = await advancePublished(ctx, consumer, progress, cursor, horizon)
  return changes.length + moved
}

/** Moves the fast path's cursor over the published prefix of what has surely committed. */
async function advancePublished(ctx: AppContext, consumer: ChangeConsumer, progress: ConsumerProgress, cursor: Cursor, horizon: string): Promise<number> {
  if (progress.published.size === 0) return 0
  const positions = await committedPositions(ctx.db, cursor, horizon, 5000)
  let to: Cursor | null = null
  let count = 0
  for (const position of positions) {
    if (!progress.published.has(position.seq)) break
    to = position
    count += 1
  }
  if (!to) return 0
  await moveCursor(ctx.db, consumer.name, cursor, to, count)
  for (const position of positions.slice(0, count)) progress.published.delete(position.seq)
  // Only moving the cursor is not progress the caller should count as work done.
  return 0
}

/** What passes by itself: the database away for now, a deadlock or a serialization failure. */
export function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return isDatabaseUnavailable(error) || error instanceof CursorMoved || code === '40P01' || code === '40001' || code === '53300'
}

/** Counts a failed attempt at one change; on the last, parks it as a dead letter and moves past it. */
async function failed(ctx: AppContext, consumer: ChangeConsumer, progress: ConsumerProgress, change: Change, error: Error): Promise<number> {
  const attempts = await noteFailure(ctx.db, consumer.name, change.seq, error.message.slice(0, 2000))
  progress.failing.add(change.seq)
  if (attempts < maxAttempts) return attempts
  progress.failing.delete(change.seq)
  ctx.log.error({ consumer: consumer.name, seq: change.seq, type: change.type, err: error }, 'a change failed %d times: parked as a dead letter', attempts)
  if (consumer.mode === 'publish') {
    progress.published.add(change.seq)
  } else {
    await ctx.db.transaction().execute(async (trx) => {
      const cursor = await loadCursor(trx, consumer.name)
      const next = await readCommitted(trx, cursor, 1)
      // Moves past it only if it is still the next change (another process may have got past it meanwhile).
      if (next[0]?.seq === change.seq) await moveCursor(trx, consumer.name, cursor, { tx: change.tx, seq: change.seq }, 1)
    })
  }
  await parkFailure(ctx.db, consumer.name, change.seq)
  if (progress.singleUntil !== null && change.seq >= progress.singleUntil) progress.singleUntil = null
  return attempts
}
