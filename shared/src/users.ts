import { Type, type Static } from '@sinclair/typebox'
import { Role, TokenScope } from './access.js'
import { Id, IsoDateTime, StringEnum } from './common.js'
import { defineRoute } from './contract.js'
import { AuditFacets } from './audit.js'

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
export const IssuedLink = Type.Object({
  url: Type.String(),
  expiresAt: IsoDateTime,
  /** Set when Carebox also emails the link (SMTP is configured): the address it goes to. */
  emailedTo: Type.Optional(Type.String()),
})
export type IssuedLink = Static<typeof IssuedLink>

/**
 * Agents and leads see only their teams' conversations: with no team, their inbox stays empty for good. Admins see
 * every team's, so they need none. Inviting or leaving someone like that takes an explicit `confirmNoTeam`.
 */
export function isTeamlessWorker(role: Role, teamIds: readonly string[]): boolean {
  return role !== 'admin' && teamIds.length === 0
}

export const noTeamRefusal =
  "Choose at least one team: agents and team leads see only their teams' conversations, so with no team they would see none. To go ahead anyway, confirm that they will see no conversations."

export const ApiToken = Type.Object({
  id: Id,
  name: Type.String(),
  scopes: Type.Array(TokenScope),
  /** The teams whose customers and conversations the token may reach; null (or absent): every team's. */
  teamIds: Type.Optional(Type.Union([Type.Array(Id), Type.Null()])),
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
  /** How the action reads (auditActionLabel). */
  actionLabel: Type.String(),
  /**
   * The target's name as it is now, looked up when the log is read (a channel's or team's name, a person's name, an
   * endpoint's URL, a conversation's customer); null when it no longer exists and none was recorded.
   */
  targetName: Type.Union([Type.String(), Type.Null()]),
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
    summary: 'Invite someone: answers a single-use link that expires, and emails it when SMTP is configured',
    tags: ['users'],
    access: { role: 'admin' },
    schema: {
      body: Type.Object(
        {
          email: Email,
          role: Role,
          teamIds: Type.Array(Id, { maxItems: 50 }),
          /** An agent or lead with no team sees no conversations: true says the admin means it. */
          confirmNoTeam: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
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
        {
          name: Type.Optional(PersonName),
          role: Type.Optional(Role),
          teamIds: Type.Optional(Type.Array(Id, { maxItems: 50 })),
          /** Needed when the change leaves an agent or lead with no team (they would see no conversations). */
          confirmNoTeam: Type.Optional(Type.Boolean()),
        },
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
    summary: 'Make a single-use link for the user to choose a new password (emailed when SMTP is configured); their sessions end',
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
        {
          name: Type.String({ minLength: 1, maxLength: 80 }),
          scopes: Type.Array(TokenScope, { minItems: 1, uniqueItems: true }),
          /** Limits the token to these teams; left out or null: every team. */
          teamIds: Type.Optional(Type.Union([Type.Array(Id, { minItems: 1, uniqueItems: true }), Type.Null()])),
        },
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
          /** Who did it: a person's or an API token's id, or `system` for entries with neither (Carebox itself, failed sign-ins). */
          actor: Type.Optional(Type.Union([Id, Type.Literal('system')])),
          /** Words to find in the action (its code or label) or the target (its kind, id or name), in any case. */
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          /** Entries at or after this time. */
          from: Type.Optional(IsoDateTime),
          /** Entries before this time. */
          to: Type.Optional(IsoDateTime),
          /** The `nextCursor` of the previous page. */
          cursor: Type.Optional(Id),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ items: Type.Array(AuditEntry), nextCursor: Type.Union([Id, Type.Null()]) }) },
    },
  }),
  facets: defineRoute({
    method: 'GET',
    url: '/api/audit/facets',
    summary: 'What the audit log can be filtered by: every person and API token, and every action with its label',
    tags: ['audit'],
    access: { role: 'admin', scope: 'audit:read' },
    schema: { response: { 200: AuditFacets } },
  }),
}
