import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/** Brings a conversation back when its follow-up is due: one job per follow-up, scheduled at its time. */
export const followUpDueTask = defineTask({
  name: 'follow_up.due',
  payload: Type.Object({ followUpId: Id }),
  maxAttempts: 5,
})

export function followUpJobKey(followUpId: string): string {
  return `follow-up:${followUpId}`
}
