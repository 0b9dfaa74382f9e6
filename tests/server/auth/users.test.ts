import { randomBytes } from 'node:crypto'
import { sessionCookie, type AuditEntry, type Session, type User } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type * as passwords from '../../../server/src/auth/passwords.js'
import { hashSecret } from '../../../server/src/auth/secrets.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, createUser, firstTeamId, signIn, type SignedIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

/** How many passwords the server has hashed: the real hashing, counted. */
const hashing = vi.hoisted(() => ({ calls: 0 }))
vi.mock('../../../server/src/auth/passwords.js', async (importOriginal) => {
  const actual = await importOriginal<typeof passwords>()
  return {
    ...actual,
    hashPassword: (password: string) => {
      hashing.calls += 1
      return actual.hashPassword(password)
    },
  }
})

const publicUrl = 'https://care.example.com'
const newPassword = 'a brand new passphrase'
const dayMs = 24 * 60 * 60 * 1000

let database: TestDatabase
let ctx: AppContext
let clock: ReturnType<typeof createTestClock>
let app: FastifyInstance
let teamA: string
let teamB: string
let adminUser: { id: string; email: string; password: string }
/** Signed in afresh before each test: some tests move the clock past a session's life. */
let admin: SignedIn

let emailCounter = 0
function freshEmail(label: string): string {
  emailCounter += 1
  return `${label}-${emailCounter}-${Date.now()}@example.test`
}

function tokenOf(url: string): string {
  const token = url.split('/join/')[1]
  if (!token) throw new Error(`not a link: ${url}`)
  return token
}

async function invite(email: string, role: 'agent' | 'lead' | 'admin', teamIds: string[]): Promise<{ id: string; token: string }> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/users/invites',
    headers: admin.headers,
    payload: { email, role, teamIds, confirmNoTeam: teamIds.length === 0 },
  })
  expect(response.statusCode).toBe(200)
  const body = response.json<{ invite: { id: string }; link: { url: string } }>()
  return { id: body.invite.id, token: tokenOf(body.link.url) }
}

function describeLink(token: string) {
  return app.inject({ method: 'GET', url: `/api/auth/links/${token}` })
}

function useLink(token: string, body: { name?: string; password: string }) {
  return app.inject({ method: 'POST', url: `/api/auth/links/${token}`, payload: body })
}

function login(email: string, password: string) {
  return app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `192.0.2.${(emailCounter % 200) + 1}`, payload: { email, password } })
}

function me(cookie: string) {
  return app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })
}

async function usersWithEmail(email: string) {
  return ctx.db.selectFrom('users').select(['id', 'role', 'active']).where('email', '=', email).execute()
}

