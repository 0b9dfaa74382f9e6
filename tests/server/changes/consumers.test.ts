import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pruneChanges } from '../../../server/src/changes/change-cursors.repository.js'
import { drainChanges } from '../../../server/src/changes/change-runner.js'
import { recordChanges, type Change } from '../../../server/src/changes/changes.repository.js'
import { maxAttempts, type ChangeConsumer } from '../../../server/src/changes/consumer.js'
import type { AppContext } from '../../../server/src/context.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

let database: TestDatabase
let ctx: AppContext

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
})
afterAll(async () => {
  await database.drop()
})

/** A consumer that remembers what it was handed, and fails on the changes `poisoned` names. */
function recorder(name: string, mode: ChangeConsumer['mode'], poisoned: (change: Change) => boolean = () => false) {
  const seen: number[] = []
  const consumer: ChangeConsumer = {
    name,
    mode,
    batchSize: 50,
    gatherMs: 0,
    wants: () => true,
    async handle(_ctx, _db, changes) {
      const bad = changes.find(poisoned)
      if (bad) throw new Error(`cannot read change ${bad.seq}`)
      seen.push(...changes.map((c) => c.seq))
    },
  }
  return { consumer, seen }
}

async function record(count: number, type: 'contact.updated' | 'contact.created' = 'contact.updated'): Promise<number[]> {
  await recordChanges(
    ctx.db,
    Array.from({ length: count }, () => ({ type })),
  )
  const { rows } = await sql<{ seq: number }>`select seq from changes order by seq desc limit ${count}`.execute(ctx.db)
  return rows.map((r) => r.seq).reverse()
}

async function cursorOf(name: string): Promise<number> {
  const { rows } = await sql<{ seq: number }>`select seq from change_consumers where name = ${name}`.execute(ctx.db)
  return rows[0]?.seq ?? -1
}

