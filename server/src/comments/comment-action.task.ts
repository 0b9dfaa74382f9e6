import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/** One action on a public comment, done on the platform; retried with backoff (each action is harmless twice). */
export const commentActionTask = defineTask({
  name: 'comment.action',
  payload: Type.Object({ actionId: Id }),
  maxAttempts: 8,
})
