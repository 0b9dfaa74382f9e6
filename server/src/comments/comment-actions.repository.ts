import type { CommentActionKind } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'

/** A customer's comment an action may be asked for: in a public Facebook or Instagram thread. */
export async function findComment(db: Database, messageId: string) {
  return db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversationId')
    .innerJoin('channels as ch', 'ch.id', 'm.channelId')
    .select(['m.id', 'm.conversationId', 'm.channelId', 'm.externalId', 'm.direction', 'm.kind', 'm.deletedAt', 'm.hiddenAt', 'm.likedAt'])
    .select(['c.kind as conversationKind', 'ch.kind as channelKind'])
    .where('m.id', '=', messageId)
    .executeTakeFirst()
}

export async function insertCommentAction(
  db: Database,
  action: { messageId: string; action: CommentActionKind; requestedBy: string | null; at: Date },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    insert into comment_actions (message_id, action, requested_by, created_at)
    values (${action.messageId}, ${action.action}, ${action.requestedBy}, ${action.at}) returning id`.execute(db)
  return rows[0]!.id
}

export async function findCommentAction(db: Database, id: string) {
  const { rows } = await sql<{
    id: string
    messageId: string
    action: CommentActionKind
    status: 'queued' | 'done' | 'failed'
    externalId: string | null
    channelId: string
    conversationId: string
  }>`
    select a.id, a.message_id as "messageId", a.action, a.status, m.external_id as "externalId", m.channel_id as "channelId",
      m.conversation_id as "conversationId"
    from comment_actions a join messages m on m.id = a.message_id where a.id = ${id}`.execute(db)
  return rows[0]
}

/** The platform did it: the comment shows it, and the action is done. */
export async function completeCommentAction(db: Database, id: string, messageId: string, action: CommentActionKind, at: Date): Promise<void> {
  const change = { hide: { hiddenAt: at }, unhide: { hiddenAt: null }, delete: { deletedAt: at }, like: { likedAt: at } }[action]
  await db
    .updateTable('messages')
    .set({ ...change, updatedAt: at })
    .where('id', '=', messageId)
    .execute()
  await sql`update comment_actions set status = 'done', error = null, done_at = ${at} where id = ${id}`.execute(db)
}

export async function failCommentAction(db: Database, id: string, error: string, at: Date): Promise<void> {
  await sql`update comment_actions set status = 'failed', error = ${error}, done_at = ${at} where id = ${id}`.execute(db)
}
