import { sql } from 'kysely'
import type { Attachment, DeliveryStatus } from '../channels/connector.js'
import type { Database } from '../db/client.js'
import type { Json } from '../db/database.gen.js'

export const messageColumns = [
  'messages.id',
  'messages.conversationId',
  'messages.kind',
  'messages.authorUserId',
  'agents.name as agentName',
  'messages.direction',
  'messages.authorKind',
  'messages.authorContactId',
  'contacts.name as authorName',
  'contacts.handle as authorHandle',
  'messages.text',
  'messages.attachments',
  'messages.status',
  'messages.error',
  'messages.reactions',
  'messages.sentAt',
  'messages.editedAt',
  'messages.deletedAt',
  'messages.automated',
  'messages.closesLoop',
  'messages.replyContext',
  'messages.language',
  'messages.sentiment',
  'messages.sentimentOverride',
] as const

/** Messages with their author's name, as the API shows them. */
function messagesWithAuthors(db: Database) {
  return db
    .selectFrom('messages')
    .innerJoin('conversations as thread', 'thread.id', 'messages.conversationId')
    .innerJoin('channels as via', 'via.id', 'messages.channelId')
    .leftJoin('contacts', 'contacts.id', 'messages.authorContactId')
    .leftJoin('users as agents', 'agents.id', 'messages.authorUserId')
    .select(messageColumns)
    .select(commentColumns)
}

/** Facebook and Instagram public threads, where each comment is acted on by itself. */
const isCommentThread = sql<boolean>`(thread.kind = 'public' and via.kind in ('facebook', 'instagram'))`

/**
 * What a public thread shows beside each message: for a customer's comment, what was done to it and the latest
 * action asked for; for a reply, the comment it answers. Elsewhere these are null and cost nothing.
 */
const commentColumns = [
  'messages.hiddenAt',
  'messages.likedAt',
  sql<boolean>`${isCommentThread}`.as('inCommentThread'),
  sql<{ action: 'hide' | 'unhide' | 'delete' | 'like'; status: 'queued' | 'done' | 'failed'; error: string | null } | null>`case
    when ${isCommentThread} and messages.direction = 'inbound' then
      (select json_build_object('action', a.action, 'status', a.status, 'error', a.error) from comment_actions a
        where a.message_id = messages.id order by a.created_at desc limit 1) end`.as('commentAction'),
  sql<boolean>`case when ${isCommentThread} and messages.direction = 'inbound' then exists (
      select 1 from messages r where r.conversation_id = messages.conversation_id and r.direction = 'outbound'
        and r.reply_to_external_id = messages.external_id and r.reply_context->>'visibility' = 'private' and r.status <> 'failed')
    else false end`.as('privateReplied'),
  sql<{ messageId: string; author: string | null; excerpt: string } | null>`case
    when thread.kind = 'public' and messages.direction = 'outbound' and messages.reply_to_external_id is not null then
      (select json_build_object('messageId', t.id, 'author', tc.name, 'excerpt', left(t.text, 80)) from messages t
        left join contacts tc on tc.id = t.author_contact_id
        where t.channel_id = messages.channel_id and t.external_id = messages.reply_to_external_id) end`.as('inReplyTo'),
] as const

