import { contactsApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { actorOf, identityOf } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { addContactNote, getContact, mergeContacts, searchContacts, undoMerge, updateContact } from './contacts.service.js'

export function contactsRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({ ...routeOptions(contactsApi.search), handler: async (request) => searchContacts(ctx, identityOf(request), request.query.q) })
    app.route({ ...routeOptions(contactsApi.get), handler: async (request) => getContact(ctx, identityOf(request), request.params.id) })
    app.route({
      ...routeOptions(contactsApi.update),
      handler: async (request) => updateContact(ctx, identityOf(request), actorOf(request), request.params.id, request.body),
    })
    app.route({
      ...routeOptions(contactsApi.addNote),
      handler: async (request) => addContactNote(ctx, identityOf(request), actorOf(request), request.params.id, request.body.text),
    })
    app.route({
      ...routeOptions(contactsApi.merge),
      handler: async (request) => mergeContacts(ctx, identityOf(request), actorOf(request), request.params.id, request.body.otherContactId),
    })
    app.route({
      ...routeOptions(contactsApi.undoMerge),
      handler: async (request) => undoMerge(ctx, identityOf(request), actorOf(request), request.params.id, request.params.mergeId),
    })
  }
}
