import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/** Reopens a snoozed conversation when its snooze ends: one job per conversation, scheduled at the time. */
export const wakeTask = defineTask({
  name: 'conversation.wake',
  payload: Type.Object({ conversationId: Id }),
  maxAttempts: 5,
})

/** A new snooze replaces the job of the previous one. */
export function wakeJobKey(conversationId: string): string {
  return `wake:${conversationId}`
}
