import { webhooksApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { actorOf } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  replayFailedWebhookDeliveries,
  replayWebhookDelivery,
  rotateWebhookSecret,
  sendWebhookTestEvent,
  updateWebhookEndpoint,
} from './webhooks.service.js'

export function webhooksRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({ ...routeOptions(webhooksApi.list), handler: async () => ({ items: await listWebhookEndpoints(ctx) }) })
    app.route({ ...routeOptions(webhooksApi.create), handler: async (request) => createWebhookEndpoint(ctx, actorOf(request), request.body) })
    app.route({
      ...routeOptions(webhooksApi.update),
      handler: async (request) => updateWebhookEndpoint(ctx, actorOf(request), request.params.id, request.body),
    })
    app.route({
      ...routeOptions(webhooksApi.remove),
      handler: async (request) => {
        await deleteWebhookEndpoint(ctx, actorOf(request), request.params.id)
        return { ok: true as const }
      },
    })
    app.route({ ...routeOptions(webhooksApi.rotateSecret), handler: async (request) => rotateWebhookSecret(ctx, actorOf(request), request.params.id) })
    app.route({ ...routeOptions(webhooksApi.deliveries), handler: async (request) => listWebhookDeliveries(ctx, request.params.id, request.query) })
    app.route({
      ...routeOptions(webhooksApi.replay),
      handler: async (request) => replayWebhookDelivery(ctx, actorOf(request), request.params.id, request.params.deliveryId),
    })
    app.route({
      ...routeOptions(webhooksApi.replayFailed),
      handler: async (request) => ({ replayed: await replayFailedWebhookDeliveries(ctx, actorOf(request), request.params.id, request.body.since) }),
    })
    app.route({ ...routeOptions(webhooksApi.sendTest), handler: async (request) => sendWebhookTestEvent(ctx, request.params.id) })
  }
}