/** Inserts a message unless the channel already has one with this platform id; returns the new id or undefined. */
export async function insertMessageOnce(
  db: Database,
  message: {
    conversationId: string
    channelId: string
    externalId: string
    direction: 'inbound' | 'outbound'
    authorKind: 'contact' | 'agent' | 'platform'
    authorContactId: string | null
    text: string
    attachments: Attachment[]
    status: 'received' | 'sent'
    replyToExternalId?: string
    replyContext?: Record<string, string>
    sentAt: Date
    language?: string | null
    /** The model's label of a customer's message (null for others). */
    sentiment?: string | null
    /** A customer's rating, its comment, or a thanks after a resolve: kept, but it reopens nothing (see surveys/). */
    closesLoop?: 'rating' | 'comment' | 'thanks' | null
  },
): Promise<string | undefined> {
  const row = await db
    .insertInto('messages')
    .values({
      conversationId: message.conversationId,
      channelId: message.channelId,
      externalId: message.externalId,
      direction: message.direction,
      authorKind: message.authorKind,
      authorContactId: message.authorContactId,
      text: message.text,
      attachments: JSON.stringify(message.attachments),
      status: message.status,
      replyToExternalId: message.replyToExternalId ?? null,
      replyContext: message.replyContext ? JSON.stringify(message.replyContext) : null,
      sentAt: message.sentAt,
      language: message.language ?? null,
      sentiment: message.sentiment ?? null,
      closesLoop: message.closesLoop ?? null,
    })
    .onConflict((oc) => oc.constraint('messages_channel_id_external_id_key').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

export async function messageExists(db: Database, channelId: string, externalId: string): Promise<boolean> {
  const row = await db.selectFrom('messages').select('id').where('channelId', '=', channelId).where('externalId', '=', externalId).executeTakeFirst()
  return row !== undefined
}

/** Status order: a status only ever moves forward (a late 'delivered' never undoes 'read'). */
const rank = sql`case status when 'queued' then 0 when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 else 9 end`
const rankOf: Record<DeliveryStatus, number> = { sent: 1, delivered: 2, read: 3, failed: 9 }

export async function applyStatus(db: Database, channelId: string, externalId: string, status: DeliveryStatus, at: Date, error?: string): Promise<string[]> {
  await db
    .insertInto('messageReceipts')
    .values({ channelId, externalId, status, error: error ?? null, reportedAt: at })
    .onConflict((oc) => oc.constraint('message_receipts_channel_id_external_id_status_key').doNothing())
    .execute()
  const rows = await db
    .updateTable('messages')
    .set({ status, ...(status === 'failed' && { error: error ?? 'The platform reported the message as failed' }), updatedAt: sql`now()` })
    .where('channelId', '=', channelId)
    .where('externalId', '=', externalId)
    .where('direction', '=', 'outbound')
    // 'failed' only replaces a status the platform has not confirmed as delivered or read.
    .where(status === 'failed' ? sql<boolean>`${rank} <= 1` : sql<boolean>`${rank} < ${rankOf[status]}`)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** Marks our messages in a thread sent up to the watermark as delivered or read. */
export async function applyWatermark(db: Database, channelId: string, threadKey: string, status: 'delivered' | 'read', watermark: Date): Promise<string[]> {
  const rows = await db
    .updateTable('messages')
    .set({ status, updatedAt: sql`now()` })
    .where('channelId', '=', channelId)
    .where('direction', '=', 'outbound')
    // Notes and events are outbound rows too, but never reach the customer: a watermark says nothing of them.
    .where('kind', '=', 'message')
    .where('sentAt', '<=', watermark)
    // A reply still in the outbox has not reached the platform, whatever the watermark says.
    .where('status', '<>', 'queued')
    .where(sql<boolean>`${rank} < ${rankOf[status]}`)
    .where('conversationId', '=', (eb) => eb.selectFrom('conversations').select('id').where('channelId', '=', channelId).where('threadKey', '=', threadKey))
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** A customer's message whose sentiment a person may set, with what it carries now. */
export function findSentimentSubject(db: Database, messageId: string) {
  return db
    .selectFrom('messages')
    .select(['id', 'conversationId', 'direction', 'kind', 'text', 'language', 'sentiment', 'sentimentOverride'])
    .where('id', '=', messageId)
    .executeTakeFirst()
}

/**
 * Sets or clears (null) a person's sentiment label, with who and when. The model's label is stored too where it
 * never was (a message from before labels), so what the person overrode stays on record.
 */
export async function updateSentimentOverride(
  db: Database,
  messageId: string,
  change: { label: string | null; model: string; by: string | null; at: Date },
): Promise<void> {
  const isSet = change.label !== null
  await db
    .updateTable('messages')
    .set({
      sentimentOverride: change.label,
      sentimentSetBy: isSet ? change.by : null,
      sentimentSetAt: isSet ? change.at : null,
      sentiment: sql<string>`coalesce(sentiment, ${change.model})`,
      updatedAt: sql`now()`,
    })
    .where('id', '=', messageId)
    .execute()
}

/** A customer's edit: the text, and the model's label of the new text (`sentiment`), which stays only on theirs. */
export async function editMessage(db: Database, channelId: string, externalId: string, text: string, at: Date, sentiment?: string): Promise<string[]> {
  const rows = await db
    .updateTable('messages')
    .set({
      text,
      editedAt: at,
      updatedAt: sql`now()`,
      ...(sentiment !== undefined && { sentiment: sql<string | null>`case when direction = 'inbound' and kind = 'message' then ${sentiment} end` }),
    })
    .where('channelId', '=', channelId)
    .where('externalId', '=', externalId)
    .where((eb) => eb.or([eb('editedAt', 'is', null), eb('editedAt', '<', at)]))
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

export async function deleteMessage(db: Database, channelId: string, externalId: string, at: Date): Promise<string[]> {
  const rows = await db
    .updateTable('messages')
    .set({ deletedAt: at, updatedAt: sql`now()` })
    .where('channelId', '=', channelId)
    .where('externalId', '=', externalId)
    .where('deletedAt', 'is', null)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** Adds or removes one person's reaction; a person has at most one reaction per message, as on Messenger. */
export async function reactToMessage(
  db: Database,
  channelId: string,
  externalId: string,
  reaction: { by: string; emoji: string; action: 'react' | 'unreact' },
): Promise<string[]> {
  const others = sql`coalesce((select jsonb_agg(r) from jsonb_array_elements(reactions) r where r->>'by' <> ${reaction.by}), '[]'::jsonb)`
  const next =
    reaction.action === 'react'
      ? sql<Json>`${others} || jsonb_build_array(jsonb_build_object('emoji', ${reaction.emoji}::text, 'by', ${reaction.by}::text))`
      : sql<Json>`${others}`
  const rows = await db
    .updateTable('messages')
    .set({ reactions: next, updatedAt: sql`now()` })
    .where('channelId', '=', channelId)
    .where('externalId', '=', externalId)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

export function findMessages(db: Database, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([])
  return messagesWithAuthors(db).where('messages.id', 'in', ids).execute()
}

export function listMessages(db: Database, conversationId: string) {
  return messagesWithAuthors(db)
    .where('messages.conversationId', '=', conversationId)
    .orderBy('messages.sentAt')
    .orderBy('messages.createdAt')
    .limit(1000)
    .execute()
}

/**
 * A line in the conversation's thread that is not a message to the customer: an event ("resolved by…") or an
 * internal note, by a person or by Carebox (authorUserId null). Not sent, not counted as a message. With a client
 * key, the same key twice stores it once (answers undefined the second time).
 */
export async function insertActivity(
  db: Database,
  entry: { conversationId: string; channelId: string; kind: 'event' | 'note'; text: string; authorUserId?: string | null; at: Date; clientKey?: string },
): Promise<string | undefined> {
  const row = await db
    .insertInto('messages')
    .values({
      conversationId: entry.conversationId,
      channelId: entry.channelId,
      kind: entry.kind,
      direction: 'outbound',
      authorKind: 'agent',
      authorUserId: entry.authorUserId ?? null,
      text: entry.text,
      status: 'sent',
      clientKey: entry.clientKey ?? null,
      sentAt: entry.at,
    })
    .onConflict((oc) => oc.columns(['conversationId', 'clientKey']).where('clientKey', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

/** insertActivity for a line that has no client key: always stored. */
export async function insertEvent(
  db: Database,
  entry: Omit<Parameters<typeof insertActivity>[1], 'kind' | 'clientKey'> & { kind?: 'event' | 'note' },
): Promise<string> {
  const id = await insertActivity(db, { ...entry, kind: entry.kind ?? 'event' })
  if (!id) throw new Error('an event without a client key is always stored')
  return id
}

/**
 * A reply queued for the outbox, by a person or by Carebox (automated: the out-of-hours acknowledgement), counted
 * into its conversation (messages, latest time and preview). With a client key, the same key twice stores it once.
 */
export async function insertQueuedReply(
  db: Database,
  reply: {
    conversationId: string
    channelId: string
    text: string
    authorUserId: string | null
    automated?: boolean
    clientKey?: string
    replyContext: Record<string, string>
    /** Public threads: the comment this reply answers. */
    replyToExternalId?: string | null
    /** A file the reply carries (an upload of ours, see files/). */
    attachments?: unknown[]
    at: Date
  },
): Promise<string | undefined> {
  const row = await db
    .insertInto('messages')
    .values({
      conversationId: reply.conversationId,
      channelId: reply.channelId,
      kind: 'message',
      direction: 'outbound',
      authorKind: 'agent',
      authorUserId: reply.authorUserId,
      automated: reply.automated ?? false,
      text: reply.text,
      status: 'queued',
      clientKey: reply.clientKey ?? null,
      replyContext: JSON.stringify(reply.replyContext),
      replyToExternalId: reply.replyToExternalId ?? null,
      attachments: JSON.stringify(reply.attachments ?? []),
      sentAt: reply.at,
    })
    .onConflict((oc) => oc.columns(['conversationId', 'clientKey']).where('clientKey', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!row) return undefined
  await db
    .updateTable('conversations')
    .set({
      messageCount: sql`message_count + 1`,
      lastMessageAt: sql`greatest(last_message_at, ${reply.at})`,
      lastMessagePreview: reply.text.trim().slice(0, 140),
      updatedAt: reply.at,
    })
    .where('id', '=', reply.conversationId)
    .execute()
  return row.id
}
