import { rooms } from '@carebox/shared'
import { findChannel, recordChannelError, recordChannelEvent } from '../channels/channels.repository.js'
import { toRuntime } from '../channels/channels.service.js'
import { connectors } from '../channels/connectors.js'
import type { InboundEvent } from '../channels/connector.js'
import type { AppContext } from '../context.js'
import { findConversationSummaries } from '../conversations/conversations.repository.js'
import { toConversationSummary, toMessage } from '../conversations/conversations.service.js'
import { findMessages } from '../conversations/messages.repository.js'
import { defineHandler } from '../queue/tasks.js'
import { findInboundEvent, markAttempt, markDead, markProcessed } from './inbound-events.repository.js'
import { applyEvents, type AppliedEvents } from './ingest.service.js'
import { ingestTask } from './ingest.task.js'

async function deadLetter(ctx: AppContext, eventId: string, channelId: string, reason: string): Promise<void> {
  await markDead(ctx.db, eventId, reason)
  await recordChannelError(ctx.db, channelId, reason, ctx.clock.now())
  ctx.log.warn({ eventId, channelId, reason }, 'inbound event dead-lettered')
  ctx.realtime.publish('channel.updated', rooms.inbox(), { channelId })
}

/** Pushes what changed to the console, after the commit that made it real. */
async function publishApplied(ctx: AppContext, applied: AppliedEvents): Promise<void> {
  const messages = await findMessages(ctx.db, [...applied.createdMessageIds, ...applied.updatedMessageIds])
  const conversationIds = [...new Set(messages.map((m) => m.conversationId))]
  const summaries = new Map((await findConversationSummaries(ctx.db, conversationIds)).map((row) => [row.id, toConversationSummary(row)]))
  const created = new Set(applied.createdMessageIds)
  for (const row of messages) {
    const conversation = summaries.get(row.conversationId)
    if (!conversation) continue
    if (created.has(row.id)) ctx.realtime.publish('message.created', rooms.inbox(), { conversation, message: toMessage(row) })
    else ctx.realtime.publish('message.updated', rooms.inbox(), { message: toMessage(row) })
  }
}

export const ingestHandler = defineHandler(ingestTask, async (ctx, { eventId }, job) => {
  const event = await findInboundEvent(ctx.db, eventId)
  if (!event || event.status !== 'pending') return
  const channel = await findChannel(ctx.db, event.channelId)
  if (!channel) return

  let events: InboundEvent[]
  try {
    events = connectors[channel.kind as keyof typeof connectors].parse(event.payload, toRuntime(ctx, channel))
  } catch (error) {
    // Parsing is deterministic: a payload that fails once fails every time, so it goes straight to the dead letter.
    await deadLetter(ctx, eventId, channel.id, `Could not read the payload: ${(error as Error).message}`)
    return
  }

  let applied: AppliedEvents
  try {
    applied = await ctx.db.transaction().execute(async (trx) => {
      const result = await applyEvents(trx, channel.id, events)
      await markProcessed(trx, eventId, ctx.clock.now())
      return result
    })
  } catch (error) {
    const message = (error as Error).message
    if (job.attempts >= job.maxAttempts) {
      await deadLetter(ctx, eventId, channel.id, `Failed ${job.attempts} times: ${message}`)
      return
    }
    await markAttempt(ctx.db, eventId, message)
    throw error
  }
  await recordChannelEvent(ctx.db, channel.id, ctx.clock.now())
  await publishApplied(ctx, applied)
})
