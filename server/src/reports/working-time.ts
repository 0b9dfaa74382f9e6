import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import type { WorkHook } from '../realtime/realtime.js'

const minuteMs = 60_000

/**
 * Records that a person worked in a conversation during the minute of `at`: idempotent, so every console's
 * heartbeat in that minute (one every 15 s, from any tab) makes one row. What the cost report counts as handle time.
 */
export async function recordWorkingMinute(db: Database, input: { conversationId: string; userId: string; at: Date }): Promise<void> {
  const minute = new Date(Math.floor(input.at.getTime() / minuteMs) * minuteMs)
  await db
    .insertInto('agentWorkMinutes')
    .values({ conversationId: input.conversationId, userId: input.userId, minute })
    .onConflict((oc) => oc.doNothing())
    .execute()
}

/** The socket layer's hook: a console said its person is working in a conversation the server let it watch. */
export function workRecorder(ctx: AppContext): WorkHook {
  return (userId, conversationId) => recordWorkingMinute(ctx.db, { conversationId, userId, at: ctx.clock.now() })
}
