import { templatesApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { actorOf, identityOf, visibleTeamIds } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { channelTemplates, refreshTemplates, sendTemplate } from './templates.service.js'

export function templatesRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({
      ...routeOptions(templatesApi.list),
      handler: async (request) => channelTemplates(ctx, visibleTeamIds(identityOf(request)), request.params.id),
    })
    app.route({
      ...routeOptions(templatesApi.refresh),
      handler: async (request) => refreshTemplates(ctx, visibleTeamIds(identityOf(request)), request.params.id, actorOf(request)),
    })
    app.route({
      ...routeOptions(templatesApi.send),
      handler: async (request) => sendTemplate(ctx, identityOf(request), actorOf(request), request.params.id, request.body),
    })
  }
}