describe('the consumers of the record of changes', () => {
  it('hands each change to each consumer once, in order, and a second pass finds nothing', async () => {
    // A consumer that has never run starts after what is recorded already.
    const first = recorder('in-order', 'transaction')
    await drainChanges(ctx, [first.consumer])
    const seqs = await record(120)
    await drainChanges(ctx, [first.consumer])
    expect(first.seen).toEqual(seqs)
    expect(await cursorOf('in-order')).toBe(seqs.at(-1))
    await drainChanges(ctx, [first.consumer])
    expect(first.seen).toEqual(seqs)
  })

  it('parks a change that keeps failing as a dead letter, goes on with the later ones, and leaves the other consumers alone', async () => {
    const poisoned = recorder('poisoned', 'transaction', (c) => c.seq === target)
    const healthy = recorder('healthy', 'transaction')
    await drainChanges(ctx, [poisoned.consumer, healthy.consumer])
    const seqs = await record(30)
    const target = seqs[10]!

    await drainChanges(ctx, [poisoned.consumer, healthy.consumer])

    expect(healthy.seen).toEqual(seqs)
    expect(poisoned.seen).toEqual(seqs.filter((s) => s !== target))
    const { rows } = await sql<{ seq: number; attempts: number; parked: boolean; error: string }>`
      select seq, attempts, parked_at is not null as parked, error from change_failures where consumer = 'poisoned'`.execute(ctx.db)
    expect(rows).toEqual([{ seq: target, attempts: maxAttempts, parked: true, error: `cannot read change ${target}` }])
    expect(await cursorOf('poisoned')).toBe(seqs.at(-1))
  })

  it('retries a change that fails once and forgets the failure when it goes through', async () => {
    let failures = 0
    const flaky = recorder('flaky', 'transaction', () => failures++ < 1)
    await drainChanges(ctx, [flaky.consumer])
    const seqs = await record(3)
    await drainChanges(ctx, [flaky.consumer])
    expect(flaky.seen).toEqual(seqs)
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from change_failures where consumer = 'flaky'`.execute(ctx.db)
    expect(rows[0]?.n).toBe(0)
  })

  it('publishes at once what committed behind a transaction still open, and moves its cursor only once that one ends', async () => {
    const fast = recorder('fast', 'publish')
    const ordered = recorder('ordered', 'transaction')
    await drainChanges(ctx, [fast.consumer, ordered.consumer])
    // An older transaction records a change and stays open while a newer one commits.
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    let olderRecorded: () => void = () => {}
    const recorded = new Promise<void>((resolve) => (olderRecorded = resolve))
    const older = ctx.db.transaction().execute(async (trx) => {
      await recordChanges(trx, [{ type: 'contact.created' }])
      olderRecorded()
      await held
    })
    await recorded
    const [newer] = await record(1)
    const cursorBefore = await cursorOf('fast')

    await drainChanges(ctx, [fast.consumer, ordered.consumer])
    // The console hears of the newer change now; nothing may move past the older one while it can still commit.
    expect(fast.seen).toEqual([newer])
    expect(ordered.seen).not.toContain(newer)
    expect(await cursorOf('fast')).toBe(cursorBefore)

    release()
    await older
    await drainChanges(ctx, [fast.consumer, ordered.consumer])
    const { rows } = await sql<{ seq: number }>`select seq from changes where type = 'contact.created' order by seq desc limit 1`.execute(ctx.db)
    const olderSeq = rows[0]!.seq
    expect(fast.seen.sort((a, b) => a - b)).toEqual([olderSeq, newer].sort((a, b) => a! - b!))
    expect(ordered.seen).toEqual([olderSeq, newer])
    expect(await cursorOf('fast')).toBe(Math.max(olderSeq, newer!))
  })

  it('follows transaction order across a change in the number of digits: transaction 10 comes after 9', async () => {
    // Transactions 9 and 10 long ended (every database here is past them); 10's changes got the lower seqs.
    const { rows } = await sql<{ seq: number; tx: string }>`
      insert into changes (type, tx) select 'contact.updated', v.tx::xid8 from (values ('10'), ('10'), ('9'), ('9')) as v(tx)
      returning seq, tx::text as tx`.execute(ctx.db)
    const nine = rows.filter((r) => r.tx === '9').map((r) => r.seq)
    const ten = rows.filter((r) => r.tx === '10').map((r) => r.seq)
    for (const mode of ['transaction', 'publish'] as const) {
      const consumer = recorder(`digits-${mode}`, mode)
      consumer.consumer.batchSize = 2
      await sql`insert into change_consumers (name, tx, seq) values (${consumer.consumer.name}, '1', 0)`.execute(ctx.db)
      await drainChanges(ctx, [consumer.consumer])
      // Every change once; in transaction order where the consumer follows it (the fast path publishes in seq order).
      const ours = consumer.seen.filter((seq) => nine.includes(seq) || ten.includes(seq))
      expect(mode === 'transaction' ? ours : ours.sort((a, b) => a - b)).toEqual(mode === 'transaction' ? [...nine, ...ten] : [...ten, ...nine])
      expect(new Set(consumer.seen).size).toBe(consumer.seen.length)
      const { rows: cursor } = await sql<{ behind: number }>`
        select count(*)::int as behind from changes x, change_consumers c where c.name = ${consumer.consumer.name} and (x.tx, x.seq) > (c.tx, c.seq)`.execute(
        ctx.db,
      )
      expect(cursor[0]?.behind).toBe(0)
    }
  })
  it('prunes changes past the retention that every consumer has processed, keeping those a dead letter names', async () => {
    const { rows: before } = await sql<{ seq: number }>`select seq from changes order by seq`.execute(ctx.db)
    const parked = await sql<{ seq: number }>`select seq from change_failures where parked_at is not null`.execute(ctx.db)
    // Every consumer in this database (the real ones included) catches up first.
    await sql`update change_consumers set (tx, seq) = (select tx, seq from changes order by tx desc, seq desc limit 1)`.execute(ctx.db)
    await sql`update changes set occurred_at = now() - interval '40 days'`.execute(ctx.db)
    const [fresh] = await record(1)

    const pruned = await pruneChanges(ctx.db, 30)

    const { rows: after } = await sql<{ seq: number }>`select seq from changes order by seq`.execute(ctx.db)
    expect(pruned).toBe(before.length - parked.rows.length)
    expect(after.map((r) => r.seq)).toEqual([...parked.rows.map((r) => r.seq), fresh].sort((a, b) => a! - b!))
  })
})
