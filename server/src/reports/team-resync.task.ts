import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/** Moves a team's rollups to its new time zone or opening hours: every conversation of the team, recomputed. */
export const reportsTeamResyncTask = defineTask({
  name: 'reports.team-resync',
  payload: Type.Object({ teamId: Type.String({ format: 'uuid' }) }),
  maxAttempts: 5,
})

/**
 * Edits in a row collapse into one pending recomputation per team; as its queue name too, it makes a second edit's
 * job wait for a running one, so an older clock never finishes after a newer one.
 */
export const reportsTeamResyncKey = (teamId: string) => `reports-team-resync:${teamId}`
