import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/**
 * Sends one queued reply through its channel's connector. Platform failures are retried by the handler itself
 * (its own backoff, honouring retry-after) through `attempt`; graphile-worker's retries only cover crashes.
 * It runs in the platform capacity: a platform that hangs holds those slots, never the inbound ones.
 */
export const sendReplyTask = defineTask({
  name: 'reply.send',
  capacity: 'platform',
  payload: Type.Object({ messageId: Id, attempt: Type.Integer({ minimum: 1, maximum: 100 }) }),
  maxAttempts: 3,
})

/**
 * Decides a reply whose send never told its outcome, once the platform has had time to report it (a status or an
 * echo carrying the reply): if nothing came, the delivery is unknown and the agent decides.
 */
export const settleReplyTask = defineTask({
  name: 'reply.settle',
  payload: Type.Object({ messageId: Id }),
  maxAttempts: 5,
})

/** Send attempts before a reply is marked failed (it can be retried by hand). */
export const maxSendAttempts = 6

/** Replies of one conversation leave in the order they were written. */
export function replyQueue(conversationId: string): string {
  return `reply:${conversationId}`
}
