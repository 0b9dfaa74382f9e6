import type { Database } from '../db/client.js'

/** What the media proxy needs of a message: where it belongs and its stored attachments. */
export async function findMessageAttachments(db: Database, messageId: string) {
  return db
    .selectFrom('messages')
    .select(['messages.id', 'messages.conversationId', 'messages.channelId', 'messages.attachments'])
    .where('messages.id', '=', messageId)
    .executeTakeFirst()
}
