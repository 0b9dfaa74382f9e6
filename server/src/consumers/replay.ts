import { changeDeadLettersShown, type ChangeConsumerState, type ChangeDeadLetter } from '@carebox/shared'
import { sql } from 'kysely'
import { recordAudit, type AuditRecord } from '../audit/audit.repository.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { consumerStates, noteFailure, readChange } from '../changes/change-cursors.repository.js'
import type { Change } from '../changes/changes.repository.js'
import type { ChangeConsumer } from '../changes/consumer.js'
import { changeConsumers } from './consumers.js'

/** Where each consumer's cursor is, for Settings → System. */
export async function listChangeConsumers(db: Database): Promise<{ head: number; consumers: ChangeConsumerState[] }> {
  const { head, consumers } = await consumerStates(db)
  return {
    head,
    consumers: consumers.map((c) => ({
      name: c.name,
      seq: c.seq,
      processed: c.processed,
      behind: c.behind,
      deadLetters: c.deadLetters,
      updatedAt: c.updatedAt.toISOString(),
    })),
  }
}

/** The changes consumers gave up on and have not been replayed, newest first. */
export async function listDeadLetters(db: Database): Promise<ChangeDeadLetter[]> {
  const rows = await db
    .selectFrom('changeFailures as f')
    .innerJoin('changes as x', 'x.seq', 'f.seq')
    .select(['f.consumer', 'f.seq', 'x.type', 'x.conversationId', 'x.occurredAt', 'f.attempts', 'f.error', 'f.parkedAt'])
    .where('f.parkedAt', 'is not', null)
    .where('f.replayedAt', 'is', null)
    .orderBy('f.parkedAt', 'desc')
    .orderBy('f.seq', 'desc')
    .orderBy('f.consumer')
    .limit(changeDeadLettersShown)
    .execute()
  return rows.map((row) => ({
    consumer: row.consumer,
    seq: row.seq,
    type: row.type,
    conversationId: row.conversationId,
    occurredAt: row.occurredAt.toISOString(),
    attempts: row.attempts,
    error: row.error,
    // Filtered on above: never null here.
    parkedAt: (row.parkedAt ?? row.occurredAt).toISOString(),
  }))
}

/** What the consumer threw while replaying (as opposed to the replay's own bookkeeping failing). */
class HandleFailed extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause })
  }
}

/**
 * Hands one dead-lettered change to its consumer again, as the runner would have: inside a transaction for a
 * 'transaction' consumer (its effects and the dead letter's end commit together), straight out for a 'publish'
 * one. If it fails again, the new error is recorded, the dead letter stays, and the admin is told why.
 */
export async function replayDeadLetter(ctx: AppContext, consumerName: string, seq: number, actor: AuditRecord['actor']): Promise<{ replayed: true }> {
  const consumer = findConsumer(consumerName)
  try {
    if (consumer.mode === 'transaction') {
      await ctx.db.transaction().execute(async (trx) => {
        // Locked, so two admins replaying the same dead letter apply it once: the second finds it replayed.
        const change = await findParkedChange(trx, consumer.name, seq, { lock: true })
        await handleOne(ctx, consumer, trx, change)
        await markReplayed(trx, consumer.name, change, actor)
      })
    } else {
      const change = await findParkedChange(ctx.db, consumer.name, seq, { lock: false })
      await handleOne(ctx, consumer, ctx.db, change)
      await ctx.db.transaction().execute((trx) => markReplayed(trx, consumer.name, change, actor))
    }
  } catch (error) {
    if (!(error instanceof HandleFailed)) throw error
    await noteReplayFailure(ctx, consumer.name, seq, error.message, actor)
    ctx.log.warn({ consumer: consumer.name, seq, err: error.cause }, 'a replayed change failed again')
    throw new AppError('conflict', `Replay failed again: ${error.message}`)
  }
  ctx.log.info({ consumer: consumer.name, seq }, 'dead-lettered change replayed')
  return { replayed: true }
}

