import type { Role, Team, User } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'

const teamIdsOfUser = sql<string[]>`array(select team_id from team_members m where m.user_id = users.id order by team_id)`

function toUser(row: {
  id: string
  email: string
  name: string
  role: string
  teamIds: string[]
  active: boolean
  createdAt: Date
  lastLoginAt: Date | null
}): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    teamIds: row.teamIds,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
  }
}

function selectUsers(db: Database) {
  return db.selectFrom('users').select(['id', 'email', 'name', 'role', 'active', 'createdAt', 'lastLoginAt', teamIdsOfUser.as('teamIds')])
}

export async function listUsers(db: Database): Promise<User[]> {
  return (await selectUsers(db).orderBy('name').orderBy('id').execute()).map(toUser)
}

export async function findUser(db: Database, id: string): Promise<User | undefined> {
  const row = await selectUsers(db).where('id', '=', id).executeTakeFirst()
  return row && toUser(row)
}

export async function findUserForLogin(db: Database, email: string) {
  return db.selectFrom('users').select(['id', 'passwordHash', 'active']).where('email', '=', email).executeTakeFirst()
}

export async function countUsers(db: Database): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function insertUser(db: Database, input: { email: string; name: string; role: Role; passwordHash: string; teamIds: string[] }): Promise<string> {
  const row = await db
    .insertInto('users')
    .values({ email: input.email, name: input.name, role: input.role, passwordHash: input.passwordHash })
    .returning('id')
    .executeTakeFirstOrThrow()
  await setUserTeams(db, row.id, input.teamIds)
  return row.id
}

export async function setUserTeams(db: Database, userId: string, teamIds: string[]): Promise<void> {
  await db.deleteFrom('teamMembers').where('userId', '=', userId).execute()
  if (teamIds.length > 0) {
    await db
      .insertInto('teamMembers')
      .values(teamIds.map((teamId) => ({ teamId, userId })))
      .execute()
  }
}

/** Active admins other than `exceptUserId`: the last admin may not be demoted or deactivated. */
export async function countOtherActiveAdmins(db: Database, exceptUserId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .where('id', '<>', exceptUserId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Who can work a team's conversations: its active members, and every active admin. */
export async function teamMembers(db: Database, teamId: string): Promise<{ id: string; name: string; role: Role }[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'role'])
    .where('active', '=', true)
    .where((eb) =>
      eb.or([
        eb('role', '=', 'admin'),
        eb.exists(eb.selectFrom('teamMembers as m').select('m.userId').whereRef('m.userId', '=', 'users.id').where('m.teamId', '=', teamId)),
      ]),
    )
    .orderBy('name')
    .execute()
  return rows.map((row) => ({ ...row, role: row.role as Role }))
}

export function toTeam(row: { id: string; name: string; createdAt: Date }): Team {
  return { id: row.id, name: row.name, createdAt: row.createdAt.toISOString() }
}

export async function listTeams(db: Database, onlyIds: string[] | null): Promise<Team[]> {
  let query = db.selectFrom('teams').select(['id', 'name', 'createdAt']).orderBy('name')
  if (onlyIds) {
    if (onlyIds.length === 0) return []
    query = query.where('id', 'in', onlyIds)
  }
  return (await query.execute()).map(toTeam)
}

/** The ids among `ids` that are not teams. */
export async function unknownTeamIds(db: Database, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const found = new Set((await db.selectFrom('teams').select('id').where('id', 'in', ids).execute()).map((row) => row.id))
  return ids.filter((id) => !found.has(id))
}
