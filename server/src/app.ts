import { routingRoutes } from './routing/routing.routes.js'
import { rulesRoutes } from './rules/rules.routes.js'
import { slaPoliciesRoutes } from './sla/sla-policies.routes.js'
import { existsSync } from 'node:fs'
import { sessionCookie } from '@carebox/shared'
import path from 'node:path'
import fastifyCookie from '@fastify/cookie'
import fastifyHelmet from '@fastify/helmet'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { repoRoot } from './config.js'
import type { AppContext } from './context.js'
import { registerErrorHandler } from './http/error-handler.js'
import { auditRoutes } from './audit/audit.routes.js'
import { registerAccessCheck } from './auth/access-check.js'
import { apiTokensRoutes } from './auth/api-tokens.routes.js'
import { authRoutes } from './auth/auth.routes.js'
import { cannedRepliesRoutes } from './canned/canned-replies.routes.js'
import { contactsRoutes } from './contacts/contacts.routes.js'
import { crmRoutes } from './contacts/crm.routes.js'
import { mediaRoutes } from './media/media.routes.js'
import { filesRoutes } from './files/files.routes.js'
import { surveysRoutes } from './surveys/surveys.routes.js'
import { surveyPageRoutes } from './surveys/survey-page.routes.js'
import { usersRoutes } from './users/users.routes.js'
import { channelsRoutes } from './channels/channels.routes.js'
import { templatesRoutes } from './templates/templates.routes.js'
import { followUpsRoutes } from './follow-ups/follow-ups.routes.js'
import { commentsRoutes } from './comments/comments.routes.js'
import { sentimentRoutes } from './conversations/sentiment.routes.js'
import { conversationsRoutes } from './conversations/conversations.routes.js'
import { deadLettersRoutes } from './ingest/dead-letters.routes.js'
import { ingestRoutes } from './ingest/ingest.routes.js'
import { webhooksRoutes } from './webhooks/webhooks.routes.js'
import { systemRoutes } from './system/system.routes.js'
import { exportRoutes } from './reports/export.routes.js'
import { eventStreamRoutes } from './event-stream/event-stream.routes.js'
import { reportsRoutes } from './reports/reports.routes.js'
import { attributionRoutes } from './attribution/attribution.routes.js'

export const clientDistDir = path.join(repoRoot, 'client', 'dist')

/** Prefixes that belong to the server; everything else under GET is the single-page console. */
const serverPrefixes = ['/api/', '/webhooks/', '/survey/', '/docs', '/metrics', '/healthz', '/readyz', '/socket.io/']

/** Builds the HTTP app. Every module is listed here, in order; nothing is discovered implicitly. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    // Per-request lines would drown the log at webhook rates; /metrics has the request figures.
    logController: new LogController({ disableRequestLogging: true }),
    // Answer 503 to new requests while closing, and let in-flight ones finish.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    trustProxy: ctx.config.trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode },
      reply.elapsedTime / 1000,
    )
  })

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Carebox API', version: ctx.config.version, description: 'Social customer-care inbox' },
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: sessionCookie,
            description: 'Set by POST /api/auth/login; state-changing requests also need X-CSRF-Token',
          },
          apiToken: { type: 'http', scheme: 'bearer', description: 'An API token (cbx_…) made by an admin in Settings → API tokens' },
        },
      },
    },
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' })

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      // The console is built static files from this origin: no inline script, no foreign source, no framing.
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Links in customers' messages open other sites: they learn nothing of Carebox's URLs.
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  })
  await app.register(fastifyCookie)
  registerErrorHandler(app, () => ctx.runtime.health?.suspect())
  registerAccessCheck(app, ctx)

  await app.register(systemRoutes(ctx))
  await app.register(authRoutes(ctx))
  await app.register(usersRoutes(ctx))
  await app.register(apiTokensRoutes(ctx))
  await app.register(auditRoutes(ctx))
  await app.register(channelsRoutes(ctx))
  await app.register(templatesRoutes(ctx))
  await app.register(followUpsRoutes(ctx))
  await app.register(commentsRoutes(ctx))
  await app.register(sentimentRoutes(ctx))
  await app.register(deadLettersRoutes(ctx))
  await app.register(conversationsRoutes(ctx))
  await app.register(mediaRoutes(ctx))
  await app.register(filesRoutes(ctx))
  await app.register(surveysRoutes(ctx))
  await app.register(surveyPageRoutes(ctx))
  await app.register(cannedRepliesRoutes(ctx))
  await app.register(contactsRoutes(ctx))
  await app.register(crmRoutes(ctx))
  await app.register(slaPoliciesRoutes(ctx))
  await app.register(rulesRoutes(ctx))
  await app.register(routingRoutes(ctx))
  await app.register(reportsRoutes(ctx))
  await app.register(attributionRoutes(ctx))
  await app.register(exportRoutes(ctx))
  await app.register(ingestRoutes(ctx))
  await app.register(webhooksRoutes(ctx))
  await app.register(eventStreamRoutes(ctx))

  await registerConsole(app)
  return app
}

/** Serves the built console with an SPA fallback: unknown non-API GETs get index.html. */
async function registerConsole(app: FastifyInstance): Promise<void> {
  const hasClient = existsSync(path.join(clientDistDir, 'index.html'))
  if (hasClient) {
    await app.register(fastifyStatic, {
      root: clientDistDir,
      // Hashed assets never change; index.html must always be revalidated to pick up new builds.
      setHeaders: (res, filePath) => {
        res.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache')
      },
    })
  }
  app.setNotFoundHandler((request, reply) => {
    const isConsolePath = (request.method === 'GET' || request.method === 'HEAD') && !serverPrefixes.some((prefix) => request.url.startsWith(prefix))
    if (isConsolePath && hasClient) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html')
    }
    const message = isConsolePath
      ? 'The console is not built yet: run `pnpm build` (pnpm start does it for you).'
      : `No route for ${request.method} ${request.url.split('?')[0]}`
    return reply.code(404).send({ error: { code: 'not_found', message } })
  })
}
