import { followUpPlan, replyLength, replyLimit, type FollowUp, type FollowUpMessage } from '@carebox/shared'
import { recordAudit, type AuditRecord } from '../audit/audit.repository.js'
import type { Identity } from '../auth/identity.js'
import { recordMessageChanges } from '../changes/changes.repository.js'
import type { AppContext } from '../context.js'
import { findVisibleConversation } from '../conversations/conversation-actions.service.js'
import { insertEvent } from '../conversations/messages.repository.js'
import { AppError } from '../errors.js'
import { JobBatch, enqueueInTx } from '../queue/queue.js'
import { channelAccount, prepareTemplate } from '../templates/templates.service.js'
import { followUpDueTask, followUpJobKey } from './follow-up-due.task.js'
import { endScheduled, findFollowUp, insertFollowUp, listFollowUps, toFollowUp } from './follow-ups.repository.js'

type Actor = AuditRecord['actor']

export async function conversationFollowUps(ctx: AppContext, identity: Identity, conversationId: string): Promise<FollowUp[]> {
  await findVisibleConversation(ctx, identity, conversationId)
  return listFollowUps(ctx.db, conversationId)
}

const yearMs = 366 * 24 * 60 * 60 * 1000

/**
 * Schedules a follow-up, replacing the scheduled one: checked now (a time to come, a prepared template that can
 * be sent), and what will happen at its time is said in its outcome, then judged again when it comes.
 */
export async function scheduleFollowUp(
  ctx: AppContext,
  identity: Identity,
  actor: Actor,
  conversationId: string,
  input: { dueAt: string; note?: string; message?: FollowUpMessage },
): Promise<FollowUp> {
  const conversation = await findVisibleConversation(ctx, identity, conversationId)
  const now = ctx.clock.now()
  const dueAt = new Date(input.dueAt)
  if (!(dueAt.getTime() > now.getTime())) throw new AppError('validation_failed', 'A follow-up is for a time to come: pick a later time.')
  if (dueAt.getTime() - now.getTime() > yearMs) throw new AppError('validation_failed', 'A follow-up can be at most a year ahead.')
  const message = input.message ?? null
  if (message?.kind === 'template') await prepareTemplate(ctx, await channelAccount(ctx, conversation.channel.id), message.templateId, message.values)
  if (message?.kind === 'text') {
    const limit = replyLimit(conversation.channel.kind, conversation.kind)
    if (replyLength(message.text, limit.unit) > limit.maxLength) {
      throw new AppError('validation_failed', `${conversation.channel.name} accepts at most ${limit.maxLength} ${limit.unit} here.`)
    }
  }
  const plan = followUpPlan({ kind: conversation.channel.kind, conversationKind: conversation.kind, lastInboundAt: conversation.lastInboundAt }, message, dueAt)
  const note = input.note?.trim() || null
  const id = await ctx.db.transaction().execute(async (trx) => {
    // One scheduled follow-up per conversation: two schedulings at once take turns rather than collide.
    await trx.selectFrom('conversations').select('id').where('id', '=', conversationId).forNoKeyUpdate().execute()
    const replaced = await endScheduled(trx, conversationId, 'Replaced by a later follow-up.', now)
    const jobs = new JobBatch()
    if (replaced) jobs.remove(followUpJobKey(replaced))
    await jobs.flush(trx)
    const followUpId = await insertFollowUp(trx, {
      conversationId,
      createdBy: identity.kind === 'user' ? identity.userId : null,
      dueAt,
      note,
      message,
      outcome: plan.words,
      at: now,
    })
    await enqueueInTx(trx, followUpDueTask, { followUpId }, { runAt: dueAt, jobKey: followUpJobKey(followUpId) })
    const eventId = await insertEvent(trx, {
      conversationId,
      channelId: conversation.channel.id,
      authorUserId: identity.kind === 'user' ? identity.userId : null,
      text: `Follow-up scheduled for ${dueAt.toISOString()}${note ? `: ${note}` : ''}`,
      at: now,
    })
    await recordMessageChanges(trx, 'message.created', [eventId], identity.kind === 'user' ? { type: 'agent', id: identity.userId } : { type: 'system' })
    await recordAudit(trx, {
      action: 'conversation.follow_up_scheduled',
      actor,
      target: { type: 'conversation', id: conversationId },
      details: { followUpId, dueAt: dueAt.toISOString(), message: message?.kind ?? null },
    })
    return followUpId
  })
  return toFollowUp((await findFollowUp(ctx.db, id))!)
}

export async function cancelFollowUp(ctx: AppContext, identity: Identity, actor: Actor, conversationId: string, followUpId: string): Promise<FollowUp> {
  const conversation = await findVisibleConversation(ctx, identity, conversationId)
  const now = ctx.clock.now()
  await ctx.db.transaction().execute(async (trx) => {
    const followUp = await findFollowUp(trx, followUpId, { lock: true })
    if (!followUp || followUp.conversationId !== conversationId) throw new AppError('not_found', 'No such follow-up.')
    if (followUp.status !== 'scheduled') throw new AppError('conflict', `This follow-up is ${followUp.status} already.`)
    await endScheduled(trx, conversationId, 'Cancelled by a teammate.', now)
    const jobs = new JobBatch()
    jobs.remove(followUpJobKey(followUpId))
    await jobs.flush(trx)
    const eventId = await insertEvent(trx, {
      conversationId,
      channelId: conversation.channel.id,
      authorUserId: identity.kind === 'user' ? identity.userId : null,
      text: 'Follow-up cancelled',
      at: now,
    })
    await recordMessageChanges(trx, 'message.created', [eventId], identity.kind === 'user' ? { type: 'agent', id: identity.userId } : { type: 'system' })
    await recordAudit(trx, { action: 'conversation.follow_up_cancelled', actor, target: { type: 'conversation', id: conversationId }, details: { followUpId } })
  })
  return toFollowUp((await findFollowUp(ctx.db, followUpId))!)
}
