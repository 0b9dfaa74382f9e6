import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/** Computes the rollups of an installation that has conversations from before reports existed. */
export const reportsBackfillTask = defineTask({
  name: 'reports.backfill',
  payload: Type.Object({}),
  maxAttempts: 3,
})

export const reportsBackfillKey = 'reports-backfill'
