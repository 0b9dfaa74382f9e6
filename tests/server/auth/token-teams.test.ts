import type { ApiToken } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findTokenIdentity } from '../../../server/src/auth/api-tokens.repository.js'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, firstTeamId, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { bearer, createToken, customerOn, metaChannel } from '../contacts/crm-fixtures.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let admin: SignedIn
let teamA: string
let teamB: string
let ofA: { contactId: string; conversationId: string }
let ofB: { contactId: string; conversationId: string }

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  teamA = await firstTeamId(ctx)
  teamB = await createTeam(ctx, 'Team B')
  const pageA = await createChannel(ctx, { ...metaChannel, kind: 'facebook', name: 'Page A', externalId: '1001', teamId: teamA })
  const pageB = await createChannel(ctx, { ...metaChannel, kind: 'facebook', name: 'Page B', externalId: '2002', teamId: teamB })
  ofA = await customerOn(ctx, pageA.id, 'Customer of A')
  ofB = await customerOn(ctx, pageB.id, 'Customer of B')
  admin = await signedInAs(ctx, app, 'admin')
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

function createTokenRequest(payload: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: '/api/tokens', headers: admin.headers, payload: { name: 'Limited', scopes: ['conversations:read'], ...payload } })
}

describe('POST /api/tokens with teams', () => {
  it('limits a token to the chosen teams, shown in the list, the audit log and on its identity', async () => {
    const created = await createTokenRequest({ teamIds: [teamA] })
    const list = await app.inject({ method: 'GET', url: '/api/tokens', headers: admin.headers })
    const { token, secret } = created.json<{ token: ApiToken; secret: string }>()

    expect(created.statusCode).toBe(200)
    expect(token.teamIds).toEqual([teamA])
    expect(list.json<{ items: ApiToken[] }>().items.find((t) => t.id === token.id)?.teamIds).toEqual([teamA])
    expect(await findTokenIdentity(ctx.db, secret, new Date())).toMatchObject({ kind: 'token', tokenId: token.id, teamIds: [teamA] })
    const audit = await ctx.db
      .selectFrom('auditLog')
      .select('details')
      .where('action', '=', 'token.created')
      .where('targetId', '=', token.id)
      .executeTakeFirstOrThrow()
    expect(audit.details).toMatchObject({ teamIds: [teamA] })
  })

  it('leaves a token made without teams open to every team', async () => {
    const { token, secret } = (await createTokenRequest({})).json<{ token: ApiToken; secret: string }>()

    expect(token.teamIds).toBeNull()
    expect(await findTokenIdentity(ctx.db, secret, new Date())).toMatchObject({ teamIds: null })
  })

  it.each([
    ['a team that does not exist', { teamIds: ['00000000-0000-4000-8000-000000000000'] }, 'Some of the chosen teams do not exist.'],
    ['an empty list of teams', { teamIds: [] }, 'must NOT have fewer than 1 items'],
  ])('refuses %s with a 400 and makes no token', async (_case, payload, message) => {
    const before = await ctx.db.selectFrom('apiTokens').select('id').execute()

    const response = await createTokenRequest(payload)

    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toContain(message)
    expect(await ctx.db.selectFrom('apiTokens').select('id').execute()).toEqual(before)
  })
})

describe('a token limited to teams', () => {
  it("reads only its teams' conversations and customers", async () => {
    const limited = await createToken(app, admin, ['conversations:read'], [teamA])
    const open = await createToken(app, admin, ['conversations:read'])

    const limitedList = await app.inject({ method: 'GET', url: '/api/conversations', headers: bearer(limited.secret) })
    const openList = await app.inject({ method: 'GET', url: '/api/conversations', headers: bearer(open.secret) })
    const limitedCustomerB = await app.inject({ method: 'GET', url: `/api/contacts/${ofB.contactId}/crm`, headers: bearer(limited.secret) })
    const limitedCustomerA = await app.inject({ method: 'GET', url: `/api/contacts/${ofA.contactId}/crm`, headers: bearer(limited.secret) })

    expect(limitedList.json<{ items: { id: string }[] }>().items.map((c) => c.id)).toEqual([ofA.conversationId])
    expect(
      openList
        .json<{ items: { id: string }[] }>()
        .items.map((c) => c.id)
        .sort(),
    ).toEqual([ofA.conversationId, ofB.conversationId].sort())
    expect(limitedCustomerB.statusCode).toBe(404)
    expect(limitedCustomerA.statusCode).toBe(200)
  })
})
