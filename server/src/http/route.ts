import type { RouteContract } from '@carebox/shared'

/** Turns a shared contract into Fastify route options, so the server registers exactly what the client calls. */
export function routeOptions<const C extends RouteContract>(contract: C) {
  return {
    method: contract.method,
    url: contract.url,
    schema: { ...contract.schema, summary: contract.summary, tags: [...contract.tags] } as C['schema'] & {
      summary: string
      tags: string[]
    },
  }
}
