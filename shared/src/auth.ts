import { Type, type Static } from '@sinclair/typebox'
import { IsoDateTime } from './common.js'
import { defineRoute } from './contract.js'
import { Role } from './access.js'
import { LinkKind, Password, PersonName, Team, User } from './users.js'

/** Who is signed in, their teams, and the token to send back in the CSRF header. */
export const Session = Type.Object({ user: User, teams: Type.Array(Team), csrfToken: Type.String() })
export type Session = Static<typeof Session>

export const LinkInfo = Type.Object({ kind: LinkKind, email: Type.String(), role: Role, expiresAt: IsoDateTime })
export type LinkInfo = Static<typeof LinkInfo>

/** A link's secret travels in the URL path; it is 43 base64url characters. */
const LinkParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }) })

export const authApi = {
  login: defineRoute({
    method: 'POST',
    url: '/api/auth/login',
    summary: 'Sign in with email and password: sets the session cookie',
    tags: ['auth'],
    access: { role: 'public' },
    schema: {
      body: Type.Object(
        { email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
        { additionalProperties: false },
      ),
      response: { 200: Session },
    },
  }),
  logout: defineRoute({
    method: 'POST',
    url: '/api/auth/logout',
    summary: 'Sign out: ends this session and its live connections',
    tags: ['auth'],
    access: { role: 'public' },
    schema: { response: { 200: Type.Object({ ok: Type.Literal(true) }) } },
  }),
  me: defineRoute({
    method: 'GET',
    url: '/api/auth/me',
    summary: 'The signed-in user (401 when signed out)',
    tags: ['auth'],
    access: { role: 'agent' },
    schema: { response: { 200: Session } },
  }),
  link: defineRoute({
    method: 'GET',
    url: '/api/auth/links/:token',
    summary: 'What a single-use link (invite, password reset, first admin) is for',
    tags: ['auth'],
    access: { role: 'public' },
    schema: { params: LinkParams, response: { 200: LinkInfo } },
  }),
  acceptLink: defineRoute({
    method: 'POST',
    url: '/api/auth/links/:token',
    summary: 'Use a single-use link: choose a password (and a name, when joining); signs you in',
    tags: ['auth'],
    access: { role: 'public' },
    schema: {
      params: LinkParams,
      body: Type.Object({ name: Type.Optional(PersonName), password: Password }, { additionalProperties: false }),
      response: { 200: Session },
    },
  }),
}
