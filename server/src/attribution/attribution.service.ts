import {
  outcomeKindLabels,
  type ChannelConversions,
  type ChannelConversionsInput,
  type ConversationAttribution,
  type ConversationOutcome,
  type ConversationReferral,
  type OutcomeInput,
  type ReferralKind,
} from '@carebox/shared'
import { recordAudit, type AuditRecord } from '../audit/audit.repository.js'
import type { Identity } from '../auth/identity.js'
import { visibleTeamIds } from '../auth/identity.js'
import { isMetaKind } from '../channels/channel-runtime.js'
import type { AppContext } from '../context.js'
import { findVisibleConversation } from '../conversations/conversation-actions.service.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { deleteChannelConversions, findChannelConversions, upsertChannelConversions } from './conversions.repository.js'
import { listOutcomes, type OutcomeRow } from './outcomes.repository.js'
import { recordOutcomeInTx } from './record-outcome.js'
import { listReferrals, type ReferralRow } from './referrals.repository.js'

function toReferral(row: ReferralRow): ConversationReferral {
  return {
    id: row.id,
    kind: row.kind as ReferralKind,
    source: row.source,
    ref: row.ref,
    adId: row.adId,
    sourceId: row.sourceId,
    sourceType: row.sourceType,
    sourceUrl: row.sourceUrl,
    headline: row.headline,
    hasClickId: row.ctwaClid !== null,
    firstTouch: row.firstTouch,
    receivedAt: row.receivedAt.toISOString(),
  }
}

function toOutcome(row: OutcomeRow): ConversationOutcome {
  return {
    id: row.id,
    kind: row.kind,
    value: row.value,
    currency: row.currency,
    recordedBy: row.recordedById ? { id: row.recordedById, name: row.recordedByName ?? 'Former teammate' } : null,
    conversion: { status: row.conversionStatus, error: row.conversionError, sentAt: row.conversionSentAt?.toISOString() ?? null },
    createdAt: row.createdAt.toISOString(),
  }
}

async function loadAttribution(db: Database, conversationId: string, channelId: string): Promise<ConversationAttribution> {
  const [referrals, outcomes, conversions] = await Promise.all([
    listReferrals(db, conversationId),
    listOutcomes(db, conversationId),
    findChannelConversions(db, channelId),
  ])
  const all = referrals.map(toReferral)
  return {
    conversationId,
    firstTouch: all.find((referral) => referral.firstTouch) ?? null,
    referrals: all,
    outcomes: outcomes.map(toOutcome),
    sendsConversions: conversions !== undefined,
  }
}

/** Where the conversation came from and what it led to, for whoever may see the conversation. */
export async function getAttribution(ctx: AppContext, identity: Identity, conversationId: string): Promise<ConversationAttribution> {
  const conversation = await findVisibleConversation(ctx, identity, conversationId)
  return loadAttribution(ctx.db, conversationId, conversation.channel.id)
}

/**
 * Records what the conversation led to, with its `conversation.outcome` change and, when the channel reports to
 * Meta's Conversions API, the job that sends it: all in one transaction, so an outcome is never recorded without its
 * event, nor sent without being recorded.
 */
export async function recordOutcome(ctx: AppContext, identity: Identity, conversationId: string, input: OutcomeInput): Promise<ConversationAttribution> {
  if (identity.kind !== 'user') throw new AppError('forbidden', 'Only a signed-in person can record an outcome.')
  const conversation = await findVisibleConversation(ctx, identity, conversationId)
  const channelId = conversation.channel.id
  const recorded = await ctx.db.transaction().execute((trx) =>
    recordOutcomeInTx(trx, {
      conversationId,
      channel: conversation.channel,
      input,
      recordedBy: identity.userId,
      actor: { type: 'agent', id: identity.userId },
      at: ctx.clock.now(),
    }),
  )
  if (!recorded) throw new AppError('conflict', `A ${outcomeKindLabels[input.kind].toLowerCase()} is already recorded on this conversation.`)
  return loadAttribution(ctx.db, conversationId, channelId)
}

/** A channel the caller administers, as far as its kind. */
async function findChannelKind(ctx: AppContext, identity: Identity, channelId: string): Promise<string> {
  const channel = await ctx.db.selectFrom('channels').select(['kind', 'teamId']).where('id', '=', channelId).executeTakeFirst()
  const teams = visibleTeamIds(identity)
  if (!channel || (teams && !teams.includes(channel.teamId))) throw new AppError('not_found', 'No such channel.')
  return channel.kind
}

export async function getChannelConversions(ctx: AppContext, identity: Identity, channelId: string): Promise<ChannelConversions> {
  await findChannelKind(ctx, identity, channelId)
  const row = await findChannelConversions(ctx.db, channelId)
  return { channelId, datasetId: row?.datasetId ?? null, hasAccessToken: Boolean(row?.accessTokenCiphertext) }
}

/** Sets (or, with no dataset, removes) a Meta channel's Conversions API settings; the token is sealed like the channel's secrets. */
export async function saveChannelConversions(
  ctx: AppContext,
  identity: Identity,
  actor: AuditRecord['actor'],
  channelId: string,
  input: ChannelConversionsInput,
): Promise<ChannelConversions> {
  const kind = await findChannelKind(ctx, identity, channelId)
  if (!isMetaKind(kind)) throw new AppError('validation_failed', "Only Facebook, Instagram and WhatsApp channels report to Meta's Conversions API.")
  if (input.datasetId === null && input.accessToken) throw new AppError('validation_failed', 'A token goes with a dataset id: set the dataset id too.')
  await ctx.db.transaction().execute(async (trx) => {
    if (input.datasetId === null) await deleteChannelConversions(trx, channelId)
    else {
      const accessTokenCiphertext = input.accessToken ? ctx.secrets.seal(input.accessToken) : input.clearAccessToken ? null : undefined
      await upsertChannelConversions(trx, channelId, { datasetId: input.datasetId, accessTokenCiphertext }, ctx.clock.now())
    }
    await recordAudit(trx, {
      action: 'channel.conversions_updated',
      actor,
      target: { type: 'channel', id: channelId },
      // Never the token itself: only whether one was set or cleared.
      details: { datasetId: input.datasetId, accessToken: input.accessToken ? 'replaced' : input.clearAccessToken ? 'cleared' : 'kept' },
    })
  })
  return getChannelConversions(ctx, identity, channelId)
}
