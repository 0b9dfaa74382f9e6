import { attributionApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { actorOf, identityOf } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { getAttribution, getChannelConversions, recordOutcome, saveChannelConversions } from './attribution.service.js'

export function attributionRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({ ...routeOptions(attributionApi.get), handler: async (request) => getAttribution(ctx, identityOf(request), request.params.id) })
    app.route({
      ...routeOptions(attributionApi.recordOutcome),
      handler: async (request) => recordOutcome(ctx, identityOf(request), request.params.id, request.body),
    })
    app.route({
      ...routeOptions(attributionApi.conversions),
      handler: async (request) => getChannelConversions(ctx, identityOf(request), request.params.id),
    })
    app.route({
      ...routeOptions(attributionApi.saveConversions),
      handler: async (request) => saveChannelConversions(ctx, identityOf(request), actorOf(request), request.params.id, request.body),
    })
  }
}
