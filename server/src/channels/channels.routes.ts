import { channelsApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { actorOf, identityOf, visibleTeamIds } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { createChannel, listChannels, updateChannel } from './channels.service.js'
import { checkConnection, checkSavedConnection, registerWebhook } from './connection-check.service.js'

export function channelsRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({
      ...routeOptions(channelsApi.list),
      handler: async (request) => {
        const identity = identityOf(request)
        const mayConfigure = identity.kind === 'token' ? identity.scopes.includes('channels:write') : identity.role === 'admin'
        return listChannels(ctx, visibleTeamIds(identity), { withVerifyToken: mayConfigure })
      },
    })
    app.route({ ...routeOptions(channelsApi.create), handler: async (request) => createChannel(ctx, request.body, actorOf(request)) })
    app.route({
      ...routeOptions(channelsApi.update),
      handler: async (request) => updateChannel(ctx, request.params.id, request.body, actorOf(request)),
    })
    app.route({ ...routeOptions(channelsApi.checkConnection), handler: async (request) => checkConnection(ctx, request.body) })
    app.route({
      ...routeOptions(channelsApi.checkSavedConnection),
      handler: async (request) => checkSavedConnection(ctx, request.params.id, request.body),
    })
    app.route({ ...routeOptions(channelsApi.registerWebhook), handler: async (request) => registerWebhook(ctx, request.params.id, actorOf(request)) })
  }
}
