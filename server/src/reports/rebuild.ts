import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { sumSpansFromDays } from './report-spans.repository.js'
import { loadReportEnv, syncReportsMany } from './report-sync.js'

const rollupTables = [
  'report_hourly',
  'report_hourly_tags',
  'report_daily',
  'report_daily_agents',
  'report_daily_tags',
  'report_conversations',
  'report_cycles',
]

/**
 * Recomputes every rollup from scratch: empties them, then walks all conversations in id order, each batch in its
 * own transaction through the same code the live path runs. Changes arriving meanwhile are safe: a conversation is
 * locked while it is recomputed, and each sync takes the difference from what is stored at that moment.
 */
export async function rebuildReports(
  db: Database,
  now: Date,
  options: { batchSize?: number; concurrency?: number; onProgress?: (done: number) => void } = {},
): Promise<{ conversations: number }> {
  const batchSize = options.batchSize ?? 1000
  await sql`truncate ${sql.join(rollupTables.map((t) => sql.table(t)))}`.execute(db)
  // Days only while walking: a long span's row would be rewritten by nearly every batch (twice as slow overall).
  const env = { ...(await loadReportEnv(db, now)), daysOnly: true }
  let after = '00000000-0000-0000-0000-000000000000'
  let done = 0
  // Batches are handed out one at a time, in id order; each worker then computes and writes its own. Two at once
  // keep both cores busy: one computes in Node while the other's batch is written in PostgreSQL.
  let handing = Promise.resolve<string[]>([])
  const nextBatch = () =>
    (handing = handing.then(async () => {
      const ids = (await db.selectFrom('conversations').select('id').where('id', '>', after).orderBy('id').limit(batchSize).execute()).map((r) => r.id)
      if (ids.length > 0) after = ids.at(-1) as string
      return ids
    }))
  const worker = async () => {
    for (let ids = await nextBatch(); ids.length > 0; ids = await nextBatch()) {
      await db.transaction().execute((trx) => syncReportsMany(trx, ids, env))
      done += ids.length
      options.onProgress?.(done)
    }
  }
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker))
  await db.transaction().execute((trx) => sumSpansFromDays(trx))
  return { conversations: done }
}
