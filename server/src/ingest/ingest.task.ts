import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/** Parses one stored envelope and applies its events. A payload that keeps failing ends as a dead letter. */
export const ingestTask = defineTask({
  name: 'ingest.process',
  payload: Type.Object({ eventId: Id }),
  maxAttempts: 5,
})
