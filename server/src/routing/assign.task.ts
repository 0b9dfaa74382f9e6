import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/**
 * Hands a team's waiting conversations to its online agents. Enqueued whenever the answer may change: a
 * conversation arrives or returns to the queue, an agent comes online or frees capacity. One pending job per
 * team: a burst of such events collapses into one run.
 */
export const assignTask = defineTask({
  name: 'routing.assign',
  payload: Type.Object({ teamId: Id }),
  maxAttempts: 5,
})

export function assignJobKey(teamId: string): string {
  return `assign:${teamId}`
}

/** What auto-assignment records: its own assignments do not nudge it again. */
export const assignmentActor = { type: 'system', id: 'assignment' } as const
