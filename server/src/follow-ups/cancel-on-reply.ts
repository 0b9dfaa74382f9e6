import { recordMessageChanges } from '../changes/changes.repository.js'
import { insertEvent } from '../conversations/messages.repository.js'
import type { Database } from '../db/client.js'
import { JobBatch } from '../queue/queue.js'
import { followUpJobKey } from './follow-up-due.task.js'
import { cancelOnCustomerMessages } from './follow-ups.repository.js'

/** The customer wrote after a follow-up was scheduled: it is cancelled, and the thread says so. */
export async function cancelFollowUpsOnCustomerMessages(trx: Database, messageIds: string[], now: Date): Promise<void> {
  const cancelled = await cancelOnCustomerMessages(trx, messageIds, now)
  if (cancelled.length === 0) return
  const jobs = new JobBatch()
  const events: string[] = []
  for (const followUp of cancelled) {
    jobs.remove(followUpJobKey(followUp.id))
    events.push(
      await insertEvent(trx, {
        conversationId: followUp.conversationId,
        channelId: followUp.channelId,
        text: 'Follow-up cancelled: the customer wrote before it was due',
        at: now,
      }),
    )
  }
  await jobs.flush(trx)
  await recordMessageChanges(trx, 'message.created', events, { type: 'system', id: 'follow-up' })
}