async function auditOf(action: string, targetId: string) {
  return ctx.db.selectFrom('auditLog').select(['actorUserId', 'details']).where('action', '=', action).where('targetId', '=', targetId).execute()
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database, { publicUrl })
  clock = createTestClock()
  ctx.clock = clock
  app = await buildTestApp(ctx)
  teamA = await firstTeamId(ctx)
  teamB = await createTeam(ctx, 'Team B')
  adminUser = await createUser(ctx, { role: 'admin', name: 'Ada Admin' })
})
beforeEach(async () => {
  admin = await signIn(app, adminUser.email, adminUser.password)
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('invitations', () => {
  it('makes the invitee a user with the role and teams of the invite, who can then sign in', async () => {
    const email = freshEmail('invitee')
    const { token } = await invite(email, 'lead', [teamB])

    const info = await describeLink(token)
    const joined = await useLink(token, { name: 'Nia New', password: newPassword })

    expect(info.json()).toMatchObject({ kind: 'invite', email, role: 'lead' })
    expect(joined.statusCode).toBe(200)
    expect(joined.cookies.find((cookie) => cookie.name === sessionCookie)).toMatchObject({ httpOnly: true, sameSite: 'Lax' })
    const session = joined.json<Session>()
    expect(session.user).toMatchObject({ email, name: 'Nia New', role: 'lead', teamIds: [teamB], active: true })
    expect(session.teams.map((team) => team.id)).toEqual([teamB])
    expect(await usersWithEmail(email)).toEqual([{ id: session.user.id, role: 'lead', active: true }])
    expect((await login(email, newPassword)).statusCode).toBe(200)
    expect(await auditOf('user.joined', session.user.id)).toEqual([{ actorUserId: session.user.id, details: { role: 'lead', via: 'invite' } }])
  })

  it('keeps only the hash of a link, and never lists a password hash', async () => {
    const email = freshEmail('hashed')
    const { id, token } = await invite(email, 'agent', [])

    const list = await app.inject({ method: 'GET', url: '/api/users', headers: admin.headers })
    const { rows } = await sql<{ tokenHash: Buffer; row: string }>`select token_hash, l::text as row from auth_links l where id = ${id}`.execute(ctx.db)

    expect(list.statusCode).toBe(200)
    expect(list.json<{ invites: { id: string }[] }>().invites.map((pending) => pending.id)).toContain(id)
    expect(list.body).not.toContain(token)
    expect(list.body).not.toContain('$argon2')
    expect(rows[0]?.tokenHash.equals(hashSecret(token))).toBe(true)
    expect(rows[0]?.row).not.toContain(token)
  })

  it('refuses a link used once already, and the second use changes nothing', async () => {
    const email = freshEmail('once')
    const { token } = await invite(email, 'agent', [teamA])
    const first = await useLink(token, { name: 'First', password: newPassword })

    const again = await useLink(token, { name: 'Second', password: 'another long password' })
    const info = await describeLink(token)

    expect(first.statusCode).toBe(200)
    expect(again.statusCode).toBe(404)
    expect(info.statusCode).toBe(404)
    expect(again.cookies).toEqual([])
    expect(await usersWithEmail(email)).toHaveLength(1)
    expect((await login(email, 'another long password')).statusCode).toBe(401)
    expect((await login(email, newPassword)).statusCode).toBe(200)
  })

  it('lets only one of two simultaneous uses of a link through', async () => {
    const email = freshEmail('race')
    const { token } = await invite(email, 'agent', [teamA])

    const results = await Promise.all([useLink(token, { name: 'One', password: newPassword }), useLink(token, { name: 'Two', password: newPassword })])

    expect(results.map((response) => response.statusCode).sort()).toEqual([200, 404])
    expect(await usersWithEmail(email)).toHaveLength(1)
  })

  it('answers a used, a withdrawn and a made-up link alike', async () => {
    const used = await invite(freshEmail('used'), 'agent', [])
    await useLink(used.token, { name: 'Used', password: newPassword })
    const withdrawn = await invite(freshEmail('withdrawn'), 'agent', [])
    await app.inject({ method: 'DELETE', url: `/api/users/invites/${withdrawn.id}`, headers: admin.headers })

    const answers = await Promise.all([used.token, withdrawn.token, randomBytes(32).toString('base64url')].map(describeLink))

    expect(answers.map((response) => response.statusCode)).toEqual([404, 404, 404])
    expect(new Set(answers.map((response) => response.body)).size).toBe(1)
  })

  it('refuses an invite once it is 8 days old', async () => {
    const email = freshEmail('late')
    const { token } = await invite(email, 'admin', [teamA])

    clock.advance(8 * dayMs)
    const info = await describeLink(token)
    const joined = await useLink(token, { name: 'Too Late', password: newPassword })

    expect(info.statusCode).toBe(404)
    expect(joined.statusCode).toBe(404)
    expect(await usersWithEmail(email)).toEqual([])
  })

  it('refuses a withdrawn invite, and no longer lists it', async () => {
    const email = freshEmail('revoked')
    const { id, token } = await invite(email, 'admin', [teamA])

    const revoke = await app.inject({ method: 'DELETE', url: `/api/users/invites/${id}`, headers: admin.headers })
    const revokeAgain = await app.inject({ method: 'DELETE', url: `/api/users/invites/${id}`, headers: admin.headers })
    const joined = await useLink(token, { name: 'Revoked', password: newPassword })
    const list = await app.inject({ method: 'GET', url: '/api/users', headers: admin.headers })

    expect(revoke.statusCode).toBe(200)
    expect(revokeAgain.statusCode).toBe(404)
    expect(joined.statusCode).toBe(404)
    expect(await usersWithEmail(email)).toEqual([])
    expect(list.json<{ invites: { id: string }[] }>().invites.map((pending) => pending.id)).not.toContain(id)
  })

  it('spends no password hashing on links that do not exist', async () => {
    const calls = hashing.calls

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => useLink(randomBytes(32).toString('base64url'), { name: 'Flood', password: 'p'.repeat(200) })),
    )

    expect(answers.map((response) => response.statusCode)).toEqual(Array<number>(10).fill(404))
    expect(hashing.calls).toBe(calls)
  })

  it('refuses to invite an email that has an account, and issues no link', async () => {
    const existing = await createUser(ctx, { role: 'agent' })
    const links = await ctx.db.selectFrom('authLinks').select('id').execute()

    const response = await app.inject({
      method: 'POST',
      url: '/api/users/invites',
      headers: admin.headers,
      payload: { email: existing.email.toUpperCase(), role: 'admin', teamIds: [] },
    })

    expect(response.statusCode).toBe(409)
    expect(await ctx.db.selectFrom('authLinks').select('id').execute()).toEqual(links)
  })
})

