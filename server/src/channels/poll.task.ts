import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import type { Database } from '../db/client.js'
import { enqueueInTx } from '../queue/queue.js'
import { defineTask } from '../queue/tasks.js'

/** Polls one channel, stores what came, then schedules its own next run. */
export const pollTask = defineTask({
  name: 'channel.poll',
  capacity: 'platform',
  payload: Type.Object({ channelId: Id }),
  maxAttempts: 3,
})

/** One pending poll per channel: the job key makes a reschedule replace the waiting run instead of adding one. */
export function schedulePoll(db: Database, channelId: string, runAt: Date): Promise<void> {
  return enqueueInTx(db, pollTask, { channelId }, { jobKey: `poll:${channelId}`, runAt })
}
