import { cachedChannel } from '../channels/channel-cache.js'
import { ConnectorError } from '../channels/connector.js'
import { conversionEventBody, sendConversionEvent } from '../channels/meta/meta.conversions.js'
import type { AppContext } from '../context.js'
import { defineHandler } from '../queue/tasks.js'
import { findChannelConversions } from './conversions.repository.js'
import { findOutcome, updateConversion } from './outcomes.repository.js'
import { sendConversionTask } from './send-conversion.task.js'

/** Our id for the event at Meta: the outcome's, the same on every attempt, so Meta counts it once. */
export function conversionEventId(outcomeId: string): string {
  return `cbx_out_${outcomeId}`
}

/** What Meta needs to match the outcome to a click: the conversation's channel, its customer, its click id. */
async function conversionContext(ctx: AppContext, conversationId: string) {
  return ctx.db
    .selectFrom('conversations as c')
    .select((eb) => [
      'c.channelId',
      'c.kind',
      'c.threadKey',
      // The click id of the first touch, else of the latest referral that had one.
      eb
        .selectFrom('conversationReferrals as r')
        .select('r.ctwaClid')
        .whereRef('r.conversationId', '=', 'c.id')
        .where('r.ctwaClid', 'is not', null)
        .orderBy('r.firstTouch', 'desc')
        .orderBy('r.receivedAt', 'desc')
        .limit(1)
        .as('ctwaClid'),
    ])
    .where('c.id', '=', conversationId)
    .executeTakeFirst()
}

export const sendConversionHandler = defineHandler(sendConversionTask, async (ctx, { outcomeId }, job) => {
  const outcome = await findOutcome(ctx.db, outcomeId)
  // Sent or given up already (a duplicate job, a replay): nothing to do.
  if (!outcome || outcome.conversionStatus !== 'pending') return
  const conversation = await conversionContext(ctx, outcome.conversationId)
  const channel = conversation ? await cachedChannel(ctx, conversation.channelId) : undefined
  const settings = channel ? await findChannelConversions(ctx.db, channel.row.id) : undefined
  if (!conversation || !channel || !settings) {
    await updateConversion(ctx.db, outcomeId, { status: 'skipped', error: 'The channel no longer sends outcomes to Meta.', attempted: false })
    return
  }
  // A DM thread is keyed by the customer's page-scoped id (dm:<PSID>); a public thread names no one Meta could match.
  const customerId = conversation.kind === 'dm' && conversation.threadKey.startsWith('dm:') ? conversation.threadKey.slice(3) : undefined
  const built = conversionEventBody({
    channelKind: channel.runtime.kind,
    accountId: channel.runtime.externalId,
    businessAccountId: channel.runtime.config.businessAccountId,
    customerId,
    ctwaClid: conversation.ctwaClid ?? undefined,
    kind: outcome.kind,
    ...(outcome.value !== null && { value: outcome.value }),
    ...(outcome.currency !== null && { currency: outcome.currency }),
    at: outcome.createdAt,
    eventId: conversionEventId(outcome.id),
  })
  if ('skip' in built) {
    await updateConversion(ctx.db, outcomeId, { status: 'skipped', error: built.skip, attempted: false })
    return
  }
  const token = settings.accessTokenCiphertext ? ctx.secrets.open<string>(settings.accessTokenCiphertext) : channel.runtime.secrets.accessToken
  try {
    await sendConversionEvent(channel.runtime.config.apiBaseUrl, settings.datasetId, token, built.body)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const isRetryable = !(error instanceof ConnectorError) || error.retryable
    const isLast = job.attempts >= job.maxAttempts
    await updateConversion(ctx.db, outcomeId, { status: isRetryable && !isLast ? 'pending' : 'failed', error: message, attempted: true })
    ctx.log.warn({ err: error, outcomeId, attempt: job.attempts }, 'Conversions API event not sent')
    if (isRetryable && !isLast) throw error
    return
  }
  await updateConversion(ctx.db, outcomeId, { status: 'sent', error: null, sentAt: ctx.clock.now(), attempted: true })
})
