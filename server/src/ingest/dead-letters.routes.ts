import { channelsApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { actorOf } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { listDeadLetters, replayDeadLetter } from './dead-letters.service.js'

/** A channel's inbound dead letters (payloads that could not be read or kept failing) and their replay. */
export function deadLettersRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({ ...routeOptions(channelsApi.deadLetters), handler: async (request) => listDeadLetters(ctx, request.params.id) })
    app.route({
      ...routeOptions(channelsApi.replayDeadLetter),
      handler: async (request) => replayDeadLetter(ctx, request.params.id, request.params.eventId, actorOf(request)),
    })
  }
}
