import { systemApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { actorOf } from '../auth/identity.js'
import { replayAll, replayDeadLetter } from '../consumers/replay.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { listChannelHealth } from './channel-health.service.js'
import { checkHealth, checkReadiness, getChangesOverview, getSystemInfo } from './system.service.js'

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
    app.route({ ...routeOptions(systemApi.changes), handler: async () => getChangesOverview(ctx) })
    app.route({ ...routeOptions(systemApi.channelHealth), handler: async () => ({ items: await listChannelHealth(ctx) }) })
    app.route({
      ...routeOptions(systemApi.replayChangeDeadLetter),
      handler: async (request) => replayDeadLetter(ctx, request.body.consumer, request.body.seq, actorOf(request)),
    })
    app.route({
      ...routeOptions(systemApi.replayAllChangeDeadLetters),
      handler: async (request) => replayAll(ctx, request.body.consumer, actorOf(request)),
    })
  }
}
