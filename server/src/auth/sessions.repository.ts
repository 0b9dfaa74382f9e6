import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import type { Identity } from './identity.js'
import { hashSecret, randomSecret } from './secrets.js'

/** A session ends after this long without a request, and after sessionMaxAgeMs whatever happens. */
export const sessionIdleMs = 12 * 60 * 60 * 1000
export const sessionMaxAgeMs = 7 * 24 * 60 * 60 * 1000

export async function createSession(
  db: Database,
  input: { userId: string; ip: string; userAgent: string | null; now: Date },
): Promise<{ token: string; sessionId: string; csrfToken: string }> {
  const token = randomSecret()
  const csrfToken = randomSecret()
  const row = await db
    .insertInto('sessions')
    .values({
      tokenHash: hashSecret(token),
      userId: input.userId,
      csrfToken,
      ip: input.ip,
      userAgent: input.userAgent,
      createdAt: input.now,
      lastSeenAt: input.now,
      expiresAt: new Date(input.now.getTime() + sessionMaxAgeMs),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { token, sessionId: row.id, csrfToken }
}

/** The identity behind a session cookie, if the session is live and its user active. Refreshes its last use. */
export async function findSessionIdentity(db: Database, token: string, now: Date): Promise<Extract<Identity, { kind: 'user' }> | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.userId')
    .select([
      's.id as sessionId',
      's.csrfToken',
      's.lastSeenAt',
      'u.id as userId',
      'u.email',
      'u.name',
      'u.role',
      sql<string[]>`array(select team_id from team_members m where m.user_id = u.id order by team_id)`.as('teamIds'),
    ])
    .where('s.tokenHash', '=', hashSecret(token))
    .where('s.expiresAt', '>', now)
    .where('s.lastSeenAt', '>', new Date(now.getTime() - sessionIdleMs))
    .where('u.active', '=', true)
    .executeTakeFirst()
  if (!row) return null
  // Last use to the minute is enough to expire idle sessions; writing it on every request is not worth it.
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000) {
    await db.updateTable('sessions').set({ lastSeenAt: now }).where('id', '=', row.sessionId).execute()
  }
  return {
    kind: 'user',
    userId: row.userId,
    email: row.email,
    name: row.name,
    role: row.role as Extract<Identity, { kind: 'user' }>['role'],
    teamIds: row.teamIds,
    sessionId: row.sessionId,
    csrfToken: row.csrfToken,
  }
}

export async function deleteSession(db: Database, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute()
}

export async function deleteSessionByToken(db: Database, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('tokenHash', '=', hashSecret(token)).execute()
}

export async function deleteUserSessions(db: Database, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('userId', '=', userId).execute()
}