describe('password reset', () => {
  it('ends every session of the user, and its link sets the new password', async () => {
    const user = await createUser(ctx, { role: 'agent' })
    const before = await signIn(app, user.email, user.password)

    const issued = await app.inject({ method: 'POST', url: `/api/users/${user.id}/password-reset`, headers: admin.headers })
    const afterIssue = await me(before.cookie)
    // The old password stops working as soon as the reset is made.
    const meanwhile = await login(user.email, user.password)
    const reset = await useLink(tokenOf(issued.json<{ link: { url: string } }>().link.url), { password: newPassword })

    expect(issued.statusCode).toBe(200)
    expect(afterIssue.statusCode).toBe(401)
    expect(reset.statusCode).toBe(200)
    expect(meanwhile.statusCode).toBe(401)
    expect((await login(user.email, user.password)).statusCode).toBe(401)
    expect((await login(user.email, newPassword)).statusCode).toBe(200)
    expect(await auditOf('user.password_reset_issued', user.id)).toEqual([{ actorUserId: adminUser.id, details: {} }])
    expect(await auditOf('user.password_reset_completed', user.id)).toHaveLength(1)
  })

  it('keeps only the newest reset link working', async () => {
    const user = await createUser(ctx, { role: 'agent' })
    const first = await app.inject({ method: 'POST', url: `/api/users/${user.id}/password-reset`, headers: admin.headers })
    const second = await app.inject({ method: 'POST', url: `/api/users/${user.id}/password-reset`, headers: admin.headers })

    const oldLink = await useLink(tokenOf(first.json<{ link: { url: string } }>().link.url), { password: newPassword })
    const newLink = await useLink(tokenOf(second.json<{ link: { url: string } }>().link.url), { password: 'the newest passphrase' })

    expect(oldLink.statusCode).toBe(404)
    expect(newLink.statusCode).toBe(200)
    expect((await login(user.email, newPassword)).statusCode).toBe(401)
  })

  it("refuses a deactivated user's reset link, changing nothing", async () => {
    const user = await createUser(ctx, { role: 'agent' })
    const issued = await app.inject({ method: 'POST', url: `/api/users/${user.id}/password-reset`, headers: admin.headers })
    await app.inject({ method: 'POST', url: `/api/users/${user.id}/deactivate`, headers: admin.headers })
    const hashBefore = await ctx.db.selectFrom('users').select('passwordHash').where('id', '=', user.id).executeTakeFirstOrThrow()

    const reset = await useLink(tokenOf(issued.json<{ link: { url: string } }>().link.url), { password: newPassword })

    expect(reset.statusCode).toBe(404)
    expect(await ctx.db.selectFrom('users').select('passwordHash').where('id', '=', user.id).executeTakeFirstOrThrow()).toEqual(hashBefore)
    expect(await ctx.db.selectFrom('sessions').select('id').where('userId', '=', user.id).execute()).toEqual([])
  })
})

