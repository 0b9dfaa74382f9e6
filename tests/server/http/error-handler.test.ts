import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../../server/src/errors.js'
import { registerErrorHandler } from '../../../server/src/http/error-handler.js'

async function appWithRoutes() {
  const app = Fastify({ logger: false }).withTypeProvider<TypeBoxTypeProvider>()
  registerErrorHandler(app)
  app.get('/conflict', async () => {
    throw new AppError('conflict', 'That reply was already sent')
  })
  app.get('/crash', async () => {
    throw new Error('connection string postgres://secret@db leaked')
  })
  app.post('/echo', { schema: { body: Type.Object({ text: Type.String({ maxLength: 5 }) }) } }, async (req) => req.body)
  await app.ready()
  return app
}

describe('registerErrorHandler', () => {
  it('maps an AppError to its status and code', async () => {
    const app = await appWithRoutes()

    const response = await app.inject({ method: 'GET', url: '/conflict' })

    expect(response.statusCode).toBe(409)
    expect(response.json()).toEqual({ error: { code: 'conflict', message: 'That reply was already sent' } })
  })

  it('hides the details of an unexpected error', async () => {
    const app = await appWithRoutes()

    const response = await app.inject({ method: 'GET', url: '/crash' })

    expect(response.statusCode).toBe(500)
    expect(response.json()).toEqual({ error: { code: 'internal', message: 'Internal server error' } })
    expect(response.body).not.toContain('secret')
  })

  it('answers validation_failed when the body breaks the schema', async () => {
    const app = await appWithRoutes()

    const response = await app.inject({ method: 'POST', url: '/echo', payload: { text: 'far too long' } })

    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('validation_failed')
  })

  it('answers bad_request for malformed JSON', async () => {
    const app = await appWithRoutes()

    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"text": ',
    })

    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('bad_request')
  })

  it('answers payload_too_large above the body limit', async () => {
    const app = await appWithRoutes()

    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'x'.repeat(1_100_000) }),
    })

    expect(response.statusCode).toBe(413)
    expect(response.json().error.code).toBe('payload_too_large')
  })
})
