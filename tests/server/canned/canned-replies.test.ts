import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, firstTeamId, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let teamA: string
let teamB: string
let leadA: SignedIn
let agentA: SignedIn
let agentB: SignedIn

const reply = (over: Record<string, unknown> = {}) => ({
  shortcut: 'refund',
  title: 'Refund',
  body: 'Hi {{customer.first_name}}, your refund is on its way.',
  teamId: null,
  ...over,
})

async function count(): Promise<number> {
  return (await ctx.db.selectFrom('cannedReplies').select('id').execute()).length
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  teamA = await firstTeamId(ctx)
  teamB = await createTeam(ctx, 'Team B')
  leadA = await signedInAs(ctx, app, 'lead', [teamA])
  agentA = await signedInAs(ctx, app, 'agent', [teamA])
  agentB = await signedInAs(ctx, app, 'agent', [teamB])
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('canned replies', () => {
  it("a lead adds everyone's and their team's replies; each agent lists what applies to them", async () => {
    const everyone = await app.inject({ method: 'POST', url: '/api/canned-replies', headers: leadA.headers, payload: reply() })
    const ownTeam = await app.inject({
      method: 'POST',
      url: '/api/canned-replies',
      headers: leadA.headers,
      payload: reply({ shortcut: 'a-only', teamId: teamA }),
    })

    expect(everyone.statusCode).toBe(200)
    expect(ownTeam.statusCode).toBe(200)
    const listA = (await app.inject({ method: 'GET', url: '/api/canned-replies', headers: agentA.headers })).json<{ items: { shortcut: string }[] }>()
    const listB = (await app.inject({ method: 'GET', url: '/api/canned-replies', headers: agentB.headers })).json<{ items: { shortcut: string }[] }>()
    expect(listA.items.map((r) => r.shortcut)).toEqual(['a-only', 'refund'])
    expect(listB.items.map((r) => r.shortcut)).toEqual(['refund'])
    expect(await ctx.db.selectFrom('auditLog').select('action').where('action', '=', 'canned_reply.created').execute()).toHaveLength(2)
  })

  it('refuses an agent (403) and stores nothing', async () => {
    const before = await count()

    const response = await app.inject({ method: 'POST', url: '/api/canned-replies', headers: agentA.headers, payload: reply({ shortcut: 'sneaky' }) })

    expect(response.statusCode).toBe(403)
    expect(await count()).toBe(before)
  })

  it("refuses a lead another team's replies: creating (403), changing or deleting (404)", async () => {
    const leadB = await signedInAs(ctx, app, 'lead', [teamB])
    const before = await count()
    const [aOnly] = await ctx.db.selectFrom('cannedReplies').select(['id', 'body']).where('shortcut', '=', 'a-only').execute()

    const create = await app.inject({ method: 'POST', url: '/api/canned-replies', headers: leadB.headers, payload: reply({ shortcut: 'x', teamId: teamA }) })
    const change = await app.inject({ method: 'PATCH', url: `/api/canned-replies/${aOnly?.id}`, headers: leadB.headers, payload: { body: 'changed' } })
    const remove = await app.inject({ method: 'DELETE', url: `/api/canned-replies/${aOnly?.id}`, headers: leadB.headers })

    expect([create.statusCode, change.statusCode, remove.statusCode]).toEqual([403, 404, 404])
    expect(await count()).toBe(before)
    expect((await ctx.db.selectFrom('cannedReplies').select('body').where('id', '=', aOnly!.id).executeTakeFirst())?.body).toBe(aOnly?.body)
  })

  it('answers conflict for a shortcut taken in the same scope', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/canned-replies', headers: leadA.headers, payload: reply() })

    expect(response.statusCode).toBe(409)
  })

  it('needs the CSRF token, and rejects fields outside the schema', async () => {
    const before = await count()
    const noCsrf = await app.inject({ method: 'POST', url: '/api/canned-replies', headers: { cookie: leadA.cookie }, payload: reply({ shortcut: 'no-csrf' }) })
    const extra = await app.inject({
      method: 'POST',
      url: '/api/canned-replies',
      headers: leadA.headers,
      payload: { ...reply({ shortcut: 'extra' }), createdBy: agentA.userId },
    })

    expect(noCsrf.statusCode).toBe(403)
    expect(extra.statusCode).toBe(400)
    expect(await count()).toBe(before)
  })

  it('keeps markup in a body as stored text', async () => {
    const body = '<script>alert(1)</script> {{agent.name}}'
    const created = await app.inject({ method: 'POST', url: '/api/canned-replies', headers: leadA.headers, payload: reply({ shortcut: 'xss', body }) })

    expect(created.json<{ body: string }>().body).toBe(body)
    expect(created.headers['content-type']).toContain('application/json')
  })
})
