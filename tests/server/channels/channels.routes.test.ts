import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let admin: SignedIn

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database, { publicUrl: 'https://care.example.com' })
  app = await buildTestApp(ctx)
  admin = await signedInAs(ctx, app, 'admin')
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

const page = {
  kind: 'facebook',
  name: 'Acme Support',
  externalId: '104455667788990',
  settings: { mode: 'webhook', apiBaseUrl: 'https://graph.facebook.com/v21.0' },
  secrets: { appSecret: 'app-secret-value-1', accessToken: 'page-token-value-1' },
}

describe('POST /api/channels', () => {
  it('connects a channel and never returns its secrets', async () => {
    const response = await app.inject({ headers: admin.headers, method: 'POST', url: '/api/channels', payload: page })

    expect(response.statusCode).toBe(200)
    const channel = response.json()
    expect(channel).toMatchObject({
      kind: 'facebook',
      name: 'Acme Support',
      enabled: true,
      webhookUrl: 'https://care.example.com/webhooks/meta',
      verifyToken: expect.stringMatching(/^[\w-]{20,}$/),
      secretsSet: ['appSecret', 'accessToken'],
      errorCount: 0,
      deadLetterCount: 0,
    })
    expect(response.body).not.toContain('app-secret-value-1')
    expect(response.body).not.toContain('page-token-value-1')
  })

  it('stores secrets encrypted', async () => {
    const { rows } = await sql<{ secrets: string }>`select secrets_ciphertext as secrets from channels`.execute(ctx.db)

    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(row.secrets).toMatch(/^v1\./)
      expect(row.secrets).not.toContain('app-secret-value-1')
    }
  })

  it('answers conflict for a second channel with the same platform id', async () => {
    const response = await app.inject({ headers: admin.headers, method: 'POST', url: '/api/channels', payload: page })

    expect(response.statusCode).toBe(409)
    expect(response.json().error.code).toBe('conflict')
  })

  it.each([
    ['a mode the platform lacks', { ...page, externalId: 'p2', settings: { ...page.settings, mode: 'polling' } }, /support webhook/],
    ['a missing secret', { ...page, externalId: 'p3', secrets: { appSecret: 'x' } }, /Missing accessToken/],
    ['a secret of another platform', { ...page, externalId: 'p4', secrets: { ...page.secrets, botToken: 'x' } }, /take no botToken/],
  ])('rejects %s', async (_case, payload, message) => {
    const response = await app.inject({ headers: admin.headers, method: 'POST', url: '/api/channels', payload })

    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toMatch(message)
  })

  it('rejects fields outside the schema instead of storing them', async () => {
    const response = await app.inject({
      headers: admin.headers,
      method: 'POST',
      url: '/api/channels',
      payload: { ...page, externalId: 'p5', errorCount: 0, verifyToken: 'chosen-by-attacker' },
    })

    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('validation_failed')
  })
})

describe('PATCH /api/channels/:id', () => {
  it('replaces only the secrets given and can disable the channel', async () => {
    const [channel] = (await app.inject({ headers: admin.headers, method: 'GET', url: '/api/channels' })).json()

    const response = await app.inject({
      headers: admin.headers,
      method: 'PATCH',
      url: `/api/channels/${channel.id}`,
      payload: { enabled: false, secrets: { accessToken: 'rotated-token' } },
    })

    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ enabled: false, secretsSet: ['appSecret', 'accessToken'] })
    const row = await ctx.db.selectFrom('channels').select('secretsCiphertext').where('id', '=', channel.id).executeTakeFirstOrThrow()
    expect(ctx.secrets.open(row.secretsCiphertext)).toEqual({ appSecret: 'app-secret-value-1', accessToken: 'rotated-token' })
  })

  it('answers not_found for an unknown channel', async () => {
    const response = await app.inject({
      headers: admin.headers,
      method: 'PATCH',
      url: '/api/channels/00000000-0000-4000-8000-000000000000',
      payload: { name: 'x' },
    })

    expect(response.statusCode).toBe(404)
  })

  it('rejects an id that is not a UUID', async () => {
    const response = await app.inject({ headers: admin.headers, method: 'PATCH', url: "/api/channels/1' or '1'='1", payload: { name: 'x' } })

    expect(response.statusCode).toBe(400)
  })
})
