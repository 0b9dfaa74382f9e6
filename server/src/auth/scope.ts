import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { visibleTeamIds, type Identity } from './identity.js'

/** Ids for an `in (…)` that may be empty: SQL has no empty list, so an id no row has stands in for none. */
export function idsOrNone(ids: string[]): string[] {
  return ids.length > 0 ? ids : ['00000000-0000-0000-0000-000000000000']
}

/** The team that works a conversation: stored on it (its channel's, or the one it was moved to). */
export function teamOfConversation(conversation = 'conversations') {
  return sql.ref<string>(`${conversation}.team_id`)
}

/**
 * Throws not_found (never forbidden: that would confirm the conversation exists) unless the caller may see
 * the conversation, that is, one of their teams works it (the team it was moved to, else its channel's).
 */
export async function assertConversationVisible(db: Database, identity: Identity, conversationId: string): Promise<void> {
  const teams = visibleTeamIds(identity)
  let query = db
    .selectFrom('conversations')
    .innerJoin('channels', 'channels.id', 'conversations.channelId')
    .select('conversations.id')
    .where('conversations.id', '=', conversationId)
  if (teams) {
    query = query.where(teamOfConversation(), 'in', idsOrNone(teams))
  }
  if (!(await query.executeTakeFirst())) throw new AppError('not_found', 'No such conversation.')
}

/** Same rule for a channel. */
export async function assertChannelVisible(db: Database, identity: Identity, channelId: string): Promise<void> {
  const teams = visibleTeamIds(identity)
  let query = db.selectFrom('channels').select('id').where('id', '=', channelId)
  if (teams) query = query.where('teamId', 'in', idsOrNone(teams))
  if (!(await query.executeTakeFirst())) throw new AppError('not_found', 'No such channel.')
}
