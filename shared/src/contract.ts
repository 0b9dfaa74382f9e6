import type { TSchema } from '@sinclair/typebox'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** One HTTP route, described once: the server registers it, the client calls it, OpenAPI documents it. */
export interface RouteContract {
  method: HttpMethod
  url: string
  summary: string
  tags: readonly string[]
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
