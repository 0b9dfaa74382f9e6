import { sql } from 'kysely'
import type { Database } from '../db/client.js'

/** Moves a thread to a new key (its person's id changed); a no-op when no conversation has the old key. */
export async function renameThread(db: Database, channelId: string, from: string, to: string): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ threadKey: to, updatedAt: sql`now()` })
    .where('channelId', '=', channelId)
    .where('threadKey', '=', from)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('conversations as taken').select('taken.id').where('taken.channelId', '=', channelId).where('taken.threadKey', '=', to))),
    )
    .execute()
}

/**
 * The conversation for a thread, created on its first message. The no-op update on conflict locks the row,
 * so messages of one conversation are applied one transaction at a time, in order.
 */
export async function upsertConversation(
  db: Database,
  input: { channelId: string; threadKey: string; kind: 'dm' | 'public'; contactId: string; subject: string | null; at: Date },
): Promise<string> {
  const row = await db
    .insertInto('conversations')
    .values({
      channelId: input.channelId,
      threadKey: input.threadKey,
      kind: input.kind,
      contactId: input.contactId,
      subject: input.subject,
      lastMessageAt: input.at,
    })
    .onConflict((oc) => oc.constraint('conversations_channel_id_thread_key_key').doUpdateSet({ updatedAt: sql`conversations.updated_at` }))
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Counts a new message into its conversation; a customer's message reopens a resolved or snoozed one. */
export function recordMessageInConversation(
  db: Database,
  conversationId: string,
  message: { sentAt: Date; preview: string; isInbound: boolean },
) {
  return db
    .updateTable('conversations')
    .set({
      messageCount: sql`message_count + 1`,
      lastMessagePreview: sql`case when ${message.sentAt} >= last_message_at then ${message.preview} else last_message_preview end`,
      lastMessageAt: sql`greatest(last_message_at, ${message.sentAt})`,
      ...(message.isInbound && {
        lastInboundAt: sql`greatest(coalesce(last_inbound_at, ${message.sentAt}), ${message.sentAt})`,
        status: 'open',
      }),
      updatedAt: sql`now()`,
    })
    .where('id', '=', conversationId)
    .execute()
}

const summaryColumns = [
  'conversations.id',
  'conversations.kind',
  'conversations.status',
  'conversations.subject',
  'conversations.messageCount',
  'conversations.lastMessageAt',
  'conversations.lastMessagePreview',
  'conversations.lastInboundAt',
  'channels.id as channelId',
  'channels.kind as channelKind',
  'channels.name as channelName',
  'channels.teamId',
  'contacts.id as contactId',
  'contacts.name as contactName',
  'contacts.handle as contactHandle',
] as const

function summaries(db: Database) {
  return db
    .selectFrom('conversations')
    .innerJoin('channels', 'channels.id', 'conversations.channelId')
    .innerJoin('contacts', 'contacts.id', 'conversations.contactId')
    .select(summaryColumns)
}

export type ConversationSummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['execute']>>[number]

export function findConversationSummaries(db: Database, ids: string[]): Promise<ConversationSummaryRow[]> {
  if (ids.length === 0) return Promise.resolve([])
  return summaries(db).where('conversations.id', 'in', ids).execute()
}

export function listConversationSummaries(
  db: Database,
  filter: { teamIds: string[] | null; status?: string; channelId?: string; before?: { at: Date; id: string }; limit: number },
): Promise<ConversationSummaryRow[]> {
  let query = summaries(db)
  if (filter.teamIds) query = query.where('channels.teamId', 'in', filter.teamIds.length > 0 ? filter.teamIds : ['00000000-0000-0000-0000-000000000000'])
  if (filter.status) query = query.where('conversations.status', '=', filter.status)
  if (filter.channelId) query = query.where('conversations.channelId', '=', filter.channelId)
  if (filter.before) {
    const { at, id } = filter.before
    query = query.where(sql<boolean>`(conversations.last_message_at, conversations.id) < (${at}, ${id}::uuid)`)
  }
  return query.orderBy('conversations.lastMessageAt', 'desc').orderBy('conversations.id', 'desc').limit(filter.limit).execute()
}
