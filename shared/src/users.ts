import { Type, type Static } from '@sinclair/typebox'
import { Role, TokenScope } from './access.js'
import { Id, IsoDateTime, StringEnum } from './common.js'
import { defineRoute } from './contract.js'

export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 })
/** Long enough to resist guessing; capped so hashing a huge input cannot tie up the server. */
export const Password = Type.String({ minLength: 10, maxLength: 200 })
export const PersonName = Type.String({ minLength: 1, maxLength: 120 })

export const Team = Type.Object({ id: Id, name: Type.String(), createdAt: IsoDateTime })
export type Team = Static<typeof Team>

export const User = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  role: Role,
  teamIds: Type.Array(Id),
  active: Type.Boolean(),
  createdAt: IsoDateTime,
  lastLoginAt: Type.Union([IsoDateTime, Type.Null()]),
})
export type User = Static<typeof User>

/** A single-use link: to join (invite), to choose a new password (reset) or to create the first admin (setup). */
export const LinkKind = StringEnum(['invite', 'reset', 'setup'] as const)
export type LinkKind = Static<typeof LinkKind>

export const PendingInvite = Type.Object({
  id: Id,
  email: Type.String(),
  role: Role,
  teamIds: Type.Array(Id),
  expiresAt: IsoDateTime,
  createdAt: IsoDateTime,
})
export type PendingInvite = Static<typeof PendingInvite>

/** The link itself is shown once, when made: only its hash is kept. */
export const IssuedLink = Type.Object({ url: Type.String(), expiresAt: IsoDateTime })
export type IssuedLink = Static<typeof IssuedLink>

export const ApiToken = Type.Object({
  id: Id,
  name: Type.String(),
  scopes: Type.Array(TokenScope),
  /** The first characters, so a person can tell tokens apart. */
  prefix: Type.String(),
  createdAt: IsoDateTime,
  lastUsedAt: Type.Union([IsoDateTime, Type.Null()]),
  revokedAt: Type.Union([IsoDateTime, Type.Null()]),
})
export type ApiToken = Static<typeof ApiToken>

export const AuditEntry = Type.Object({
  id: Id,
  at: IsoDateTime,
  action: Type.String(),
  /** Who: a user, an API token, or nobody known (a failed login). */
  actor: Type.Union([
    Type.Object({ kind: Type.Literal('user'), id: Id, name: Type.String(), email: Type.String() }),
    Type.Object({ kind: Type.Literal('token'), id: Id, name: Type.String() }),
    Type.Object({ kind: Type.Literal('system') }),
  ]),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
})
export type AuditEntry = Static<typeof AuditEntry>

const IdParams = Type.Object({ id: Id })
const Ok = Type.Object({ ok: Type.Literal(true) })

export const teamsApi = {
  list: defineRoute({
    method: 'GET',
    url: '/api/teams',
    summary: 'Teams: all of them for admins, your own otherwise',
    tags: ['teams'],
    access: { role: 'agent', scope: 'users:read' },
    schema: { response: { 200: Type.Object({ items: Type.Array(Team) }) } },
  }),
  directory: defineRoute({
    method: 'GET',
    url: '/api/teams/directory',
    summary: 'Every team by name: where a conversation can be transferred',
    tags: ['teams'],
    access: { role: 'agent' },
    schema: { response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Id, name: Type.String() })) }) } },
  }),
  members: defineRoute({
    method: 'GET',
    url: '/api/teams/:id/members',
    summary: "A team's active members and the admins: whom a conversation can be assigned to, or who can be @mentioned",
    tags: ['teams'],
    access: { role: 'agent' },
    schema: { params: IdParams, response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Id, name: Type.String(), role: Role })) }) } },
  }),
  create: defineRoute({
    method: 'POST',
    url: '/api/teams',
    summary: 'Create a team',
    tags: ['teams'],
    access: { role: 'admin' },
    schema: {
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 80 }) }, { additionalProperties: false }),
      response: { 200: Team },
    },
  }),
  update: defineRoute({
    method: 'PATCH',
    url: '/api/teams/:id',
    summary: 'Rename a team',
    tags: ['teams'],
    access: { role: 'admin' },
    schema: {
      params: IdParams,
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 80 }) }, { additionalProperties: false }),
      response: { 200: Team },
    },
  }),
}

