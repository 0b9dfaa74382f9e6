import { commentsApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { actorOf, identityOf } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { actOnComment } from './comment-actions.service.js'
import { conversationPost, postPicture } from './post.service.js'

export function commentsRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({
      ...routeOptions(commentsApi.act),
      handler: async (request) => actOnComment(ctx, identityOf(request), actorOf(request), request.params.id, request.body.action),
    })
    app.route({ ...routeOptions(commentsApi.post), handler: async (request) => conversationPost(ctx, identityOf(request), request.params.id) })
    app.route({
      ...routeOptions(commentsApi.postPicture),
      handler: async (request, reply) => {
        const picture = await postPicture(ctx, identityOf(request), request.params.id)
        // Someone else's bytes: never run as a page, never another type, never a shared cache (as attachments).
        return (
          reply
            .header('content-type', picture.contentType)
            .header('x-content-type-options', 'nosniff')
            .header('content-security-policy', "default-src 'none'; sandbox")
            .header('cache-control', 'private, max-age=3600')
            // The contract types the bytes as a string for the API docs; Fastify sends a Buffer as is.
            .send(picture.body as unknown as string)
        )
      },
    })
  }
}
