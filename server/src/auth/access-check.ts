import { csrfHeader, hasRole, sessionCookie, type RouteAccess } from '@carebox/shared'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppContext } from '../context.js'
import { AppError } from '../errors.js'
import { findTokenIdentity } from './api-tokens.repository.js'
import type { Identity } from './identity.js'
import { safeEqual } from './secrets.js'
import { findSessionIdentity } from './sessions.repository.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** From the route's shared contract; every /api/ route must have one. */
    access?: RouteAccess
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Origins a browser may send state-changing requests from: this server's own, and the public URL's. */
export function isAllowedOrigin(ctx: AppContext, origin: string, host: string | undefined, protocol: string): boolean {
  if (host && origin === `${protocol}://${host}`) return true
  return ctx.config.publicUrl !== undefined && origin === new URL(ctx.config.publicUrl).origin
}

async function authenticate(ctx: AppContext, request: FastifyRequest): Promise<Identity | null> {
  const authorization = request.headers.authorization
  if (authorization !== undefined) {
    const [scheme, secret] = authorization.split(' ')
    const identity = scheme?.toLowerCase() === 'bearer' && secret ? await findTokenIdentity(ctx.db, secret, ctx.clock.now()) : null
    if (!identity) throw new AppError('unauthorized', 'The API token is not valid.')
    return identity
  }
  const token = request.cookies[sessionCookie]
  return token ? findSessionIdentity(ctx.db, token, ctx.clock.now()) : null
}

/**
 * A browser request that changes something must come from Carebox's own pages: its Origin (when sent) must be
 * ours, and when it rides on the session cookie it must carry the session's CSRF token, which another site
 * cannot read. API tokens are not sent by browsers on their own, so they need neither.
 */
function checkForgery(ctx: AppContext, request: FastifyRequest, identity: Identity | null): void {
  if (safeMethods.has(request.method) || identity?.kind === 'token') return
  const origin = request.headers.origin
  if (origin !== undefined && !isAllowedOrigin(ctx, origin, request.headers.host, request.protocol)) {
    throw new AppError('forbidden', 'Requests from other sites are not accepted.')
  }
  if (identity?.kind === 'user') {
    const sent = request.headers[csrfHeader]
    if (typeof sent !== 'string' || !safeEqual(sent, identity.csrfToken)) {
      throw new AppError('forbidden', 'The request is missing its CSRF token. Reload the page and try again.')
    }
  }
}

/**
 * Checks every request against its route's declared access before anything else runs (body validation
 * included): who is calling, whether their role or token scope allows the route, and forgery.
 * Team scope is checked by each service, which knows what the request touches.
 */
export function registerAccessCheck(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.config?.access) {
      throw new Error(`${String(route.method)} ${route.url} declares no access: add it to the route's contract`)
    }
  })
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access
    if (!access) return
    const identity = await authenticate(ctx, request)
    checkForgery(ctx, request, identity)
    if (identity) request.identity = identity
    if (access.role === 'public') return
    if (!identity) throw new AppError('unauthorized', 'Sign in to continue.')
    if (identity.kind === 'token') {
      if (!access.scope || !identity.scopes.includes(access.scope)) {
        throw new AppError('forbidden', access.scope ? `This API token lacks the ${access.scope} scope.` : 'API tokens cannot use this route.')
      }
      return
    }
    if (!hasRole(identity.role, access.role)) throw new AppError('forbidden', 'Your role does not allow this.')
  })
}
