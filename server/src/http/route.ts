import type { RouteContract } from '@carebox/shared'

/**
 * Turns a shared contract into Fastify route options, so the server registers exactly what the client calls,
 * with the access the contract declares (checked by auth/access-check.ts before the handler runs).
 */
export function routeOptions<const C extends RouteContract>(contract: C) {
  return {
    method: contract.method,
    url: contract.url,
    config: { access: contract.access },
    schema: { ...contract.schema, summary: contract.summary, tags: [...contract.tags] } as C['schema'] & {
      summary: string
      tags: string[]
    },
  }
}
