import type { Database } from '../db/client.js'

/** What an upload is checked against: the conversation's channel and whether it is a chat or a public thread. */
export async function findUploadTarget(db: Database, conversationId: string) {
  return db
    .selectFrom('conversations')
    .innerJoin('channels', 'channels.id', 'conversations.channelId')
    .select(['conversations.id', 'conversations.kind as conversationKind', 'channels.kind as channelKind', 'channels.name as channelName'])
    .where('conversations.id', '=', conversationId)
    .executeTakeFirst()
}

export async function insertFile(
  db: Database,
  file: { conversationId: string; uploadedBy: string; name: string; mimeType: string; kind: string; size: number; sha256: string; storageKey: string },
) {
  return db.insertInto('files').values(file).returning(['id', 'name', 'mimeType', 'kind', 'size']).executeTakeFirstOrThrow()
}

export async function findFile(db: Database, id: string) {
  return db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Ties a file to the reply that sends it; only a file no reply has taken yet. Undefined when it was taken. */
export async function attachFileToMessage(db: Database, fileId: string, messageId: string) {
  return db.updateTable('files').set({ messageId }).where('id', '=', fileId).where('messageId', 'is', null).returning('id').executeTakeFirst()
}

/** Removes an upload nobody sent; answers its storage key, or undefined when a reply took it meanwhile. */
export async function deleteUnsentFile(db: Database, id: string) {
  return db.deleteFrom('files').where('id', '=', id).where('messageId', 'is', null).returning('storageKey').executeTakeFirst()
}