describe('deactivation', () => {
  it('ends the sessions of the user, who cannot sign in until reactivated', async () => {
    const user = await createUser(ctx, { role: 'lead' })
    const session = await signIn(app, user.email, user.password)

    const deactivated = await app.inject({ method: 'POST', url: `/api/users/${user.id}/deactivate`, headers: admin.headers })
    const afterwards = await me(session.cookie)
    const rightPassword = await login(user.email, user.password)
    const sessions = await ctx.db.selectFrom('sessions').select('id').where('userId', '=', user.id).execute()
    const reactivated = await app.inject({ method: 'POST', url: `/api/users/${user.id}/reactivate`, headers: admin.headers })

    expect(deactivated.statusCode).toBe(200)
    expect(deactivated.json<User>().active).toBe(false)
    expect(afterwards.statusCode).toBe(401)
    expect(rightPassword.statusCode).toBe(401)
    expect(sessions).toEqual([])
    expect(await auditOf('user.deactivated', user.id)).toEqual([{ actorUserId: adminUser.id, details: {} }])
    expect(reactivated.statusCode).toBe(200)
    expect((await login(user.email, user.password)).statusCode).toBe(200)
  })
})

describe('the last admin', () => {
  it('cannot be demoted or deactivated, and an admin cannot deactivate themselves', async () => {
    await ctx.db.updateTable('users').set({ active: false }).where('role', '=', 'admin').where('id', '<>', adminUser.id).execute()
    const before = await ctx.db.selectFrom('users').select(['name', 'role', 'active']).where('id', '=', adminUser.id).executeTakeFirstOrThrow()
    const teamsBefore = await ctx.db.selectFrom('teamMembers').select('teamId').where('userId', '=', adminUser.id).execute()

    const demote = await app.inject({ method: 'PATCH', url: `/api/users/${adminUser.id}`, headers: admin.headers, payload: { role: 'agent' } })
    // The refused role change takes the rest of the request down with it.
    const demoteWithMore = await app.inject({
      method: 'PATCH',
      url: `/api/users/${adminUser.id}`,
      headers: admin.headers,
      payload: { name: 'Renamed', teamIds: [teamB], role: 'lead' },
    })
    const deactivate = await app.inject({ method: 'POST', url: `/api/users/${adminUser.id}/deactivate`, headers: admin.headers })

    expect([demote.statusCode, demoteWithMore.statusCode, deactivate.statusCode]).toEqual([409, 409, 409])
    expect(demote.json().error.code).toBe('conflict')
    expect(await ctx.db.selectFrom('users').select(['name', 'role', 'active']).where('id', '=', adminUser.id).executeTakeFirstOrThrow()).toEqual(before)
    expect(await ctx.db.selectFrom('teamMembers').select('teamId').where('userId', '=', adminUser.id).execute()).toEqual(teamsBefore)
    expect((await me(admin.cookie)).statusCode).toBe(200)
  })

  it('cannot deactivate themselves even when other admins remain', async () => {
    await createUser(ctx, { role: 'admin' })

    const response = await app.inject({ method: 'POST', url: `/api/users/${adminUser.id}/deactivate`, headers: admin.headers })

    expect(response.statusCode).toBe(409)
    expect((await ctx.db.selectFrom('users').select('active').where('id', '=', adminUser.id).executeTakeFirstOrThrow()).active).toBe(true)
  })

  it('survives two admins demoting each other at the same moment', async () => {
    await ctx.db.updateTable('users').set({ active: false }).where('role', '=', 'admin').where('id', '<>', adminUser.id).execute()
    const other = await createUser(ctx, { role: 'admin' })
    const otherSession = await signIn(app, other.email, other.password)

    const results = await Promise.all([
      app.inject({ method: 'PATCH', url: `/api/users/${other.id}`, headers: admin.headers, payload: { role: 'agent' } }),
      app.inject({ method: 'PATCH', url: `/api/users/${adminUser.id}`, headers: otherSession.headers, payload: { role: 'agent' } }),
    ])
    const admins = await ctx.db.selectFrom('users').select('id').where('role', '=', 'admin').where('active', '=', true).execute()
    // Put the file's admin back for the tests after this one, whichever request won.
    await ctx.db.updateTable('users').set({ role: 'admin' }).where('id', '=', adminUser.id).execute()

    const statuses = results.map((response) => response.statusCode).sort()
    expect(statuses[0]).toBe(200)
    expect([403, 409]).toContain(statuses[1])
    expect(admins).toHaveLength(1)
  })
})

