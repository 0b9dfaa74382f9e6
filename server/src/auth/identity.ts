import type { Role, TokenScope } from '@carebox/shared'
import type { FastifyRequest } from 'fastify'
import { AppError } from '../errors.js'

/** Who is calling: a signed-in person, or an integration holding an API token. */
export type Identity =
  | {
      kind: 'user'
      userId: string
      email: string
      name: string
      role: Role
      teamIds: string[]
      sessionId: string
      csrfToken: string
    }
  | {
      kind: 'token'
      tokenId: string
      name: string
      scopes: TokenScope[]
      /** The teams whose customers and conversations the token may reach; null: every team's (the admin's choice). */
      teamIds: string[] | null
    }

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the access check before any handler of a non-public route runs. */
    identity?: Identity
  }
}

/** The caller of a non-public route; the access check has already made sure there is one. */
export function identityOf(request: FastifyRequest): Identity {
  if (!request.identity) throw new AppError('unauthorized', 'Sign in to continue.')
  return request.identity
}

/**
 * The teams whose channels the caller may see, or null for all of them: admins see every team, and an API token
 * the teams its admin limited it to (every team unless limited).
 */
export function visibleTeamIds(identity: Identity): string[] | null {
  if (identity.kind === 'token') return identity.teamIds
  if (identity.role === 'admin') return null
  return identity.teamIds
}

/** For the audit log: who did it, from where. */
export function actorOf(request: FastifyRequest): { userId: string | null; tokenId: string | null; ip: string; userAgent: string | null } {
  const identity = request.identity
  return {
    userId: identity?.kind === 'user' ? identity.userId : null,
    tokenId: identity?.kind === 'token' ? identity.tokenId : null,
    ip: request.ip,
    userAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
  }
}
