import { JobBatch } from '../queue/queue.js'
import { assignmentActor, assignJobKey, assignTask } from '../routing/assign.task.js'
import type { ChangeConsumer } from '../changes/consumer.js'

/**
 * Nudges auto-assignment for the teams whose queues may have changed (a new message, a status, an assignee,
 * a transfer): one pending run per team, whatever the number of changes.
 */
export const assignmentConsumer: ChangeConsumer = {
  name: 'assignment',
  mode: 'transaction',
  gatherMs: 100,
  batchSize: 1000,
  wants: (change) =>
    change.teamId !== null &&
    change.actor?.id !== assignmentActor.id &&
    (change.type.startsWith('conversation.') || (change.type === 'message.created' && change.data.direction === 'inbound')),
  async handle(_ctx, trx, changes) {
    const teams = [...new Set(changes.map((c) => c.teamId!))]
    const auto = await trx.selectFrom('teams').select('id').where('id', 'in', teams).where('autoAssign', '=', true).execute()
    const jobs = new JobBatch()
    for (const { id } of auto) jobs.add(assignTask, { teamId: id }, { jobKey: assignJobKey(id) })
    await jobs.flush(trx)
  },
}
