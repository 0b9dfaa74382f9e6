import type { RouteContract } from '@carebox/shared'

/** For OpenAPI: the session cookie, and a bearer token when the route accepts one (schemes named in app.ts). */
function securityOf(contract: RouteContract): Record<string, string[]>[] {
  if (contract.access.role === 'public') return []
  const scope = 'scope' in contract.access ? contract.access.scope : undefined
  return scope ? [{ session: [] }, { apiToken: [scope] }] : [{ session: [] }]
}

/**
 * Turns a shared contract into Fastify route options, so the server registers exactly what the client calls,
 * with the access the contract declares (checked by auth/access-check.ts before the handler runs).
 */
export function routeOptions<const C extends RouteContract>(contract: C) {
  return {
    method: contract.method,
    url: contract.url,
    config: { access: contract.access },
    schema: { ...contract.schema, summary: contract.summary, tags: [...contract.tags], security: securityOf(contract) } as C['schema'] & {
      summary: string
      tags: string[]
    },
  }
}
