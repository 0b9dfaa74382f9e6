import { systemApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { checkHealth, checkReadiness, getSystemInfo } from './system.service.js'

export function systemRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.route({
      ...routeOptions(systemApi.health),
      handler: async (_request, reply) => {
        const health = await checkHealth(ctx)
        return reply.code(health.status === 'ok' ? 200 : 503).send(health)
      },
    })

    app.route({
      ...routeOptions(systemApi.readiness),
      handler: async (_request, reply) => {
        const readiness = await checkReadiness(ctx)
        return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness)
      },
    })

    app.route({
      ...routeOptions(systemApi.metrics),
      handler: async (_request, reply) => {
        const text = await ctx.metrics.registry.metrics()
        return reply.type(ctx.metrics.registry.contentType).send(text)
      },
    })

    app.route({ ...routeOptions(systemApi.info), handler: async () => getSystemInfo(ctx) })
  }
}
