import { teamAudience } from '@carebox/shared'
import { defineHandler } from '../queue/tasks.js'
import { findConversationSummaries } from './conversations.repository.js'
import { toConversationSummary, toMessage } from './conversations.service.js'
import { findMessages } from './messages.repository.js'
import { wakeTask } from './wake.task.js'

/**
 * Reopens the conversation if it is still snoozed and its time has come. A conversation reopened, resolved or
 * snoozed again since is left alone: the job only acts on the snooze it was scheduled for.
 */
export const wakeHandler = defineHandler(wakeTask, async (ctx, { conversationId }) => {
  const now = ctx.clock.now()
  const eventId = await ctx.db.transaction().execute(async (trx) => {
    const woken = await trx
      .updateTable('conversations')
      .set({ status: 'open', snoozedUntil: null, updatedAt: now })
      .where('id', '=', conversationId)
      .where('status', '=', 'snoozed')
      .where('snoozedUntil', '<=', now)
      .returning('channelId')
      .executeTakeFirst()
    if (!woken) return undefined
    const event = await trx
      .insertInto('messages')
      .values({ conversationId, channelId: woken.channelId, kind: 'event', direction: 'outbound', authorKind: 'agent', text: 'The snooze ended: the conversation is open again', status: 'sent', sentAt: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    return event.id
  })
  if (!eventId) return
  const [row] = await findConversationSummaries(ctx.db, [conversationId])
  const [event] = await findMessages(ctx.db, [eventId])
  if (!row || !event) return
  const conversation = toConversationSummary(row)
  ctx.realtime.publish('conversation.updated', teamAudience(row.teamId), { conversation })
  ctx.realtime.publish('message.created', teamAudience(row.teamId), { conversation, message: toMessage(event) })
})
