import { StringEnum } from './common.js'

/** Roles, weakest first: each can do everything the ones before it can. */
export const roles = ['agent', 'lead', 'admin'] as const
export const Role = StringEnum(roles)
export type Role = (typeof roles)[number]

export const roleLabels: Record<Role, string> = { agent: 'Agent', lead: 'Team lead', admin: 'Admin' }

export function hasRole(actual: Role, required: Role): boolean {
  return roles.indexOf(actual) >= roles.indexOf(required)
}

/** What an API token may be allowed to do. A route names the scope it accepts, or accepts no token. */
export const tokenScopes = [
  'conversations:read',
  'channels:read',
  'channels:write',
  'users:read',
  'audit:read',
  'reports:read',
  'events:read',
  'contacts:write',
] as const
/**
 * The scopes whose routes show a token only its teams' data. The others (changing channels, the users list, the
 * audit log) reach every team, so a token limited to teams cannot hold them.
 */
export const teamLimitableScopes: readonly TokenScope[] = ['conversations:read', 'channels:read', 'reports:read', 'events:read', 'contacts:write']

export const TokenScope = StringEnum(tokenScopes)
export type TokenScope = (typeof tokenScopes)[number]

export const tokenScopeLabels: Record<TokenScope, string> = {
  'conversations:read': 'Read conversations and messages',
  'channels:read': 'Read channels',
  'channels:write': 'Create and change channels',
  'users:read': 'Read users and teams',
  'audit:read': 'Read the audit log',
  'reports:read': 'Read reports and export them',
  'events:read': 'Receive the live event stream',
  'contacts:write': 'Create and update customers (CRM sync)',
}

/** Header carrying the session's CSRF token on every state-changing request made with the session cookie. */
export const csrfHeader = 'x-csrf-token'
export const sessionCookie = 'carebox_session'
