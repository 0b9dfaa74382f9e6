import type { ErrorBody, ErrorCode } from '@carebox/shared'
import type { FastifyError, FastifyInstance } from 'fastify'
import { isDatabaseUnavailable } from '../db/unavailable.js'
import { AppError } from '../errors.js'

const codeByStatus: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
}

/** While the database is away, how often a failed request is logged: the health monitor says the rest. */
const unavailableLogEveryMs = 5_000

/**
 * The one error handler: every failure answers `{ error: { code, message } }`; 5xx details stay in the log.
 * `onUnavailable` hears of each request refused because the database is away (the health monitor looks at once).
 */
export function registerErrorHandler(app: FastifyInstance, onUnavailable: () => void = () => {}): void {
  let unavailableLoggedAt = 0
  let unavailableSinceLog = 0
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    let status: number
    let body: ErrorBody
    if (isDatabaseUnavailable(error)) {
      // A retry later will do: platforms resend webhooks they could not deliver, consoles try again.
      onUnavailable()
      unavailableSinceLog += 1
      if (Date.now() - unavailableLoggedAt > unavailableLogEveryMs) {
        request.log.warn({ count: unavailableSinceLog, reason: (error as Error).message }, 'requests refused while the database is unavailable')
        unavailableLoggedAt = Date.now()
        unavailableSinceLog = 0
      }
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ error: { code: 'unavailable', message: 'Carebox cannot reach its database right now; try again in a few seconds.' } })
    }
    if (error instanceof AppError) {
      status = error.statusCode
      body = { error: { code: error.code, message: error.message } }
    } else if ('validation' in error && error.validation) {
      status = 400
      body = { error: { code: 'validation_failed', message: error.message } }
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode
      body = { error: { code: codeByStatus[status] ?? 'bad_request', message: error.message } }
    } else {
      status = error.statusCode && error.statusCode >= 500 ? error.statusCode : 500
      body = { error: { code: status === 503 ? 'unavailable' : 'internal', message: 'Internal server error' } }
    }
    if (status >= 500) request.log.error({ err: error, url: request.url, method: request.method }, 'request failed')
    else request.log.info({ code: body.error.code, url: request.url }, body.error.message)
    return reply.code(status).send(body)
  })
}
