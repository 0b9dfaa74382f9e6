import { auditApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { listAudit, listAuditFacets } from './audit.repository.js'

export function auditRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({ ...routeOptions(auditApi.list), handler: async (request) => listAudit(ctx.db, { ...request.query, limit: request.query.limit ?? 50 }) })
    app.route({ ...routeOptions(auditApi.facets), handler: async () => listAuditFacets(ctx.db) })
  }
}
