import type { ChannelKind, ConversationStatus, CustomerPanel } from '@carebox/shared'
import { idsOrNone, teamOfConversation } from '../auth/scope.js'
import type { Database } from '../db/client.js'

/** The customer beside a conversation: who they are on every channel, and every conversation the caller may see. */
export async function loadCustomerPanel(db: Database, contactId: string, teamIds: string[] | null): Promise<CustomerPanel | undefined> {
  const contact = await db
    .selectFrom('contacts')
    .select(['id', 'name', 'handle', 'language', 'firstSeenAt', 'lastSeenAt', 'tags', 'attributes'])
    .where('id', '=', contactId)
    .executeTakeFirst()
  if (!contact) return undefined
  let identities = db
    .selectFrom('contactIdentities as i')
    .innerJoin('channels as ch', 'ch.id', 'i.channelId')
    .select(['i.externalId', 'i.name', 'i.handle', 'ch.id as channelId', 'ch.kind as channelKind', 'ch.name as channelName'])
    .where('i.contactId', '=', contactId)
    .orderBy('ch.name')
  let conversations = db
    .selectFrom('conversations as c')
    .innerJoin('channels as ch', 'ch.id', 'c.channelId')
    .select([
      'c.id',
      'c.kind',
      'c.status',
      'c.messageCount',
      'c.lastMessageAt',
      'c.lastMessagePreview',
      'ch.id as channelId',
      'ch.kind as channelKind',
      'ch.name as channelName',
    ])
    .where('c.contactId', '=', contactId)
    .orderBy('c.lastMessageAt', 'desc')
    .limit(50)
  if (teamIds) {
    identities = identities.where('ch.teamId', 'in', idsOrNone(teamIds))
    conversations = conversations.where(teamOfConversation('c'), 'in', idsOrNone(teamIds))
  }
  const notes = db
    .selectFrom('contactNotes as n')
    .leftJoin('users as u', 'u.id', 'n.authorUserId')
    .select(['n.id', 'n.text', 'n.createdAt', 'n.authorUserId', 'u.name as authorName'])
    .where('n.contactId', '=', contactId)
    .orderBy('n.createdAt', 'desc')
    .limit(50)
  const merges = db
    .selectFrom('contactMerges as m')
    .innerJoin('contacts as c', 'c.id', 'm.mergedContactId')
    .select(['m.id', 'm.mergedAt', 'c.id as mergedId', 'c.name', 'c.handle'])
    .where('m.keptContactId', '=', contactId)
    .where('m.undoneAt', 'is', null)
    .orderBy('m.mergedAt', 'desc')
  const [identityRows, conversationRows, noteRows, mergeRows] = await Promise.all([
    identities.execute(),
    conversations.execute(),
    notes.execute(),
    merges.execute(),
  ])
  return {
    id: contact.id,
    name: contact.name,
    handle: contact.handle,
    language: contact.language,
    firstSeenAt: contact.firstSeenAt.toISOString(),
    lastSeenAt: contact.lastSeenAt.toISOString(),
    tags: contact.tags,
    attributes: contact.attributes as Record<string, string>,
    notes: noteRows.map((row) => ({
      id: row.id,
      text: row.text,
      author: row.authorUserId ? { id: row.authorUserId, name: row.authorName ?? '' } : null,
      createdAt: row.createdAt.toISOString(),
    })),
    merges: mergeRows.map((row) => ({ id: row.id, merged: { id: row.mergedId, name: row.name, handle: row.handle }, mergedAt: row.mergedAt.toISOString() })),
    identities: identityRows.map((row) => ({
      channel: { id: row.channelId, kind: row.channelKind as ChannelKind, name: row.channelName },
      externalId: row.externalId,
      name: row.name,
      handle: row.handle,
    })),
    conversations: conversationRows.map((row) => ({
      id: row.id,
      channel: { id: row.channelId, kind: row.channelKind as ChannelKind, name: row.channelName },
      kind: row.kind as 'dm' | 'public',
      status: row.status as ConversationStatus,
      messageCount: row.messageCount,
      lastMessageAt: row.lastMessageAt.toISOString(),
      lastMessagePreview: row.lastMessagePreview,
    })),
  }
}
