import type { TSchema } from '@sinclair/typebox'
import type { Role, TokenScope } from './access.js'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/**
 * Who may call a route. `public`: anyone (the route checks something else, such as a signature or a
 * single-use link). A role: a signed-in user with at least that role. `scope`: an API token holding that scope
 * may call it too; without it, tokens may not.
 */
export type RouteAccess = { role: 'public' } | { role: Role; scope?: TokenScope }

/** One HTTP route, described once: the server registers it, the client calls it, OpenAPI documents it. */
export interface RouteContract {
  method: HttpMethod
  url: string
  summary: string
  tags: readonly string[]
  access: RouteAccess
  schema: {
    params?: TSchema
    querystring?: TSchema
    body?: TSchema
    response: { 200: TSchema } & Record<number, TSchema>
  }
}

/** Returns the contract unchanged, typed precisely, so both sides infer the same shapes. */
export function defineRoute<const C extends RouteContract>(contract: C): C {
  return contract
}
