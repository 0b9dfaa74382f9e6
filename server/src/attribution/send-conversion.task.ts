import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/**
 * Reports one recorded outcome to Meta's Conversions API. A passing failure (Meta's 5xx, throttling, a timeout) is
 * retried with graphile-worker's backoff (about 2 s, 7 s, 20 s … half an hour in all); the event id makes a repeat
 * harmless. A refusal, or the last failure, is kept on the outcome for the agent to see.
 */
export const sendConversionTask = defineTask({
  name: 'conversion.send',
  capacity: 'platform',
  payload: Type.Object({ outcomeId: Id }),
  maxAttempts: 8,
})

/** One job per outcome: recording it twice cannot send it twice. */
export function conversionJobKey(outcomeId: string): string {
  return `conversion:${outcomeId}`
}
