import { sessionCookie } from '@carebox/shared'
import { fastifyCookie } from '@fastify/cookie'
import type { AppContext } from '../context.js'
import type { SocketAuth } from '../realtime/realtime.js'
import { isAllowedOrigin } from './access-check.js'
import { assertConversationVisible } from './scope.js'
import { findSessionIdentity } from './sessions.repository.js'

/**
 * The same rules for a console's socket as for its HTTP requests: our origin, a live session. (The cookie
 * parser is the one the app registers, loaded by then.)
 */
export function socketAuth(ctx: AppContext): SocketAuth {
  return {
    isAllowedOrigin: (origin, host, protocol) => isAllowedOrigin(ctx, origin, host, protocol),
    identify: async (cookieHeader) => {
      const token = fastifyCookie.parse(cookieHeader ?? '')[sessionCookie]
      return token ? findSessionIdentity(ctx.db, token, ctx.clock.now()) : null
    },
    canSeeConversation: (identity, conversationId) =>
      assertConversationVisible(ctx.db, identity, conversationId).then(
        () => true,
        () => false,
      ),
  }
}
