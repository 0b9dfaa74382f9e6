import type { Role } from '@carebox/shared'
import type { Database } from '../db/client.js'

/** A single-use link still worth emailing: not used, withdrawn or expired. */
export async function findUsableLink(db: Database, linkId: string, now: Date) {
  const row = await db
    .selectFrom('authLinks as l')
    .leftJoin('users as inviter', 'inviter.id', 'l.createdBy')
    .select(['l.kind', 'l.email', 'l.role', 'l.teamIds', 'l.expiresAt', 'inviter.name as inviterName'])
    .where('l.id', '=', linkId)
    .where('l.usedAt', 'is', null)
    .where('l.revokedAt', 'is', null)
    .where('l.expiresAt', '>', now)
    .executeTakeFirst()
  return row && { ...row, role: row.role as Role }
}

export async function listTeamNames(db: Database, teamIds: readonly string[]): Promise<string[]> {
  if (teamIds.length === 0) return []
  const rows = await db.selectFrom('teams').select('name').where('id', 'in', teamIds).orderBy('name').execute()
  return rows.map((row) => row.name)
}

/**
 * A note and the person it mentions, when that person may still be told: active, and still able to see the
 * conversation (an admin, or a member of its team), so an email never shows a conversation to someone who lost it.
 */
export async function findMention(db: Database, messageId: string, userId: string) {
  return db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversationId')
    .innerJoin('contacts as ct', 'ct.id', 'c.contactId')
    .innerJoin('channels as ch', 'ch.id', 'c.channelId')
    .leftJoin('users as author', 'author.id', 'm.authorUserId')
    .innerJoin('users as u', (join) => join.on('u.id', '=', userId).on('u.active', '=', true))
    .select([
      'm.text',
      'm.conversationId',
      'ct.name as customerName',
      'ct.handle as customerHandle',
      'ch.name as channelName',
      'author.name as authorName',
      'u.email',
      'u.name',
      'u.presence',
    ])
    .where('m.id', '=', messageId)
    .where('m.kind', '=', 'note')
    .where('m.deletedAt', 'is', null)
    .where((eb) =>
      eb.or([
        eb('u.role', '=', 'admin'),
        eb.exists(eb.selectFrom('teamMembers as tm').select('tm.userId').whereRef('tm.userId', '=', 'u.id').whereRef('tm.teamId', '=', 'c.teamId')),
      ]),
    )
    .executeTakeFirst()
}