export const usersApi = {
  list: defineRoute({
    method: 'GET',
    url: '/api/users',
    summary: 'Every user, and the invitations not yet accepted',
    tags: ['users'],
    access: { role: 'admin', scope: 'users:read' },
    schema: { response: { 200: Type.Object({ items: Type.Array(User), invites: Type.Array(PendingInvite) }) } },
  }),
  invite: defineRoute({
    method: 'POST',
    url: '/api/users/invites',
    summary: 'Invite someone: answers a single-use link that expires',
    tags: ['users'],
    access: { role: 'admin' },
    schema: {
      body: Type.Object({ email: Email, role: Role, teamIds: Type.Array(Id, { maxItems: 50 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ invite: PendingInvite, link: IssuedLink }) },
    },
  }),
  revokeInvite: defineRoute({
    method: 'DELETE',
    url: '/api/users/invites/:id',
    summary: 'Withdraw an invitation not yet accepted',
    tags: ['users'],
    access: { role: 'admin' },
    schema: { params: IdParams, response: { 200: Ok } },
  }),
  update: defineRoute({
    method: 'PATCH',
    url: '/api/users/:id',
    summary: "Change a user's name, role or teams",
    tags: ['users'],
    access: { role: 'admin' },
    schema: {
      params: IdParams,
      body: Type.Object(
        { name: Type.Optional(PersonName), role: Type.Optional(Role), teamIds: Type.Optional(Type.Array(Id, { maxItems: 50 })) },
        { additionalProperties: false, minProperties: 1 },
      ),
      response: { 200: User },
    },
  }),
  deactivate: defineRoute({
    method: 'POST',
    url: '/api/users/:id/deactivate',
    summary: 'Deactivate a user: their sessions and live connections end at once',
    tags: ['users'],
    access: { role: 'admin' },
    schema: { params: IdParams, response: { 200: User } },
  }),
  reactivate: defineRoute({
    method: 'POST',
    url: '/api/users/:id/reactivate',
    summary: 'Let a deactivated user sign in again',
    tags: ['users'],
    access: { role: 'admin' },
    schema: { params: IdParams, response: { 200: User } },
  }),
  resetPassword: defineRoute({
    method: 'POST',
    url: '/api/users/:id/password-reset',
    summary: 'Make a single-use link for the user to choose a new password; their sessions end',
    tags: ['users'],
    access: { role: 'admin' },
    schema: { params: IdParams, response: { 200: Type.Object({ link: IssuedLink }) } },
  }),
}

export const tokensApi = {
  list: defineRoute({
    method: 'GET',
    url: '/api/tokens',
    summary: 'API tokens for integrations',
    tags: ['tokens'],
    access: { role: 'admin' },
    schema: { response: { 200: Type.Object({ items: Type.Array(ApiToken) }) } },
  }),
  create: defineRoute({
    method: 'POST',
    url: '/api/tokens',
    summary: 'Create an API token: its secret is answered once and never again',
    tags: ['tokens'],
    access: { role: 'admin' },
    schema: {
      body: Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 80 }), scopes: Type.Array(TokenScope, { minItems: 1, uniqueItems: true }) },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ token: ApiToken, secret: Type.String() }) },
    },
  }),
  revoke: defineRoute({
    method: 'DELETE',
    url: '/api/tokens/:id',
    summary: 'Revoke an API token',
    tags: ['tokens'],
    access: { role: 'admin' },
    schema: { params: IdParams, response: { 200: ApiToken } },
  }),
}

export const auditApi = {
  list: defineRoute({
    method: 'GET',
    url: '/api/audit',
    summary: 'The audit log, newest first',
    tags: ['audit'],
    access: { role: 'admin', scope: 'audit:read' },
    schema: {
      querystring: Type.Object(
        {
          action: Type.Optional(Type.String({ maxLength: 60, pattern: '^[a-z_.]+$' })),
          /** The `nextCursor` of the previous page. */
          cursor: Type.Optional(Id),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ items: Type.Array(AuditEntry), nextCursor: Type.Union([Id, Type.Null()]) }) },
    },
  }),
}
