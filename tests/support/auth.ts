import { csrfHeader, sessionCookie, type Role } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { hashPassword } from '../../server/src/auth/passwords.js'
import type { AppContext } from '../../server/src/context.js'
import { insertUser } from '../../server/src/auth/users.repository.js'

export const testPassword = 'correct horse battery staple'

// Hashing is the slow part of making a user: hash the shared test password once per file.
let passwordHash: Promise<string> | undefined

export async function firstTeamId(ctx: AppContext): Promise<string> {
  const team = await ctx.db.selectFrom('teams').select('id').orderBy('createdAt').limit(1).executeTakeFirstOrThrow()
  return team.id
}

export async function createTeam(ctx: AppContext, name: string): Promise<string> {
  const row = await ctx.db.insertInto('teams').values({ name }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

let counter = 0
export async function createUser(
  ctx: AppContext,
  input: { role: Role; teamIds?: string[]; email?: string; password?: string; name?: string },
): Promise<{ id: string; email: string; password: string }> {
  counter += 1
  const email = input.email ?? `${input.role}-${counter}-${Date.now()}@example.test`
  const password = input.password ?? testPassword
  const hash = input.password ? await hashPassword(input.password) : await (passwordHash ??= hashPassword(testPassword))
  const id = await insertUser(ctx.db, {
    email,
    name: input.name ?? `${input.role} ${counter}`,
    role: input.role,
    passwordHash: hash,
    teamIds: input.teamIds ?? [await firstTeamId(ctx)],
  })
  return { id, email, password }
}

export interface SignedIn {
  userId: string
  email: string
  cookie: string
  csrfToken: string
  /** Headers for app.inject: the session cookie, and the CSRF token every state-changing request needs. */
  headers: Record<string, string>
}

export async function signIn(app: FastifyInstance, email: string, password: string): Promise<SignedIn> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`)
  const cookie = response.cookies.find((c) => c.name === sessionCookie)
  if (!cookie) throw new Error('sign-in set no session cookie')
  const body = response.json<{ user: { id: string }; csrfToken: string }>()
  return {
    userId: body.user.id,
    email,
    cookie: `${sessionCookie}=${cookie.value}`,
    csrfToken: body.csrfToken,
    headers: { cookie: `${sessionCookie}=${cookie.value}`, [csrfHeader]: body.csrfToken },
  }
}

/** A new user of `role` (in the first team unless told otherwise), signed in. */
export async function signedInAs(ctx: AppContext, app: FastifyInstance, role: Role, teamIds?: string[]): Promise<SignedIn> {
  const user = await createUser(ctx, { role, teamIds })
  return signIn(app, user.email, user.password)
}
