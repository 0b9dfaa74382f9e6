import { sessionCookie, type Session } from '@carebox/shared'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { findUser, listTeams } from './users.repository.js'
import { createSession, deleteSessionByToken, sessionMaxAgeMs } from './sessions.repository.js'

function isSecure(ctx: AppContext, request: FastifyRequest): boolean {
  return request.protocol === 'https' || (ctx.config.publicUrl?.startsWith('https://') ?? false)
}

/**
 * Signs a user in: a new session every time (a session id planted before sign-in is never promoted, and is
 * ended), with its cookie out of reach of scripts and of other sites' requests.
 */
export async function startSession(ctx: AppContext, db: Database, request: FastifyRequest, reply: FastifyReply, userId: string): Promise<Session> {
  const previous = request.cookies[sessionCookie]
  if (previous) await deleteSessionByToken(db, previous)
  const now = ctx.clock.now()
  const session = await createSession(db, { userId, ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 300) ?? null, now })
  await db.updateTable('users').set({ lastLoginAt: now }).where('id', '=', userId).execute()
  reply.setCookie(sessionCookie, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecure(ctx, request),
    maxAge: sessionMaxAgeMs / 1000,
  })
  return sessionView(db, userId, session.csrfToken)
}

export function clearSessionCookie(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(sessionCookie, { path: '/', httpOnly: true, sameSite: 'lax', secure: isSecure(ctx, request) })
}

export async function sessionView(db: Database, userId: string, csrfToken: string): Promise<Session> {
  const user = await findUser(db, userId)
  if (!user) throw new AppError('unauthorized', 'Sign in to continue.')
  const teams = await listTeams(db, user.role === 'admin' ? null : user.teamIds)
  return { user, teams, csrfToken }
}