/**
 * Replays every dead letter (of one consumer, if named), oldest change first. One that fails again is counted
 * and stays listed with its new error; one another admin replayed meanwhile is skipped.
 */
export async function replayAll(ctx: AppContext, consumerName: string | undefined, actor: AuditRecord['actor']): Promise<{ replayed: number; failed: number }> {
  if (consumerName !== undefined) findConsumer(consumerName)
  let query = ctx.db
    .selectFrom('changeFailures')
    .select(['consumer', 'seq'])
    .where('parkedAt', 'is not', null)
    .where('replayedAt', 'is', null)
    .orderBy('seq')
    .orderBy('consumer')
  if (consumerName !== undefined) query = query.where('consumer', '=', consumerName)
  const letters = await query.execute()
  let replayed = 0
  let failed = 0
  for (const letter of letters) {
    try {
      // A dead letter of a consumer no longer in the list cannot be replayed (not_found): it counts as failed.
      await replayDeadLetter(ctx, letter.consumer, letter.seq, actor)
      replayed += 1
    } catch (error) {
      if (!(error instanceof AppError) || (error.code !== 'conflict' && error.code !== 'not_found')) throw error
      // Replayed by another admin meanwhile: nothing left to do.
      if (error.code === 'not_found' && (await isReplayed(ctx.db, letter.consumer, letter.seq))) continue
      failed += 1
    }
  }
  return { replayed, failed }
}

function findConsumer(name: string): ChangeConsumer {
  const consumer = changeConsumers.find((c) => c.name === name)
  if (!consumer) throw new AppError('not_found', `No consumer of changes named ${name}`)
  return consumer
}

async function findParkedChange(db: Database, consumer: string, seq: number, options: { lock: boolean }): Promise<Change> {
  let query = db
    .selectFrom('changeFailures')
    .select('seq')
    .where('consumer', '=', consumer)
    .where('seq', '=', seq)
    .where('parkedAt', 'is not', null)
    .where('replayedAt', 'is', null)
  if (options.lock) query = query.forUpdate()
  if (!(await query.executeTakeFirst())) throw new AppError('not_found', 'No such dead letter: it may have been replayed already')
  const change = await readChange(db, seq)
  if (!change) throw new AppError('not_found', `Change ${seq} is no longer recorded`)
  return change
}

/** A change the consumer does not want (any more) is done with by being skipped, as the runner would. */
async function handleOne(ctx: AppContext, consumer: ChangeConsumer, db: Database, change: Change): Promise<void> {
  if (!consumer.wants(change)) return
  try {
    await consumer.handle(ctx, db, [change])
  } catch (error) {
    throw new HandleFailed(error)
  }
}

async function markReplayed(trx: Database, consumer: string, change: Change, actor: AuditRecord['actor']): Promise<void> {
  await trx
    .updateTable('changeFailures')
    .set({ replayedAt: sql`now()` })
    .where('consumer', '=', consumer)
    .where('seq', '=', change.seq)
    .where('replayedAt', 'is', null)
    .execute()
  await recordAudit(trx, {
    action: 'change.dead_letter_replayed',
    actor,
    target: { type: 'change', id: String(change.seq) },
    details: { consumer, seq: change.seq, type: change.type },
  })
}

async function noteReplayFailure(ctx: AppContext, consumer: string, seq: number, message: string, actor: AuditRecord['actor']): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    // Counts the attempt and keeps the dead letter parked, with the newest reason.
    await noteFailure(trx, consumer, seq, message.slice(0, 2000))
    await recordAudit(trx, {
      action: 'change.dead_letter_replay_failed',
      actor,
      target: { type: 'change', id: String(seq) },
      details: { consumer, seq, error: message.slice(0, 500) },
    })
  })
}

async function isReplayed(db: Database, consumer: string, seq: number): Promise<boolean> {
  const row = await db.selectFrom('changeFailures').select('replayedAt').where('consumer', '=', consumer).where('seq', '=', seq).executeTakeFirst()
  return row?.replayedAt != null
}
