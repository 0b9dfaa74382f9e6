import { noTeamRefusal, type User } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, createUser, signIn, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

// An agent or lead with no team sees no conversations at all: Carebox asks before making one, and says why.
let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let admin: SignedIn
let teamId: string

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  teamId = await createTeam(ctx, 'Weekend')
  const adminUser = await createUser(ctx, { role: 'admin', teamIds: [] })
  admin = await signIn(app, adminUser.email, adminUser.password)
})

afterAll(async () => {
  await app.close()
  await database.drop()
})

function invite(payload: object) {
  return app.inject({ method: 'POST', url: '/api/users/invites', headers: admin.headers, payload })
}

function update(id: string, payload: object) {
  return app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: admin.headers, payload })
}

async function linksFor(email: string): Promise<number> {
  return (await ctx.db.selectFrom('authLinks').select('id').where('email', '=', email).execute()).length
}

describe('POST /api/users/invites', () => {
  it.each(['agent', 'lead'] as const)('refuses an %s with no team, saying why, and issues no link', async (role) => {
    const email = `teamless-${role}@example.test`

    const response = await invite({ email, role, teamIds: [] })

    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ error: { code: 'validation_failed', message: noTeamRefusal } })
    expect(await linksFor(email)).toBe(0)
  })

  it('invites an agent with no team once the admin confirms they will see no conversations', async () => {
    const email = 'confirmed-teamless@example.test'

    const response = await invite({ email, role: 'agent', teamIds: [], confirmNoTeam: true })

    expect(response.statusCode, response.body).toBe(200)
    const body = response.json<{ invite: { teamIds: string[] }; link: { url: string; emailedTo?: string } }>()
    expect(body.invite.teamIds).toEqual([])
    // No mail server here: the admin gets the link to pass on, and no claim of an email.
    expect(body.link.url).toMatch(/\/join\/[A-Za-z0-9_-]{43}$/)
    expect(body.link.emailedTo).toBeUndefined()
    expect(await linksFor(email)).toBe(1)
  })

  it('invites an admin with no team without asking: admins see every team', async () => {
    const response = await invite({ email: 'second-admin@example.test', role: 'admin', teamIds: [] })

    expect(response.statusCode, response.body).toBe(200)
  })

  it('invites an agent with a team without asking', async () => {
    const response = await invite({ email: 'with-team@example.test', role: 'agent', teamIds: [teamId] })

    expect(response.statusCode, response.body).toBe(200)
  })
})

describe('PATCH /api/users/:id', () => {
  it('refuses to take an agent’s last team away unless confirmed, and keeps their teams', async () => {
    const agent = await createUser(ctx, { role: 'agent', teamIds: [teamId] })

    const refused = await update(agent.id, { teamIds: [] })
    const teamsAfterRefusal = await ctx.db.selectFrom('teamMembers').select('teamId').where('userId', '=', agent.id).execute()
    const confirmed = await update(agent.id, { teamIds: [], confirmNoTeam: true })

    expect(refused.statusCode).toBe(400)
    expect(refused.json()).toEqual({ error: { code: 'validation_failed', message: noTeamRefusal } })
    expect(teamsAfterRefusal).toEqual([{ teamId }])
    expect(confirmed.statusCode, confirmed.body).toBe(200)
    expect(confirmed.json<User>().teamIds).toEqual([])
  })

  it('asks the same when an admin with no team becomes an agent', async () => {
    const other = await createUser(ctx, { role: 'admin', teamIds: [] })

    const refused = await update(other.id, { role: 'agent' })
    const confirmed = await update(other.id, { role: 'agent', confirmNoTeam: true })

    expect(refused.statusCode).toBe(400)
    expect(refused.json<{ error: { message: string } }>().error.message).toBe(noTeamRefusal)
    expect(confirmed.json<User>()).toMatchObject({ role: 'agent', teamIds: [] })
  })

  it('does not ask again to rename someone already without a team', async () => {
    const agent = await createUser(ctx, { role: 'agent', teamIds: [] })

    const response = await update(agent.id, { name: 'Still teamless', role: 'agent', teamIds: [] })

    expect(response.statusCode, response.body).toBe(200)
    expect(response.json<User>().name).toBe('Still teamless')
  })
})
