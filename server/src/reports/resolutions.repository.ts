import type { Database } from '../db/client.js'

/**
 * Keeps a resolve for the reports, in the transaction that resolved: every resolution counts, also those a reopen
 * later undid, and a rebuild replays them. `by` is null when a rule resolved it.
 */
export async function recordResolution(
  trx: Database,
  input: { conversationId: string; at: Date; by: string | null; assigneeId: string | null },
): Promise<void> {
  await trx
    .insertInto('conversationResolutions')
    .values({ conversationId: input.conversationId, resolvedAt: input.at, resolvedBy: input.by, assigneeId: input.assigneeId })
    .execute()
}
