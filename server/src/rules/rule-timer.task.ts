import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/**
 * Runs the time-based rules of one conversation (the customer has waited N minutes; we have waited N minutes
 * on them) when the next of them falls due: one job per conversation, moved as the conversation moves.
 */
export const ruleTimerTask = defineTask({
  name: 'rules.timer',
  payload: Type.Object({ conversationId: Id }),
  maxAttempts: 5,
})

export function ruleTimerKey(conversationId: string): string {
  return `rule-wait:${conversationId}`
}
