import { followUpPlan, replyWindow, type ChannelKind } from '@carebox/shared'
import { recordChanges, recordMessageChanges, recordNotifications } from '../changes/changes.repository.js'
import { teamMembers } from '../auth/users.repository.js'
import type { Database } from '../db/client.js'
import { insertEvent, insertQueuedReply } from '../conversations/messages.repository.js'
import { AppError } from '../errors.js'
import { replyQueue, sendReplyTask } from '../outbox/send-reply.task.js'
import { enqueueInTx } from '../queue/queue.js'
import { defineHandler } from '../queue/tasks.js'
import { channelAccount, prepareTemplate, type PreparedTemplate } from '../templates/templates.service.js'
import { followUpDueTask } from './follow-up-due.task.js'
import { findFollowUp, finishFollowUp } from './follow-ups.repository.js'

const actor = { type: 'system', id: 'follow-up' } as const

/**
 * A follow-up's time has come: the conversation opens again (if snoozed or resolved) with the note in its
 * thread, its assignee (or, unassigned, its team) is told, and a prepared message goes out if the platform
 * allows it now; if not, the agent is told why and the conversation waits for them. A follow-up cancelled or
 * replaced since is left alone.
 */
export const followUpDueHandler = defineHandler(followUpDueTask, async (ctx, { followUpId }) => {
  const now = ctx.clock.now()
  const peek = await findFollowUp(ctx.db, followUpId)
  if (!peek || peek.status !== 'scheduled') return
  // A template is checked before the transaction (it reads the channel and the template); a refusal is an outcome.
  let prepared: PreparedTemplate | string | null = null
  if (peek.message?.kind === 'template') {
    prepared = await prepareTemplate(ctx, await channelAccount(ctx, peek.channelId), peek.message.templateId, peek.message.values).catch((error: unknown) => {
      if (error instanceof AppError) return error.message
      throw error
    })
  }
  await ctx.db.transaction().execute(async (trx) => {
    const followUp = await findFollowUp(trx, followUpId, { lock: true })
    if (!followUp || followUp.status !== 'scheduled') return
    const conversation = await trx
      .selectFrom('conversations as c')
      .innerJoin('channels as ch', 'ch.id', 'c.channelId')
      .select(['c.id', 'c.channelId', 'c.status', 'c.kind', 'c.assigneeId', 'c.teamId', 'c.lastInboundAt', 'c.lastMessagePreview', 'ch.kind as channelKind'])
      .where('c.id', '=', followUp.conversationId)
      .forUpdate('c')
      .executeTakeFirstOrThrow()
    // The customer wrote after it was scheduled: the rules consumer cancels it, but may not have got there yet.
    if (conversation.lastInboundAt && conversation.lastInboundAt > followUp.createdAt) {
      await finishFollowUp(trx, followUpId, 'cancelled', 'Cancelled: the customer wrote before it was due.', now)
      return
    }
    if (conversation.status !== 'open') {
      await trx.updateTable('conversations').set({ status: 'open', snoozedUntil: null, updatedAt: now }).where('id', '=', conversation.id).execute()
      await recordChanges(trx, [
        {
          type: 'conversation.status_changed',
          conversationId: conversation.id,
          actor,
          data: { from: conversation.status, to: 'open', reason: 'follow_up', snoozedUntil: null },
        },
      ])
    }
    const events = [
      await insertEvent(trx, {
        conversationId: conversation.id,
        channelId: conversation.channelId,
        text: `Follow-up due${followUp.note ? `: ${followUp.note}` : ''}`,
        at: now,
      }),
    ]
    let outcome = 'Done: the conversation came back to the inbox.'
    if (followUp.message) {
      const lastInboundAt = conversation.lastInboundAt?.toISOString() ?? null
      const plan = followUpPlan(
        { kind: conversation.channelKind as ChannelKind, conversationKind: conversation.kind as 'dm' | 'public', lastInboundAt },
        followUp.message,
        now,
      )
      const why = !plan.sends ? plan.words : typeof prepared === 'string' ? prepared : null
      if (why) {
        outcome = `Done, but the prepared message was not sent: ${why}`
        events.push(
          await insertEvent(trx, {
            conversationId: conversation.id,
            channelId: conversation.channelId,
            text: `The prepared message was not sent: ${why}`,
            at: now,
          }),
        )
      } else {
        const window = replyWindow(conversation.channelKind as ChannelKind, conversation.kind as 'dm' | 'public', lastInboundAt, now)
        const replyId = await queuePrepared(trx, {
          conversationId: conversation.id,
          channelId: conversation.channelId,
          authorUserId: followUp.createdById,
          ...(followUp.message.kind === 'text'
            ? { text: followUp.message.text, replyContext: window.state === 'human_agent' ? { tag: 'HUMAN_AGENT' } : {} }
            : { text: (prepared as PreparedTemplate).text, replyContext: { template: JSON.stringify((prepared as PreparedTemplate).template) } }),
          at: now,
        })
        outcome = 'Done: the prepared message was sent.'
        await recordMessageChanges(trx, 'message.created', [replyId], actor)
      }
    }
    await recordMessageChanges(trx, 'message.created', events, actor)
    const recipients = conversation.assigneeId ? [conversation.assigneeId] : (await teamMembers(trx, conversation.teamId)).map((m) => m.id)
    await recordNotifications(
      trx,
      recipients.map((userId) => ({
        userId,
        notification: {
          kind: 'follow_up',
          conversationId: conversation.id,
          by: null,
          preview: (followUp.note ?? conversation.lastMessagePreview ?? 'Follow-up due').slice(0, 200),
        },
      })),
    )
    await finishFollowUp(trx, followUpId, 'done', outcome, now)
  })
})

async function queuePrepared(
  trx: Database,
  reply: { conversationId: string; channelId: string; authorUserId: string | null; text: string; replyContext: Record<string, string>; at: Date },
): Promise<string> {
  const id = await insertQueuedReply(trx, reply)
  if (!id) throw new Error('a prepared reply without a client key is always stored')
  await enqueueInTx(trx, sendReplyTask, { messageId: id, attempt: 1 }, { queueName: replyQueue(reply.conversationId) })
  return id
}
