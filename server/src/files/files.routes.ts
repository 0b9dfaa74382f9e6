import { filesApi, uploadMaxBytes } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { identityOf } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { AppError } from '../errors.js'
import { routeOptions } from '../http/route.js'
import { uploadFile } from './files.service.js'

export function filesRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    // The file's bytes are the body, as they are: no form encoding to parse, and the size is the body's. Only this
    // plugin's routes take raw bytes.
    app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: uploadMaxBytes }, (_request, body, done) => done(null, body))
    app.route({
      ...routeOptions(filesApi.upload),
      bodyLimit: uploadMaxBytes,
      handler: async (request) => {
        if (!Buffer.isBuffer(request.body)) throw new AppError('validation_failed', 'Send the file as the body, with content-type application/octet-stream.')
        return uploadFile(ctx, identityOf(request), request.params.id, request.query, request.body)
      },
    })
  }
}
