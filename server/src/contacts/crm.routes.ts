import { crmApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { actorOf, identityOf } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { upsertContact } from './crm-upsert.service.js'
import { getContactCrm, updateContactKeys } from './crm.service.js'

export function crmRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({ ...routeOptions(crmApi.upsert), handler: async (request) => upsertContact(ctx, identityOf(request), actorOf(request), request.body) })
    app.route({ ...routeOptions(crmApi.get), handler: async (request) => getContactCrm(ctx, identityOf(request), request.params.id) })
    app.route({
      ...routeOptions(crmApi.updateKeys),
      handler: async (request) => updateContactKeys(ctx, identityOf(request), actorOf(request), request.params.id, request.body),
    })
  }
}
