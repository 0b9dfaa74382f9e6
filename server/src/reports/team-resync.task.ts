import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/** Moves a team's rollups to its new time zone or opening hours: every conversation of the team, recomputed. */
export const reportsTeamResyncTask = defineTask({
  name: 'reports.team-resync',
  payload: Type.Object({ teamId: Type.String({ format: 'uuid' }) }),
  maxAttempts: 5,
})

/** Edits in a row collapse into one pending recomputation per team. */
export const reportsTeamResyncKey = (teamId: string) => `reports-team-resync:${teamId}`
