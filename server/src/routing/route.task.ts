import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/**
 * What follows new messages once ingest has stored them: language detection, the message.received rules
 * (priority signals), SLA targets, the out-of-hours acknowledgement and auto-assignment. Enqueued in the
 * ingest transaction, so stored messages are always routed.
 */
export const routeTask = defineTask({
  name: 'routing.route',
  payload: Type.Object({ messageIds: Type.Array(Id, { maxItems: 5000 }) }),
  maxAttempts: 10,
})
