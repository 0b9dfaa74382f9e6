import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/** Recomputes the SLA targets of every open conversation after a policy or a team's hours change. */
export const slaRecomputeTask = defineTask({
  name: 'sla.recompute',
  payload: Type.Object({}),
  maxAttempts: 5,
})

/** Edits in a row collapse into one pending recomputation. */
export const slaRecomputeKey = 'sla-recompute'
