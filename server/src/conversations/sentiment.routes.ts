import { sentimentApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { actorOf, identityOf } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { setMessageSentiment } from './sentiment.service.js'

export function sentimentRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({
      ...routeOptions(sentimentApi.set),
      handler: async (request) => setMessageSentiment(ctx, identityOf(request), actorOf(request), request.params.id, request.body.label),
    })
  }
}
