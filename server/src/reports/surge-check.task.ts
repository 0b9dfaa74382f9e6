import { Type } from '@sinclair/typebox'
import { Id } from '@carebox/shared'
import { defineTask } from '../queue/tasks.js'

/** Compares a team's inbound of the current hour with its seasonal baseline, per channel and per tag. */
export const surgeCheckTask = defineTask({
  name: 'reports.surge_check',
  payload: Type.Object({ teamId: Id }),
  maxAttempts: 3,
})

/** One pending check per team: messages arriving meanwhile do not move it (a throttle, not a debounce). */
export const surgeCheckKey = (teamId: string) => `surge-check:${teamId}`

/** How long after a customer message its team's check runs: surges show within about a minute. */
export const surgeCheckDelayMs = 60_000
