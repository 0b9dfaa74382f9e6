import { randomBytes } from 'node:crypto'
import { csrfHeader, sessionCookie, type Session } from '@carebox/shared'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loginLimits } from '../../../server/src/auth/login.service.js'
import { hashSecret } from '../../../server/src/auth/secrets.js'
import { sessionIdleMs } from '../../../server/src/auth/sessions.repository.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createUser, signIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

const publicUrl = 'https://care.example.com'

let database: TestDatabase
let ctx: AppContext
let clock: ReturnType<typeof createTestClock>
let app: FastifyInstance

/** A caller of its own: failures are also counted per address, so each test keeps its attempts apart. */
let ipCounter = 0
function nextIp(): string {
  ipCounter += 1
  return `198.51.100.${ipCounter}`
}

function login(email: string, password: string, options: { ip?: string; headers?: Record<string, string> } = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: options.ip ?? nextIp(),
    headers: options.headers,
    payload: { email, password },
  })
}

function sessionCookieOf(response: LightMyRequestResponse) {
  return response.cookies.find((cookie) => cookie.name === sessionCookie)
}

function me(cookieValue: string) {
  return app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${sessionCookie}=${cookieValue}` } })
}

async function sessionCount(userId: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('userId', '=', userId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function failureCount(email: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('loginFailures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The same response, as a client sees it: status, content type and every byte of the body. */
function visible(response: LightMyRequestResponse) {
  return { status: response.statusCode, contentType: response.headers['content-type'], body: response.body, cookie: response.headers['set-cookie'] }
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database, { publicUrl })
  clock = createTestClock()
  ctx.clock = clock
  app = await buildTestApp(ctx)
})
beforeEach(async () => {
  await ctx.db.deleteFrom('loginFailures').execute()
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('POST /api/auth/login', () => {
  it('sets an httpOnly, SameSite=Lax session cookie and answers the session when the password is right', async () => {
    const user = await createUser(ctx, { role: 'agent' })

    const response = await login(user.email, user.password)

    expect(response.statusCode).toBe(200)
    const cookie = sessionCookieOf(response)
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: true, maxAge: 7 * 24 * 60 * 60 })
    const session = response.json<Session>()
    expect(session.user).toMatchObject({ id: user.id, email: user.email, role: 'agent', active: true })
    expect(session.csrfToken).toMatch(/^[\w-]{43}$/)
    expect(session.csrfToken).not.toBe(cookie?.value)
    // The server keeps only the cookie's hash: a copy of the table cannot be replayed as cookies.
    const rows = await ctx.db.selectFrom('sessions').select(['tokenHash', 'csrfToken']).where('userId', '=', user.id).execute()
    expect(rows).toEqual([{ tokenHash: hashSecret(cookie?.value ?? ''), csrfToken: session.csrfToken }])
    expect((await me(cookie?.value ?? '')).json<Session>().user.id).toBe(user.id)
  })

  it('refuses even the right password with 429 after 5 wrong ones for the email, from any address', async () => {
    const user = await createUser(ctx, { role: 'agent' })

    const wrong = []
    for (let i = 0; i < loginLimits.perEmail; i++) wrong.push((await login(user.email, `wrong password ${i}`)).statusCode)
    const right = await login(user.email, user.password)

    expect(wrong).toEqual([401, 401, 401, 401, 401])
    expect(right.statusCode).toBe(429)
    expect(right.json().error.code).toBe('rate_limited')
    expect(sessionCookieOf(right)).toBeUndefined()
    expect(await sessionCount(user.id)).toBe(0)
    expect(await failureCount(user.email)).toBe(5)
  })

  it('counts the email in any case and spacing as one', async () => {
    const user = await createUser(ctx, { role: 'agent' })
    const variants = [user.email.toUpperCase(), ` ${user.email}`, user.email.replace(/^./, (c) => c.toUpperCase()), `${user.email} `, user.email]

    for (const email of variants) await login(email, 'wrong password')
    const right = await login(user.email, user.password)

    expect(right.statusCode).toBe(429)
    expect(await sessionCount(user.id)).toBe(0)
  })

  it('locks an unknown email exactly as it locks a known one, so the lockout tells nothing', async () => {
    const user = await createUser(ctx, { role: 'agent' })
    const unknown = `nobody-${Date.now()}@example.test`

    for (let i = 0; i < loginLimits.perEmail; i++) {
      await login(user.email, 'wrong password')
      await login(unknown, 'wrong password')
    }
    const known = await login(user.email, user.password)
    const missing = await login(unknown, user.password)

    expect(known.statusCode).toBe(429)
    expect(visible(missing)).toEqual(visible(known))
    expect(await failureCount(unknown)).toBe(5)
  })

  it('checks no more than 5 passwords for an email, however many guesses arrive at once', async () => {
    const user = await createUser(ctx, { role: 'agent' })

    const burst = await Promise.all(Array.from({ length: 25 }, (_, i) => login(user.email, `guess number ${i}`)))
    const after = []
    for (let i = 0; i < loginLimits.perEmail; i++) after.push(await login(user.email, `later guess ${i}`))
    const right = await login(user.email, user.password)

    const statuses = [...burst, ...after].map((response) => response.statusCode)
    expect(statuses.filter((status) => status === 401)).toHaveLength(loginLimits.perEmail)
    expect(statuses.filter((status) => status !== 401).every((status) => status === 429)).toBe(true)
    expect(right.statusCode).toBe(429)
    expect(await sessionCount(user.id)).toBe(0)
    expect(await failureCount(user.email)).toBe(loginLimits.perEmail)
  })

  it('refuses every email from an address after 20 failures there, and only from that address', async () => {
    const user = await createUser(ctx, { role: 'agent' })
    const ip = '203.0.113.7'

    for (let i = 0; i < loginLimits.perIp; i++) {
      expect((await login(`spray-${i}-${Date.now()}@example.test`, 'Winter2026!', { ip })).statusCode).toBe(401)
    }
    const fromThere = await login(user.email, user.password, { ip })
    // Without a trusted proxy, X-Forwarded-For is the caller's word, not a new address.
    const spoofed = await login(user.email, user.password, { ip, headers: { 'x-forwarded-for': '192.0.2.99' } })
    const sessionsBefore = await sessionCount(user.id)
    const fromElsewhere = await login(user.email, user.password, { ip: '203.0.113.8' })

    expect(fromThere.statusCode).toBe(429)
    expect(spoofed.statusCode).toBe(429)
    expect(sessionsBefore).toBe(0)
    expect(fromElsewhere.statusCode).toBe(200)
    expect(await sessionCount(user.id)).toBe(1)
  })

  it('counts an IPv6 /64 as one address: a new address in the same network does not reset the limit', async () => {
    const user = await createUser(ctx, { role: 'agent' })

    for (let i = 0; i < loginLimits.perIp; i++) {
      expect((await login(`v6-${i}-${Date.now()}@example.test`, 'Winter2026!', { ip: `2001:db8:7:7::${(i + 1).toString(16)}` })).statusCode).toBe(401)
    }
    const sameNetwork = await login(user.email, user.password, { ip: '2001:db8:7:7:ffff::1' })
    const otherNetwork = await login(user.email, user.password, { ip: '2001:db8:7:8::1' })

    expect(sameNetwork.statusCode).toBe(429)
    expect(otherNetwork.statusCode).toBe(200)
  })

  it('answers an unknown email, a wrong password and a deactivated account byte for byte the same', async () => {
    const user = await createUser(ctx, { role: 'agent' })
    const deactivated = await createUser(ctx, { role: 'agent' })
    await ctx.db.updateTable('users').set({ active: false }).where('id', '=', deactivated.id).execute()

    const unknown = await login(`ghost-${Date.now()}@example.test`, user.password)
    const wrongPassword = await login(user.email, 'not the password')
    const rightButDeactivated = await login(deactivated.email, deactivated.password)

    expect(unknown.statusCode).toBe(401)
    expect(visible(wrongPassword)).toEqual(visible(unknown))
    expect(visible(rightButDeactivated)).toEqual(visible(unknown))
    expect(await sessionCount(deactivated.id)).toBe(0)
  })

  it('lets the email in again once 15 minutes have passed since the last failure', async () => {
    const user = await createUser(ctx, { role: 'agent' })
    for (let i = 0; i < loginLimits.perEmail; i++) await login(user.email, 'wrong password')
    const locked = await login(user.email, user.password)

    clock.advance(loginLimits.windowMs - 1000)
    const stillLocked = await login(user.email, user.password)
    clock.advance(1000)
    const unlocked = await login(user.email, user.password)

    expect(locked.statusCode).toBe(429)
    expect(stillLocked.statusCode).toBe(429)
    expect(unlocked.statusCode).toBe(200)
    expect(await failureCount(user.email)).toBe(0)
  })

  it('refuses a sign-in posted from another site, and signs no one in', async () => {
    const user = await createUser(ctx, { role: 'agent' })

    const foreign = await login(user.email, user.password, { headers: { origin: 'https://evil.example' } })
    const opaque = await login(user.email, user.password, { headers: { origin: 'null' } })
    const own = await login(user.email, user.password, { headers: { origin: publicUrl } })

    expect(foreign.statusCode).toBe(403)
    expect(opaque.statusCode).toBe(403)
    expect(sessionCookieOf(foreign)).toBeUndefined()
    expect(own.statusCode).toBe(200)
    expect(await sessionCount(user.id)).toBe(1)
  })

  it('audits sign-ins, failures and refusals with the address and user agent', async () => {
    const user = await createUser(ctx, { role: 'agent' })
    const ip = '192.0.2.44'
    const headers = { 'user-agent': 'AuditProbe/1.0' }
    await login(user.email, user.password, { ip, headers })
    for (let i = 0; i < loginLimits.perEmail; i++) await login(user.email, 'wrong password', { ip, headers })
    await login(user.email, user.password, { ip, headers })

    const entries = await ctx.db
      .selectFrom('auditLog')
      .select(['action', 'actorUserId', 'targetId', 'ip', 'userAgent', 'details'])
      .where('ip', '=', ip)
      .orderBy('at')
      .execute()

    expect(entries.map((entry) => entry.action)).toEqual(['auth.login', ...Array<string>(5).fill('auth.login_failed'), 'auth.login_throttled'])
    expect(entries[0]).toMatchObject({ actorUserId: user.id, targetId: user.id, userAgent: 'AuditProbe/1.0' })
    for (const entry of entries.slice(1)) {
      expect(entry).toMatchObject({ actorUserId: null, userAgent: 'AuditProbe/1.0', details: { email: user.email } })
    }
    expect(JSON.stringify(entries)).not.toContain('wrong password')
    expect(JSON.stringify(entries)).not.toContain(user.password)
  })
})

describe('session fixation', () => {
  it('never adopts a session id planted before sign-in', async () => {
    const user = await createUser(ctx, { role: 'agent' })
    const planted = randomBytes(32).toString('base64url')

    const response = await login(user.email, user.password, { headers: { cookie: `${sessionCookie}=${planted}` } })

    expect(response.statusCode).toBe(200)
    const issued = sessionCookieOf(response)?.value
    expect(issued).toBeDefined()
    expect(issued).not.toBe(planted)
    expect(await ctx.db.selectFrom('sessions').select('id').where('tokenHash', '=', hashSecret(planted)).execute()).toEqual([])
    expect((await me(planted)).statusCode).toBe(401)
    expect((await me(issued ?? '')).statusCode).toBe(200)
  })

  it('ends a live session planted before sign-in instead of carrying it on', async () => {
    const attacker = await createUser(ctx, { role: 'agent' })
    const victim = await createUser(ctx, { role: 'lead' })
    const planted = await signIn(app, attacker.email, attacker.password)
    const plantedValue = planted.cookie.slice(sessionCookie.length + 1)

    const response = await login(victim.email, victim.password, { headers: planted.headers })

    expect(response.statusCode).toBe(200)
    const issued = sessionCookieOf(response)?.value ?? ''
    expect(issued).not.toBe(plantedValue)
    expect(await sessionCount(attacker.id)).toBe(0)
    expect((await me(plantedValue)).statusCode).toBe(401)
    expect((await me(issued)).json<Session>().user.id).toBe(victim.id)
  })
})

describe('POST /api/auth/logout', () => {
  it('ends the session on the server, so the old cookie no longer works', async () => {
    const user = await createUser(ctx, { role: 'agent' })
    const signedIn = await signIn(app, user.email, user.password)
    const value = signedIn.cookie.slice(sessionCookie.length + 1)

    const response = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: signedIn.headers })

    expect(response.statusCode).toBe(200)
    expect(sessionCookieOf(response)).toMatchObject({ value: '', httpOnly: true })
    expect(await sessionCount(user.id)).toBe(0)
    expect((await me(value)).statusCode).toBe(401)
    const audit = await ctx.db.selectFrom('auditLog').select('action').where('targetId', '=', user.id).where('action', '=', 'auth.logout').execute()
    expect(audit).toHaveLength(1)
  })

  it('keeps the session when another site tries to sign the user out', async () => {
    const user = await createUser(ctx, { role: 'agent' })
    const signedIn = await signIn(app, user.email, user.password)

    const withoutToken = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: signedIn.cookie } })
    const wrongToken = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: signedIn.cookie, [csrfHeader]: 'x'.repeat(43) } })

    expect(withoutToken.statusCode).toBe(403)
    expect(wrongToken.statusCode).toBe(403)
    expect(await sessionCount(user.id)).toBe(1)
  })
})

describe('GET /api/auth/me', () => {
  it('answers 401 without a session, and for a made-up cookie', async () => {
    const none = await app.inject({ method: 'GET', url: '/api/auth/me' })
    const forged = await me(randomBytes(32).toString('base64url'))
    const garbage = await me("' or 1=1 --")

    expect(none.statusCode).toBe(401)
    expect(none.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } })
    expect(forged.statusCode).toBe(401)
    expect(garbage.statusCode).toBe(401)
  })

  it('answers 401 once a session has been idle for 12 hours', async () => {
    const user = await createUser(ctx, { role: 'agent' })
    const signedIn = await signIn(app, user.email, user.password)
    const value = signedIn.cookie.slice(sessionCookie.length + 1)

    clock.advance(sessionIdleMs - 60_000)
    const stillLive = await me(value)
    clock.advance(sessionIdleMs + 1)
    const idle = await me(value)

    expect(stillLive.statusCode).toBe(200)
    expect(idle.statusCode).toBe(401)
  })
})
