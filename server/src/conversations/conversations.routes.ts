import { conversationsApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { identityOf } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { listConversationMessages, listConversations } from './conversations.service.js'

export function conversationsRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({ ...routeOptions(conversationsApi.list), handler: async (request) => listConversations(ctx, identityOf(request), request.query) })
    app.route({
      ...routeOptions(conversationsApi.messages),
      handler: async (request) => listConversationMessages(ctx, identityOf(request), request.params.id),
    })
  }
}
