import { mediaApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { identityOf } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { readAttachment } from './media.service.js'

export function mediaRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({
      ...routeOptions(mediaApi.attachment),
      handler: async (request, reply) => {
        const identity = identityOf(request)
        const file = await readAttachment(ctx, identity, request.params.id, request.params.index)
        // The bytes are someone else's: never let a browser run them as a page, guess another type, or share the cache.
        return (
          reply
            .header('content-type', file.contentType)
            .header('content-disposition', file.contentDisposition)
            .header('x-content-type-options', 'nosniff')
            .header('content-security-policy', "default-src 'none'; sandbox")
            .header('cache-control', 'private, max-age=300')
            // The contract types the bytes as a string for the API docs; Fastify sends a Buffer as is, unserialised.
            .send(file.body as unknown as string)
        )
      },
    })
  }
}
