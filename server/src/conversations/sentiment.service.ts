import type { PersonSentimentLabel, SentimentChange } from '@carebox/shared'
import { recordAudit, type AuditRecord } from '../audit/audit.repository.js'
import type { Identity } from '../auth/identity.js'
import { assertConversationVisible } from '../auth/scope.js'
import { recordConversationsUpdated, recordMessageChanges } from '../changes/changes.repository.js'
import type { AppContext } from '../context.js'
import { AppError } from '../errors.js'
import { effectiveSentiment } from '../sentiment/effective-sentiment.js'
import { findSentimentSubject, updateSentimentOverride } from './messages.repository.js'

/**
 * A person reclassifies a customer's message (or, with null, gives the model's label back). Their label wins in
 * every figure: rules from the next occasion on, the negative share and the rollups, which the recorded change
 * recomputes for the whole conversation, past hours included. Audited from → to; consoles hear it live.
 */
export async function setMessageSentiment(
  ctx: AppContext,
  identity: Identity,
  actor: AuditRecord['actor'],
  messageId: string,
  label: PersonSentimentLabel | null,
): Promise<SentimentChange> {
  const message = await findSentimentSubject(ctx.db, messageId)
  if (!message) throw new AppError('not_found', 'No such message.')
  await assertConversationVisible(ctx.db, identity, message.conversationId).catch((error: unknown) => {
    throw error instanceof AppError && error.code === 'not_found' ? new AppError('not_found', 'No such message.') : error
  })
  if (message.direction !== 'inbound' || message.kind !== 'message') throw new AppError('validation_failed', 'Only a customer’s message has a sentiment.')
  const model = effectiveSentiment({ model: message.sentiment, text: message.text, language: message.language })
  const now = ctx.clock.now()
  if (message.sentimentOverride !== label) {
    const by = identity.kind === 'user' ? { type: 'agent' as const, id: identity.userId } : { type: 'system' as const, id: 'api' }
    await ctx.db.transaction().execute(async (trx) => {
      await updateSentimentOverride(trx, messageId, { label, model, by: identity.kind === 'user' ? identity.userId : null, at: now })
      await recordAudit(trx, {
        action: 'message.sentiment',
        actor,
        target: { type: 'message', id: messageId },
        details: {
          conversationId: message.conversationId,
          from: message.sentimentOverride ?? model,
          to: label ?? model,
          model,
          by: label ? 'person' : 'model',
        },
      })
      await recordMessageChanges(trx, 'message.updated', [messageId], by)
      // The inbox row shows the latest customer message's label.
      await recordConversationsUpdated(trx, [message.conversationId], ['sentiment'], by)
    })
  }
  return {
    messageId,
    conversationId: message.conversationId,
    sentiment: { label: label ?? model, by: label ? 'person' : 'model' },
    setAt: label ? now.toISOString() : null,
  }
}
