import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { visibleTeamIds, type Identity } from './identity.js'

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
    query = query.where(sql<string>`coalesce(conversations.team_id, channels.team_id)`, 'in', teams.length > 0 ? teams : ['00000000-0000-0000-0000-000000000000'])
  }
  if (!(await query.executeTakeFirst())) throw new AppError('not_found', 'No such conversation.')
}

/** Same rule for a channel. */
export async function assertChannelVisible(db: Database, identity: Identity, channelId: string): Promise<void> {
  const teams = visibleTeamIds(identity)
  let query = db.selectFrom('channels').select('id').where('id', '=', channelId)
  if (teams) query = query.where('teamId', 'in', teams.length > 0 ? teams : ['00000000-0000-0000-0000-000000000000'])
  if (!(await query.executeTakeFirst())) throw new AppError('not_found', 'No such channel.')
}
