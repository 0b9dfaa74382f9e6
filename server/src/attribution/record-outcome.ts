import type { OutcomeInput } from '@carebox/shared'
import { recordChanges, type NewChange } from '../changes/changes.repository.js'
import { isMetaKind } from '../channels/channel-runtime.js'
import { conversionEventNames } from '../channels/meta/meta.conversions.js'
import type { Database } from '../db/client.js'
import { enqueueInTx } from '../queue/queue.js'
import { findChannelConversions } from './conversions.repository.js'
import { insertOutcome } from './outcomes.repository.js'
import { conversionJobKey, sendConversionTask } from './send-conversion.task.js'

/**
 * Records what a conversation led to, in the caller's transaction, with its `conversation.outcome` change and, when
 * the channel reports to Meta's Conversions API, the job that sends it: an outcome is never recorded without its
 * event, nor sent without being recorded. Undefined when this kind of outcome is already recorded (each once).
 */
export async function recordOutcomeInTx(
  trx: Database,
  outcome: {
    conversationId: string
    channel: { id: string; kind: string }
    input: OutcomeInput
    /** The person who recorded it; null for a rule. */
    recordedBy: string | null
    actor: NonNullable<NewChange['actor']>
    at: Date
  },
): Promise<string | undefined> {
  const { input } = outcome
  const value = input.kind === 'purchase' ? Math.round(input.value * 100) / 100 : null
  const currency = input.kind === 'purchase' ? input.currency : null
  const conversions = isMetaKind(outcome.channel.kind) ? await findChannelConversions(trx, outcome.channel.id) : undefined
  const outcomeId = await insertOutcome(trx, {
    conversationId: outcome.conversationId,
    kind: input.kind,
    value,
    currency,
    recordedBy: outcome.recordedBy,
    conversionStatus: conversions ? 'pending' : 'not_configured',
    at: outcome.at,
  })
  if (!outcomeId) return undefined
  await recordChanges(trx, [
    {
      type: 'conversation.outcome',
      conversationId: outcome.conversationId,
      actor: outcome.actor,
      data: { outcomeId, kind: input.kind, eventName: conversionEventNames[input.kind], ...(value !== null && { value, currency }) },
    },
  ])
  if (conversions) await enqueueInTx(trx, sendConversionTask, { outcomeId }, { jobKey: conversionJobKey(outcomeId) })
  return outcomeId
}
