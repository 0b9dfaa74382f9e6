import { authApi, rooms, sessionCookie } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { recordAudit } from '../audit/audit.repository.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { actorOf, identityOf } from './identity.js'
import { acceptLink, describeLink } from './links.service.js'
import { login } from './login.service.js'
import { clearSessionCookie, sessionView } from './session-cookie.js'
import { deleteSession, deleteSessionByToken } from './sessions.repository.js'
import { AppError } from '../errors.js'

export function authRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({ ...routeOptions(authApi.login), handler: async (request, reply) => login(ctx, request, reply, request.body) })
    app.route({
      ...routeOptions(authApi.logout),
      handler: async (request, reply) => {
        const identity = request.identity
        if (identity?.kind === 'user') {
          await deleteSession(ctx.db, identity.sessionId)
          ctx.realtime.disconnect(rooms.session(identity.sessionId))
          await recordAudit(ctx.db, { action: 'auth.logout', actor: actorOf(request), target: { type: 'user', id: identity.userId } })
        } else {
          // A cookie whose session is already gone (expired, deactivated): nothing to end but the cookie.
          const token = request.cookies[sessionCookie]
          if (token) await deleteSessionByToken(ctx.db, token)
        }
        clearSessionCookie(ctx, request, reply)
        return { ok: true as const }
      },
    })
    app.route({
      ...routeOptions(authApi.me),
      handler: async (request) => {
        const identity = identityOf(request)
        if (identity.kind !== 'user') throw new AppError('forbidden', 'API tokens have no session.')
        return sessionView(ctx.db, identity.userId, identity.csrfToken)
      },
    })
    app.route({ ...routeOptions(authApi.link), handler: async (request) => describeLink(ctx, request.params.token) })
    app.route({
      ...routeOptions(authApi.acceptLink),
      handler: async (request, reply) => acceptLink(ctx, request, reply, request.params.token, request.body),
    })
  }
}
