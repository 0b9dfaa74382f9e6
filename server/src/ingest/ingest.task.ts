import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/**
 * Parses stored envelopes and applies their events: the envelopes one webhook write or one poll stored
 * together. An envelope that keeps failing ends as a dead letter without holding up the others.
 */
export const ingestTask = defineTask({
  name: 'ingest.process',
  payload: Type.Object({ eventIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }) }),
  maxAttempts: 5,
})
