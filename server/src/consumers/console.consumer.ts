import { rooms, teamAudience, type Notification } from '@carebox/shared'
import type { AppContext } from '../context.js'
import { findConversationSummaries } from '../conversations/conversations.repository.js'
import { toConversationSummary, toMessage } from '../conversations/conversations.service.js'
import { findMessages } from '../conversations/messages.repository.js'
import type { Change } from '../changes/changes.repository.js'
import type { ChangeConsumer } from '../changes/consumer.js'

const conversationTypes = new Set([
  'conversation.created',
  'conversation.updated',
  'conversation.assigned',
  'conversation.transferred',
  'conversation.status_changed',
  'sla.breached',
])

/**
 * The consoles' live events: the fast path. A batch's messages and conversations are read once, as they are
 * now, so a repeated or late change publishes the current state rather than an old one.
 */
export const consoleConsumer: ChangeConsumer = {
  name: 'console',
  mode: 'publish',
  gatherMs: 0,
  batchSize: 500,
  wants: (change) =>
    change.type.startsWith('message.') || conversationTypes.has(change.type) || change.type === 'notification.created' || change.type === 'channel.updated',
  async handle(ctx, _db, changes) {
    if (!ctx.realtime.hasListeners()) return
    await publish(ctx, changes)
  },
}

/** A change with no team (its channel has none) still reaches the admins. */
function audienceOf(teamId: string | null): string[] {
  return teamId ? teamAudience(teamId) : [rooms.allTeams()]
}

function audienceFor(teamId: string, alsoTeamId: string | undefined): string[] {
  return alsoTeamId && alsoTeamId !== teamId ? [...new Set([...teamAudience(teamId), ...teamAudience(alsoTeamId)])] : teamAudience(teamId)
}

async function publish(ctx: AppContext, changes: Change[]): Promise<void> {
  const created = new Set<string>()
  const updated = new Set<string>()
  const teamOf = new Map<string, string | null>()
  const updatedConversations = new Set<string>()
  /** Transferred conversations: the team they left hears too (its consoles drop them). */
  const movedFrom = new Map<string, string>()
  for (const change of changes) {
    if (change.type === 'message.created' && change.messageId) created.add(change.messageId)
    else if (change.type === 'message.updated' && change.messageId) {
      updated.add(change.messageId)
      teamOf.set(change.messageId, change.teamId)
    }
    // A new conversation reaches consoles with its first message, which carries its summary.
    else if (change.conversationId && conversationTypes.has(change.type) && change.type !== 'conversation.created') {
      updatedConversations.add(change.conversationId)
      if (change.type === 'conversation.transferred') movedFrom.set(change.conversationId, String(change.data.fromTeamId))
    }
  }
  const conversationIds = new Set(updatedConversations)
  for (const id of created) updated.delete(id)
  const messages = await findMessages(ctx.db, [...created, ...updated])
  for (const message of messages) if (created.has(message.id)) conversationIds.add(message.conversationId)
  const summaries = new Map((await findConversationSummaries(ctx.db, [...conversationIds])).map((row) => [row.id, toConversationSummary(row)]))
  for (const row of messages) {
    if (!created.has(row.id)) continue
    const conversation = summaries.get(row.conversationId)
    if (!conversation) continue
    ctx.realtime.publish('message.created', teamAudience(conversation.teamId), { conversation, message: toMessage(row) })
  }
  for (const row of messages) {
    if (created.has(row.id)) continue
    ctx.realtime.publish('message.updated', audienceOf(teamOf.get(row.id) ?? null), { message: toMessage(row) })
  }
  // A conversation that changed otherwise (status, assignee, priority, deadline) is updated apart, also where a new
  // message carried its summary: a console with a filtered list may show one and not the other.
  for (const id of updatedConversations) {
    const conversation = summaries.get(id)
    if (conversation) ctx.realtime.publish('conversation.updated', audienceFor(conversation.teamId, movedFrom.get(id)), { conversation })
  }
  const channels = new Map(changes.filter((c) => c.type === 'channel.updated').map((c) => [String(c.data.channelId), c.teamId]))
  for (const [channelId, teamId] of channels) ctx.realtime.publish('channel.updated', audienceOf(teamId), { channelId })
  for (const change of changes) {
    if (change.type !== 'notification.created') continue
    const { userId, notification } = change.data as { userId: string; notification: Notification }
    ctx.realtime.publish('notification.created', rooms.user(userId), notification)
  }
}
