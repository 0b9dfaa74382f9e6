import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { enqueueInTx } from '../queue/queue.js'
import { senderKey, senderTimerKey, sendWebhooksTask } from './deliver.task.js'

/**
 * Makes sure the endpoint's sender runs once the caller's transaction commits (or at `at`). A sender already waiting
 * keeps its place; one running when this commits may miss what it added, so a new job is queued for after it.
 */
export async function wakeSender(trx: Database, endpointId: string, at?: Date): Promise<void> {
  await enqueueInTx(trx, sendWebhooksTask, { endpointId }, { jobKey: senderKey(endpointId), preserveRunAt: true, runAt: at })
}

/**
 * The sender of each endpoint named, once, unless one is already waiting to run (due, and not a failed job waiting
 * for its retry, which adding it again revives): that one will see the new deliveries. Skipping it matters under load: every job added wakes every idle worker to look for work, and the
 * consumer names the same endpoints several times a second. The waiting job is locked until the caller commits, so
 * no worker can start it before the new deliveries are there to see (one already started is not waiting: a new
 * one follows it).
 */
export async function wakeSenders(trx: Database, endpointIds: Iterable<string>): Promise<void> {
  const keys = [...new Set(endpointIds)].map((id) => ({ id, key: senderKey(id) }))
  if (keys.length === 0) return
  const { rows } = await sql<{ key: string }>`
    select key from graphile_worker._private_jobs
    where key = any(${keys.map((k) => k.key)}::text[]) and locked_at is null and attempts = 0 and run_at <= now()
    for update`.execute(trx)
  const waiting = new Set(rows.map((r) => r.key))
  for (const { id, key } of keys) if (!waiting.has(key)) await wakeSender(trx, id)
}

/**
 * Schedules the endpoint's sender for `at` (its next retry, or the end of a pause), replacing the time set before:
 * only the sender schedules this, at the end of a run, from what is pending then.
 */
export async function scheduleSender(trx: Database, endpointId: string, at: Date): Promise<void> {
  await enqueueInTx(trx, sendWebhooksTask, { endpointId, dueBy: at.toISOString() }, { jobKey: senderTimerKey(endpointId), runAt: at })
}
