import { followUpsApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { actorOf, identityOf } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { cancelFollowUp, conversationFollowUps, scheduleFollowUp } from './follow-ups.service.js'

export function followUpsRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({
      ...routeOptions(followUpsApi.list),
      handler: async (request) => ({ items: await conversationFollowUps(ctx, identityOf(request), request.params.id) }),
    })
    app.route({
      ...routeOptions(followUpsApi.create),
      handler: async (request) => scheduleFollowUp(ctx, identityOf(request), actorOf(request), request.params.id, request.body),
    })
    app.route({
      ...routeOptions(followUpsApi.cancel),
      handler: async (request) => cancelFollowUp(ctx, identityOf(request), actorOf(request), request.params.id, request.params.followUpId),
    })
  }
}
