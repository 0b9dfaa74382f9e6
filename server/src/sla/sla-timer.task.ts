import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/**
 * Fires at an SLA target's deadline (breach) or 15 minutes before it (warning): one job per target and moment,
 * keyed so that rescheduling a deadline moves its job instead of adding another.
 */
export const slaTimerTask = defineTask({
  name: 'sla.timer',
  payload: Type.Object({ targetId: Id, moment: Type.Union([Type.Literal('warning'), Type.Literal('breach')]) }),
  maxAttempts: 10,
})

export function slaTimerKey(targetId: string, moment: 'warning' | 'breach'): string {
  return `sla-${moment}:${targetId}`
}