describe('role changes', () => {
  it('are audited with from and to, and apply to sessions already open', async () => {
    const user = await createUser(ctx, { role: 'agent' })
    const session = await signIn(app, user.email, user.password)
    const asAgent = await app.inject({ method: 'GET', url: '/api/users', headers: session.headers })

    const promote = await app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: admin.headers, payload: { role: 'admin' } })
    const asAdmin = await app.inject({ method: 'GET', url: '/api/users', headers: session.headers })
    await app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: admin.headers, payload: { role: 'lead' } })
    const asLead = await app.inject({ method: 'GET', url: '/api/users', headers: session.headers })

    expect(asAgent.statusCode).toBe(403)
    expect(promote.statusCode).toBe(200)
    expect(promote.json<User>().role).toBe('admin')
    expect(asAdmin.statusCode).toBe(200)
    expect(asLead.statusCode).toBe(403)
    const audit = await ctx.db
      .selectFrom('auditLog')
      .select(['actorUserId', 'details'])
      .where('action', '=', 'user.role_changed')
      .where('targetId', '=', user.id)
      .orderBy('at')
      .execute()
    expect(audit).toEqual([
      { actorUserId: adminUser.id, details: { from: 'agent', to: 'admin' } },
      { actorUserId: adminUser.id, details: { from: 'admin', to: 'lead' } },
    ])
  })
})

describe('GET /api/audit', () => {
  function listAudit(query: string) {
    return app.inject({ method: 'GET', url: `/api/audit${query}`, headers: admin.headers }).then((response) => {
      expect(response.statusCode).toBe(200)
      return response.json<{ items: AuditEntry[]; nextCursor: string | null }>()
    })
  }

  it("lists entries newest first, with the actor's name", async () => {
    const created = await app.inject({ method: 'POST', url: '/api/teams', headers: admin.headers, payload: { name: 'Audited team' } })
    const teamId = created.json<{ id: string }>().id
    await app.inject({ method: 'PATCH', url: `/api/teams/${teamId}`, headers: admin.headers, payload: { name: 'Audited team, renamed' } })
    await login('nobody@example.test', 'wrong password')

    const page = await listAudit('?limit=3')

    expect(page.items.map((entry) => entry.action)).toEqual(['auth.login_failed', 'team.renamed', 'team.created'])
    expect(page.items[0]?.actor).toEqual({ kind: 'system' })
    expect(page.items[1]).toMatchObject({
      actor: { kind: 'user', id: adminUser.id, name: 'Ada Admin', email: adminUser.email },
      targetType: 'team',
      targetId: teamId,
      details: { name: 'Audited team, renamed' },
      ip: '127.0.0.1',
    })
    const times = page.items.map((entry) => Date.parse(entry.at))
    expect([...times].sort((a, b) => b - a)).toEqual(times)
  })

  it('pages through every entry exactly once with nextCursor, entries written together included', async () => {
    const start = Date.parse('2026-01-05T10:00:00.000Z')
    // Entries 2, 3 and 4 share one time, as the entries of one transaction do.
    const times = [0, 1, 2, 2, 2, 3, 4].map((s) => new Date(start + s * 1000))
    await ctx.db
      .insertInto('auditLog')
      .values(times.map((at, i) => ({ action: 'test.paged', at, details: JSON.stringify({ n: i }) })))
      .execute()

    const seen: number[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: { items: AuditEntry[]; nextCursor: string | null } = await listAudit(`?action=test.paged&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      seen.push(...page.items.map((entry) => entry.details.n as number))
      cursor = page.nextCursor
      pages += 1
    } while (cursor && pages < 10)

    expect(pages).toBe(4)
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(seen.slice(0, 2)).toEqual([6, 5])
    expect(seen.at(-1)).toBe(0)
  })

  it('filters by action', async () => {
    await app.inject({ method: 'POST', url: '/api/teams', headers: admin.headers, payload: { name: 'Filtered team' } })

    const created = await listAudit('?action=team.created')
    const none = await listAudit('?action=no.such_action')

    expect(created.items.length).toBeGreaterThan(0)
    expect(created.items.every((entry) => entry.action === 'team.created')).toBe(true)
    expect(created.items.map((entry) => entry.details.name)).toContain('Filtered team')
    expect(none).toEqual({ items: [], nextCursor: null })
  })
})
