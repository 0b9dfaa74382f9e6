import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/** Removes an uploaded file that no reply took within a day: an agent attached it and then sent nothing. */
export const expireUploadTask = defineTask({
  name: 'file.expire',
  payload: Type.Object({ fileId: Id }),
  maxAttempts: 5,
})

export const unsentUploadLifetimeMs = 24 * 60 * 60 * 1000
