import { conversationsApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { actorOf, identityOf } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import {
  addNote,
  assignConversation,
  bulkUpdate,
  countViews,
  markConversationRead,
  getConversation,
  replyToConversation,
  markReplySent,
  retryReply,
  saveDraft,
  setConversationStatus,
  transferConversation,
  updateConversation,
} from './conversation-actions.service.js'
import { listConversationMessages, listConversations } from './conversations.service.js'

export function conversationsRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({ ...routeOptions(conversationsApi.list), handler: async (request) => listConversations(ctx, identityOf(request), request.query) })
    app.route({ ...routeOptions(conversationsApi.counts), handler: async (request) => countViews(ctx, identityOf(request)) })
    app.route({ ...routeOptions(conversationsApi.markRead), handler: async (request) => markConversationRead(ctx, identityOf(request), request.params.id) })
    app.route({
      ...routeOptions(conversationsApi.bulk),
      handler: async (request) => bulkUpdate(ctx, identityOf(request), actorOf(request), request.body.ids, request.body.action),
    })
    app.route({ ...routeOptions(conversationsApi.get), handler: async (request) => getConversation(ctx, identityOf(request), request.params.id) })
    app.route({
      ...routeOptions(conversationsApi.messages),
      handler: async (request) => listConversationMessages(ctx, identityOf(request), request.params.id),
    })
    app.route({
      ...routeOptions(conversationsApi.reply),
      handler: async (request) => replyToConversation(ctx, identityOf(request), actorOf(request), request.params.id, request.body),
    })
    app.route({
      ...routeOptions(conversationsApi.note),
      handler: async (request) => addNote(ctx, identityOf(request), actorOf(request), request.params.id, request.body),
    })
    app.route({
      ...routeOptions(conversationsApi.assign),
      handler: async (request) => assignConversation(ctx, identityOf(request), actorOf(request), request.params.id, request.body.assigneeId),
    })
    app.route({
      ...routeOptions(conversationsApi.status),
      handler: async (request) => setConversationStatus(ctx, identityOf(request), actorOf(request), request.params.id, request.body),
    })
    app.route({
      ...routeOptions(conversationsApi.update),
      handler: async (request) => updateConversation(ctx, identityOf(request), actorOf(request), request.params.id, request.body),
    })
    app.route({
      ...routeOptions(conversationsApi.transfer),
      handler: async (request) => transferConversation(ctx, identityOf(request), actorOf(request), request.params.id, request.body.teamId),
    })
    app.route({ ...routeOptions(conversationsApi.saveDraft), handler: async (request) => saveDraft(ctx, identityOf(request), request.params.id, request.body) })
    app.route({
      ...routeOptions(conversationsApi.retry),
      handler: async (request) => retryReply(ctx, identityOf(request), actorOf(request), request.params.id),
    })
    app.route({
      ...routeOptions(conversationsApi.markSent),
      handler: async (request) => markReplySent(ctx, identityOf(request), actorOf(request), request.params.id),
    })
  }
}
