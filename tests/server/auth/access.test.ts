import { randomUUID } from 'node:crypto'
import * as shared from '@carebox/shared'
import { csrfHeader, sessionCookie, tokenScopes, type RouteContract, type TokenScope } from '@carebox/shared'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { hashSecret } from '../../../server/src/auth/secrets.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, createUser, firstTeamId, signIn, signedInAs, testPassword, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'
import { metaBytes, metaSignature, postMeta } from '../../support/webhooks.js'

const publicUrl = 'https://care.example.com'
const evilOrigin = 'https://evil.example'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let teamA: string
let teamB: string
let pageA: string
let pageB: string
/** Conversations by the team whose channel they came in on. */
let conversationsA: string[]
let conversationsB: string[]
let admin: SignedIn
let lead: SignedIn
let agentA: SignedIn
let agentB: SignedIn
let agentWithoutTeam: SignedIn

interface NamedContract {
  name: string
  contract: RouteContract
}

/** Every route contract exported from @carebox/shared: the `*Api` objects. */
const contracts: NamedContract[] = Object.entries(shared)
  .filter(([exportName, value]) => exportName.endsWith('Api') && typeof value === 'object' && value !== null)
  .flatMap(([exportName, api]) => Object.entries(api as Record<string, RouteContract>).map(([name, contract]) => ({ name: `${exportName}.${name}`, contract })))
const guarded = contracts.filter(({ contract }) => contract.access.role !== 'public')
const adminOnly = contracts.filter(({ contract }) => contract.access.role === 'admin')

/** A URL for the contract: each :param from `values`, else a valid value the param's schema accepts. */
function urlFor(contract: RouteContract, values: Record<string, string> = {}): string {
  const properties = (contract.schema.params as { properties?: Record<string, { format?: string; type?: string }> } | undefined)?.properties ?? {}
  return contract.url.replace(/:(\w+)/g, (_, name: string) => {
    if (values[name] !== undefined) return values[name]
    const schema = properties[name]
    if (schema?.format === 'uuid') return randomUUID()
    if (schema?.type === 'integer') return '0'
    return 'a'.repeat(43)
  })
}

function inject(contract: RouteContract, options: { url?: string; headers?: Record<string, string>; payload?: unknown } = {}) {
  return app.inject({
    method: contract.method,
    url: options.url ?? urlFor(contract),
    headers: options.headers,
    ...(options.payload !== undefined && { payload: options.payload as InjectOptions['payload'] }),
  })
}

/** What an attack could change: accounts, teams, channels, tokens, links, sessions, the audit log. */
async function snapshot() {
  const { rows } = await sql<Record<string, unknown>>`
    select
      (select json_agg(u order by u.id) from (select id, email, name, role, active, password_hash from users) u) as users,
      (select json_agg(m order by m.user_id, m.team_id) from team_members m) as members,
      (select json_agg(t order by t.id) from (select id, name from teams) t) as teams,
      (select json_agg(c order by c.id) from (select id, name, team_id, enabled, config, secrets_ciphertext, error_count from channels) c) as channels,
      (select json_agg(k order by k.id) from (select id, name, scopes, revoked_at from api_tokens) k) as tokens,
      (select json_agg(l order by l.id) from (select id, email, role, team_ids, used_at, revoked_at from auth_links) l) as links,
      (select count(*)::int from sessions) as sessions,
      (select count(*)::int from conversations) as conversations,
      (select count(*)::int from messages) as messages,
      (select count(*)::int from audit_log) as audit`.execute(ctx.db)
  return rows[0]
}

async function ingestMessage(pageId: string, appSecret: string, mid: string, psid: string): Promise<void> {
  const raw = metaBytes({
    object: 'page',
    entry: [
      {
        id: pageId,
        time: 1767225600000,
        messaging: [{ sender: { id: psid }, recipient: { id: pageId }, timestamp: 1767225599000, message: { mid, text: `hello from ${psid}` } }],
      },
    ],
  })
  const response = await postMeta(app, raw, metaSignature(raw, appSecret))
  expect(response.statusCode).toBe(200)
}

async function conversationsOf(channelId: string): Promise<string[]> {
  return (await ctx.db.selectFrom('conversations').select('id').where('channelId', '=', channelId).orderBy('id').execute()).map((row) => row.id)
}

async function createToken(scopes: TokenScope[]): Promise<{ id: string; secret: string }> {
  const response = await app.inject({ method: 'POST', url: '/api/tokens', headers: admin.headers, payload: { name: `token ${scopes.join(' ')}`, scopes } })
  expect(response.statusCode).toBe(200)
  const body = response.json<{ token: { id: string }; secret: string }>()
  return { id: body.token.id, secret: body.secret }
}

function bearer(secret: string) {
  return { authorization: `Bearer ${secret}` }
}

const facebookPage = (externalId: string) => ({
  kind: 'facebook',
  name: 'Mallory Page',
  externalId,
  settings: { mode: 'webhook', apiBaseUrl: 'https://graph.facebook.com/v21.0' },
  secrets: { appSecret: 'mallory-app-secret', accessToken: 'mallory-token' },
})

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database, { publicUrl })
  app = await buildTestApp(ctx)
  teamA = await firstTeamId(ctx)
  teamB = await createTeam(ctx, 'Team B')
  const page = { kind: 'facebook' as const, settings: { mode: 'webhook' as const, apiBaseUrl: 'http://127.0.0.1:9/graph' } }
  pageA = (await createChannel(ctx, { ...page, name: 'Page A', externalId: '1001', teamId: teamA, secrets: { appSecret: 'secret-a', accessToken: 't' } })).id
  pageB = (await createChannel(ctx, { ...page, name: 'Page B', externalId: '2002', teamId: teamB, secrets: { appSecret: 'secret-b', accessToken: 't' } })).id
  await ingestMessage('1001', 'secret-a', 'm_a1', 'customer-a1')
  await ingestMessage('1001', 'secret-a', 'm_a2', 'customer-a2')
  await ingestMessage('2002', 'secret-b', 'm_b1', 'customer-b1')
  await processQueue(ctx, database.pool)
  conversationsA = await conversationsOf(pageA)
  conversationsB = await conversationsOf(pageB)
  admin = await signedInAs(ctx, app, 'admin')
  lead = await signedInAs(ctx, app, 'lead', [teamA])
  agentA = await signedInAs(ctx, app, 'agent', [teamA])
  agentB = await signedInAs(ctx, app, 'agent', [teamB])
  agentWithoutTeam = await signedInAs(ctx, app, 'agent', [])
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('route contracts', () => {
  it('are all registered, and only sign-in, links, probes and the survey page are public', () => {
    const publicRoutes = contracts.filter(({ contract }) => contract.access.role === 'public').map(({ contract }) => `${contract.method} ${contract.url}`)

    expect(guarded.length).toBeGreaterThan(20)
    for (const { contract } of contracts) expect(app.hasRoute({ method: contract.method, url: contract.url }), contract.url).toBe(true)
    expect(publicRoutes.sort()).toEqual(
      [
        'POST /api/auth/login',
        'POST /api/auth/logout',
        'GET /api/auth/links/:token',
        'POST /api/auth/links/:token',
        'GET /healthz',
        'GET /readyz',
        'GET /metrics',
        // A public thread's survey link: the unguessable token is the key (see tests/server/surveys).
        'GET /survey/:token',
        'POST /survey/:token',
      ].sort(),
    )
  })
})

describe('without credentials', () => {
  const cases = guarded.flatMap(({ name, contract }) => [
    { label: `${name}: ${contract.method} ${contract.url}`, contract, method: contract.method },
    ...(contract.method === 'GET' ? [{ label: `${name}: HEAD ${contract.url}`, contract, method: 'HEAD' as const }] : []),
  ])

  it.each(cases)('$label answers 401 and changes nothing', async ({ contract, method }) => {
    const before = await snapshot()
    const url = urlFor(contract, { id: pageA })

    const none = await app.inject({ method, url })
    const forgedCookie = await app.inject({ method, url, headers: { cookie: `${sessionCookie}=${'A'.repeat(43)}` } })
    const forgedToken = await app.inject({ method, url, headers: bearer(`cbx_${'A'.repeat(43)}`) })
    const otherScheme = await app.inject({ method, url, headers: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` } })

    for (const response of [none, forgedCookie, forgedToken, otherScheme]) {
      expect(response.statusCode).toBe(401)
      if (method !== 'HEAD') expect(response.json().error.code).toBe('unauthorized')
    }
    expect(await snapshot()).toEqual(before)
  })
})

describe('roles', () => {
  /** The most damaging call of each admin route an agent or lead could try: real targets, valid bodies. */
  function attack(name: string, contract: RouteContract, attacker: SignedIn, ids: { invite: string; token: string }) {
    const targets: Record<string, Record<string, string>> = {
      'usersApi.update': { id: attacker.userId },
      'usersApi.revokeInvite': { id: ids.invite },
      'tokensApi.revoke': { id: ids.token },
      'teamsApi.update': { id: teamA },
      'channelsApi.update': { id: pageB },
      'channelsApi.deadLetters': { id: pageB },
      'channelsApi.replayDeadLetter': { id: pageB },
    }
    const bodies: Record<string, unknown> = {
      'usersApi.invite': { email: 'accomplice@example.test', role: 'admin', teamIds: [teamA, teamB] },
      'usersApi.update': { role: 'admin', teamIds: [teamA, teamB] },
      'tokensApi.create': { name: 'backdoor', scopes: [...tokenScopes] },
      'teamsApi.create': { name: 'Shadow team' },
      'teamsApi.update': { name: 'Renamed by an agent' },
      'channelsApi.create': facebookPage('666'),
      'channelsApi.update': { teamId: teamA, name: 'Taken over' },
    }
    // Everything else on a user targets an admin: deactivating them, or resetting their password to take over.
    const url = urlFor(contract, targets[name] ?? { id: name.startsWith('usersApi.') ? admin.userId : pageA })
    return inject(contract, { url, headers: attacker.headers, payload: bodies[name] })
  }

  it('lists the admin routes the matrix covers', () => {
    const names = adminOnly.map(({ name }) => name)

    expect(names).toEqual(
      expect.arrayContaining([
        'usersApi.list',
        'usersApi.invite',
        'usersApi.update',
        'usersApi.deactivate',
        'usersApi.resetPassword',
        'tokensApi.list',
        'tokensApi.create',
        'tokensApi.revoke',
        'auditApi.list',
        'channelsApi.create',
        'channelsApi.update',
        'channelsApi.deadLetters',
        'channelsApi.replayDeadLetter',
        'systemApi.info',
        'teamsApi.create',
      ]),
    )
  })

  it.each([
    ['an agent', () => agentA],
    ['a team lead', () => lead],
  ])('%s gets 403 on every admin route, and nothing changes', async (_who, attacker) => {
    const invite = await app.inject({
      method: 'POST',
      url: '/api/users/invites',
      headers: admin.headers,
      payload: { email: `pending-${Date.now()}@example.test`, role: 'agent', teamIds: [], confirmNoTeam: true },
    })
    const token = await createToken(['conversations:read'])
    const ids = { invite: invite.json<{ invite: { id: string } }>().invite.id, token: token.id }
    const before = await snapshot()

    const refused: string[] = []
    for (const { name, contract } of adminOnly) {
      const response = await attack(name, contract, attacker(), ids)
      if (response.statusCode !== 403 || response.json().error.code !== 'forbidden') refused.push(`${name} answered ${response.statusCode}`)
    }

    expect(refused).toEqual([])
    expect(await snapshot()).toEqual(before)
  })

  it('still lets agents and leads do their own work', async () => {
    for (const user of [agentA, lead]) {
      expect((await app.inject({ method: 'GET', url: '/api/conversations', headers: user.headers })).statusCode).toBe(200)
      expect((await app.inject({ method: 'GET', url: '/api/channels', headers: user.headers })).statusCode).toBe(200)
      expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: user.headers })).statusCode).toBe(200)
    }
  })
})

describe('CSRF', () => {
  async function channelName(id: string): Promise<string> {
    return (await ctx.db.selectFrom('channels').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name
  }

  it.each([
    ['no CSRF token', () => ({ cookie: admin.cookie })],
    ['an empty CSRF token', () => ({ cookie: admin.cookie, [csrfHeader]: '' })],
    ['the CSRF token of another user', () => ({ cookie: admin.cookie, [csrfHeader]: agentA.csrfToken })],
    ['a valid token from another site', () => ({ ...admin.headers, origin: evilOrigin })],
    ['a valid token from an opaque origin', () => ({ ...admin.headers, origin: 'null' })],
    ['a valid token from a look-alike origin', () => ({ ...admin.headers, origin: `${publicUrl}.evil.example` })],
  ])('refuses a state change with %s, and nothing changes', async (_case, headers) => {
    const before = await snapshot()
    const name = await channelName(pageA)

    const rename = await app.inject({ method: 'PATCH', url: `/api/channels/${pageA}`, headers: headers(), payload: { name: 'Renamed by a forged request' } })
    const invite = await app.inject({
      method: 'POST',
      url: '/api/users/invites',
      headers: headers(),
      payload: { email: 'forged@example.test', role: 'admin', teamIds: [] },
    })
    const mint = await app.inject({ method: 'POST', url: '/api/tokens', headers: headers(), payload: { name: 'forged', scopes: ['audit:read'] } })

    expect([rename.statusCode, invite.statusCode, mint.statusCode]).toEqual([403, 403, 403])
    expect(rename.json().error.code).toBe('forbidden')
    expect(await channelName(pageA)).toBe(name)
    expect(await snapshot()).toEqual(before)
  })

  it("refuses one session's CSRF token with another session of the same user", async () => {
    const other = await signIn(app, admin.email, testPassword)
    const before = await snapshot()

    const response = await app.inject({
      method: 'PATCH',
      url: `/api/channels/${pageA}`,
      headers: { cookie: admin.cookie, [csrfHeader]: other.csrfToken },
      payload: { name: 'Crossed tokens' },
    })

    expect(response.statusCode).toBe(403)
    expect(await snapshot()).toEqual(before)
  })

  it('accepts the same change with the right token from our own origin', async () => {
    const response = await app.inject({
      method: 'PATCH',
      url: `/api/channels/${pageA}`,
      headers: { ...admin.headers, origin: publicUrl },
      payload: { name: 'Page A (renamed)' },
    })

    expect(response.statusCode).toBe(200)
    expect(await channelName(pageA)).toBe('Page A (renamed)')
  })

  it('needs no CSRF token to read', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/users', headers: { cookie: admin.cookie } })

    expect(response.statusCode).toBe(200)
  })
})

describe('team scope', () => {
  function conversationIds(user: SignedIn, query = '') {
    return app.inject({ method: 'GET', url: `/api/conversations${query}`, headers: user.headers }).then((response) =>
      response
        .json<{ items: { id: string }[] }>()
        .items.map((item) => item.id)
        .sort(),
    )
  }

  it("shows an agent only their team's conversations, and an admin all of them", async () => {
    expect(conversationsA).toHaveLength(2)
    expect(conversationsB).toHaveLength(1)

    expect(await conversationIds(agentA)).toEqual(conversationsA)
    expect(await conversationIds(lead)).toEqual(conversationsA)
    expect(await conversationIds(agentB)).toEqual(conversationsB)
    expect(await conversationIds(agentWithoutTeam)).toEqual([])
    expect(await conversationIds(admin)).toEqual([...conversationsA, ...conversationsB].sort())
  })

  it("shows nothing of another team's channel even when asked for it by id", async () => {
    expect(await conversationIds(agentA, `?channelId=${pageB}`)).toEqual([])
    expect(await conversationIds(agentA, `?channelId=${pageB}&status=open`)).toEqual([])
  })

  it("answers 404 for another team's conversation, exactly as for one that does not exist", async () => {
    const other = await app.inject({ method: 'GET', url: `/api/conversations/${conversationsB[0]}/messages`, headers: agentA.headers })
    const missing = await app.inject({ method: 'GET', url: `/api/conversations/${randomUUID()}/messages`, headers: agentA.headers })
    const own = await app.inject({ method: 'GET', url: `/api/conversations/${conversationsA[0]}/messages`, headers: agentA.headers })

    expect(other.statusCode).toBe(404)
    expect(other.body).toBe(missing.body)
    expect(other.body).not.toContain('customer-b1')
    expect(own.statusCode).toBe(200)
    expect(own.json().items).toHaveLength(1)
  })

  it("lists only the agent's teams' channels and teams", async () => {
    const channels = (user: SignedIn) =>
      app.inject({ method: 'GET', url: '/api/channels', headers: user.headers }).then((r) =>
        r
          .json<{ id: string }[]>()
          .map((c) => c.id)
          .sort(),
      )
    const teams = (user: SignedIn) =>
      app.inject({ method: 'GET', url: '/api/teams', headers: user.headers }).then((r) =>
        r
          .json<{ items: { id: string }[] }>()
          .items.map((t) => t.id)
          .sort(),
      )

    expect(await channels(agentA)).toEqual([pageA])
    expect(await channels(agentB)).toEqual([pageB])
    expect(await channels(agentWithoutTeam)).toEqual([])
    expect(await channels(admin)).toEqual([pageA, pageB].sort())
    expect(await teams(agentA)).toEqual([teamA])
    expect(await teams(admin)).toEqual([teamA, teamB].sort())
  })

  it("takes a team's conversations away from the same session the moment the agent leaves it", async () => {
    const agent = await signedInAs(ctx, app, 'agent', [teamB])
    const readable = await app.inject({ method: 'GET', url: `/api/conversations/${conversationsB[0]}/messages`, headers: agent.headers })

    await app.inject({ method: 'PATCH', url: `/api/users/${agent.userId}`, headers: admin.headers, payload: { teamIds: [teamA] } })
    const afterMove = await app.inject({ method: 'GET', url: `/api/conversations/${conversationsB[0]}/messages`, headers: agent.headers })

    expect(readable.statusCode).toBe(200)
    expect(afterMove.statusCode).toBe(404)
    expect(await conversationIds(agent)).toEqual(conversationsA)
  })
})

describe('mass assignment', () => {
  it.each([
    ['isAdmin', true],
    ['active', false],
    ['email', 'mallory@evil.example'],
    ['passwordHash', '$argon2id$v=19$m=19456,t=2,p=1$AAAA$AAAA'],
    ['id', '00000000-0000-4000-8000-000000000000'],
    ['lastLoginAt', '2026-01-01T00:00:00.000Z'],
  ])('refuses PATCH /api/users/:id with %s beside an allowed field, and changes nothing', async (field, value) => {
    const victim = await createUser(ctx, { role: 'agent', teamIds: [teamA] })
    const before = await snapshot()

    const response = await app.inject({ method: 'PATCH', url: `/api/users/${victim.id}`, headers: admin.headers, payload: { role: 'lead', [field]: value } })

    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('validation_failed')
    expect(await snapshot()).toEqual(before)
  })

  it('refuses a prototype-polluting body, and changes nothing', async () => {
    const before = await snapshot()

    const response = await app.inject({
      method: 'PATCH',
      url: `/api/users/${agentA.userId}`,
      headers: { ...admin.headers, 'content-type': 'application/json' },
      payload: '{"name":"Polluted","__proto__":{"role":"admin","active":false}}',
    })

    expect(response.statusCode).toBe(400)
    expect(await snapshot()).toEqual(before)
    expect(({} as Record<string, unknown>).role).toBeUndefined()
  })

  it.each([
    ['role', 'admin'],
    ['teamIds', ['00000000-0000-4000-8000-000000000000']],
    ['email', 'someone-else@example.test'],
    ['active', false],
    ['kind', 'reset'],
    ['userId', '00000000-0000-4000-8000-000000000000'],
  ])('refuses POST /api/auth/links/:token with %s, and the invite is applied as issued', async (field, value) => {
    const email = `invitee-${field.toLowerCase()}-${Date.now()}@example.test`
    const issued = await app.inject({ method: 'POST', url: '/api/users/invites', headers: admin.headers, payload: { email, role: 'agent', teamIds: [teamB] } })
    const token = issued.json<{ link: { url: string } }>().link.url.split('/join/')[1] ?? ''
    const extra = field === 'teamIds' ? [teamA] : value
    const before = await snapshot()

    const response = await app.inject({
      method: 'POST',
      url: `/api/auth/links/${token}`,
      payload: { name: 'Invitee', password: 'a long enough password', [field]: extra },
    })
    const after = await snapshot()
    const accepted = await app.inject({ method: 'POST', url: `/api/auth/links/${token}`, payload: { name: 'Invitee', password: 'a long enough password' } })

    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('validation_failed')
    expect(after).toEqual(before)
    expect(accepted.statusCode).toBe(200)
    expect(accepted.json().user).toMatchObject({ email, role: 'agent', teamIds: [teamB], active: true })
  })

  it.each([
    ['id', '00000000-0000-4000-8000-000000000000'],
    ['errorCount', 0],
    ['verifyToken', 'chosen-by-the-caller'],
    ['secretsCiphertext', 'v1.forged'],
    ['lastError', null],
    ['createdAt', '2020-01-01T00:00:00.000Z'],
  ])('refuses POST /api/channels with %s, and creates nothing', async (field, value) => {
    const before = await snapshot()

    const response = await app.inject({ method: 'POST', url: '/api/channels', headers: admin.headers, payload: { ...facebookPage('7007'), [field]: value } })

    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('validation_failed')
    expect(await snapshot()).toEqual(before)
  })
})

describe('injection-shaped query strings', () => {
  const cursorOf = (text: string) => Buffer.from(text).toString('base64url')

  it.each([
    `/api/conversations?status=${encodeURIComponent("open' OR '1'='1")}`,
    `/api/conversations?status=open&status=resolved`,
    `/api/conversations?channelId=${encodeURIComponent('1 OR 1=1')}`,
    `/api/conversations?channelId=${encodeURIComponent(`${randomUUID()}' OR 'a'='a`)}`,
    `/api/conversations?cursor=${encodeURIComponent("' OR 1=1 --")}`,
    `/api/conversations?cursor=${cursorOf("2026-01-01T00:00:00Z|'; drop table conversations; --")}`,
    `/api/conversations?cursor=${cursorOf("now()|00000000-0000-0000-0000-000000000000' or '1'='1")}`,
    `/api/conversations?limit=${encodeURIComponent('1; drop table users')}`,
    '/api/conversations?limit=-1',
    '/api/conversations?limit=100000',
    '/api/conversations?orderBy=id',
    `/api/audit?action=${encodeURIComponent("auth.login' OR 'a'='a")}`,
    `/api/audit?action=${encodeURIComponent('auth.login;select pg_sleep(5)')}`,
    `/api/audit?cursor=${encodeURIComponent("2026-01-01'; drop table audit_log; --")}`,
    `/api/audit?cursor=${encodeURIComponent(`${randomUUID()}'::text or '1'='1`)}`,
    `/api/audit?limit=${encodeURIComponent('1 union select password_hash from users')}`,
    '/api/audit?limit=0',
  ])('answers 400 for %s, and the tables are intact', async (url) => {
    const before = await snapshot()

    const response = await app.inject({ method: 'GET', url, headers: admin.headers })

    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('validation_failed')
    expect(await snapshot()).toEqual(before)
  })

  it('answers an empty audit page, not a server error, for a cursor naming no entry', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/audit?cursor=${randomUUID()}`, headers: admin.headers })

    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ items: [], nextCursor: null })
  })

  it('answers 400, not a server error, for a conversations cursor of a year PostgreSQL cannot hold', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/conversations?cursor=${cursorOf(`-005000-01-01T00:00:00.000Z|${randomUUID()}`)}`,
      headers: admin.headers,
    })

    expect(response.statusCode).toBe(400)
  })
})

describe('oversized input', () => {
  const long = (n: number) => 'x'.repeat(n)

  it.each([
    ['a 10k-character team name', () => ({ method: 'POST', url: '/api/teams', payload: { name: long(10_000) } })],
    ['a 10k-character user name', () => ({ method: 'PATCH', url: `/api/users/${agentA.userId}`, payload: { name: long(10_000) } })],
    ['a 10k-character channel name', () => ({ method: 'PATCH', url: `/api/channels/${pageA}`, payload: { name: long(10_000) } })],
    [
      'a 1k-character invite email',
      () => ({ method: 'POST', url: '/api/users/invites', payload: { email: `${long(1000)}@example.test`, role: 'agent', teamIds: [] } }),
    ],
    ['a 100k-character password at sign-in', () => ({ method: 'POST', url: '/api/auth/login', payload: { email: agentA.email, password: long(100_000) } })],
    [
      'a 1k-character email at sign-in',
      () => ({ method: 'POST', url: '/api/auth/login', payload: { email: `${long(1000)}@example.test`, password: 'whatever password' } }),
    ],
  ] as const)('answers 400 for %s, and stores nothing', async (_case, request) => {
    const before = await snapshot()
    const failures = await ctx.db.selectFrom('loginFailures').select('id').execute()

    const response = await app.inject({ ...request(), headers: admin.headers })

    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('validation_failed')
    expect(await snapshot()).toEqual(before)
    expect(await ctx.db.selectFrom('loginFailures').select('id').execute()).toEqual(failures)
  })

  it('answers 400 for a 100k-character password on a link, and the link stays unused', async () => {
    const issued = await app.inject({
      method: 'POST',
      url: '/api/users/invites',
      headers: admin.headers,
      payload: { email: `long-${Date.now()}@example.test`, role: 'agent', teamIds: [], confirmNoTeam: true },
    })
    const token = issued.json<{ link: { url: string } }>().link.url.split('/join/')[1] ?? ''
    const before = await snapshot()

    const response = await app.inject({ method: 'POST', url: `/api/auth/links/${token}`, payload: { name: 'Long', password: long(100_000) } })

    expect(response.statusCode).toBe(400)
    expect(await snapshot()).toEqual(before)
  })

  it('answers 413 for a body over the limit, and stores nothing', async () => {
    const before = await snapshot()

    const response = await app.inject({
      method: 'POST',
      url: '/api/channels',
      headers: admin.headers,
      payload: { ...facebookPage('8008'), secrets: { appSecret: long(2 * 1024 * 1024), accessToken: 'x' } },
    })

    expect(response.statusCode).toBe(413)
    expect(response.json().error.code).toBe('payload_too_large')
    expect(await snapshot()).toEqual(before)
  })
})

describe('API tokens', () => {
  it('shows the secret once, and stores only its 32-byte hash', async () => {
    const { id, secret } = await createToken(['conversations:read'])

    const list = await app.inject({ method: 'GET', url: '/api/tokens', headers: admin.headers })
    const { rows } = await sql<{ tokenHash: Buffer; row: string }>`select token_hash, t::text as row from api_tokens t where id = ${id}`.execute(ctx.db)
    const { rows: elsewhere } = await sql<{ n: number }>`
      select (select count(*) from audit_log a where a::text like ${`%${secret.slice(4)}%`})
           + (select count(*) from sessions s where s::text like ${`%${secret.slice(4)}%`})
           + (select count(*) from users u where u::text like ${`%${secret.slice(4)}%`}) as n`.execute(ctx.db)

    expect(secret).toMatch(/^cbx_[\w-]{43}$/)
    expect(list.statusCode).toBe(200)
    expect(list.body).not.toContain(secret.slice(10))
    expect(rows[0]?.tokenHash).toHaveLength(32)
    expect(rows[0]?.tokenHash.equals(hashSecret(secret))).toBe(true)
    // The prefix column keeps the first 10 characters so people can tell tokens apart; never the rest.
    expect(rows[0]?.row).not.toContain(secret.slice(10))
    expect(Number(elsewhere[0]?.n)).toBe(0)
  })

  it('reads conversations with conversations:read, and gets 403 beyond its scope', async () => {
    const { secret } = await createToken(['conversations:read'])
    const before = await snapshot()

    const read = await app.inject({ method: 'GET', url: '/api/conversations', headers: bearer(secret) })
    const outOfScope = await Promise.all([
      app.inject({ method: 'POST', url: '/api/channels', headers: bearer(secret), payload: facebookPage('9009') }),
      app.inject({ method: 'GET', url: '/api/channels', headers: bearer(secret) }),
      app.inject({ method: 'GET', url: '/api/users', headers: bearer(secret) }),
      app.inject({ method: 'PATCH', url: `/api/users/${agentA.userId}`, headers: bearer(secret), payload: { role: 'admin' } }),
      app.inject({ method: 'GET', url: '/api/audit', headers: bearer(secret) }),
      app.inject({ method: 'POST', url: '/api/tokens', headers: bearer(secret), payload: { name: 'more', scopes: [...tokenScopes] } }),
      app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(secret) }),
    ])

    expect(read.statusCode).toBe(200)
    expect(read.json().items.length).toBe(conversationsA.length + conversationsB.length)
    expect(outOfScope.map((response) => response.statusCode)).toEqual([403, 403, 403, 403, 403, 403, 403])
    expect(await snapshot()).toEqual(before)
  })

  it('answers 401 once the token is revoked', async () => {
    const { id, secret } = await createToken(['conversations:read'])
    const working = await app.inject({ method: 'GET', url: '/api/conversations', headers: bearer(secret) })

    const revoke = await app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: admin.headers })
    const revoked = await app.inject({ method: 'GET', url: '/api/conversations', headers: bearer(secret) })

    expect(working.statusCode).toBe(200)
    expect(revoke.statusCode).toBe(200)
    expect(revoked.statusCode).toBe(401)
    expect(revoked.json().error.code).toBe('unauthorized')
  })

  it('changes a channel without a CSRF token, since no browser sends a bearer token by itself', async () => {
    const { id, secret } = await createToken(['channels:write'])

    const response = await app.inject({ method: 'PATCH', url: `/api/channels/${pageB}`, headers: bearer(secret), payload: { name: 'Page B via API' } })

    expect(response.statusCode).toBe(200)
    const channel = await ctx.db.selectFrom('channels').select('name').where('id', '=', pageB).executeTakeFirstOrThrow()
    expect(channel.name).toBe('Page B via API')
    const audit = await ctx.db
      .selectFrom('auditLog')
      .select(['actorTokenId', 'actorUserId'])
      .where('action', '=', 'channel.updated')
      .where('targetId', '=', pageB)
      .execute()
    expect(audit).toEqual([{ actorTokenId: id, actorUserId: null }])
  })

  it('never takes a session cookie for a token, nor a token for a session cookie', async () => {
    const { secret } = await createToken(['conversations:read'])
    const cookieValue = admin.cookie.slice(sessionCookie.length + 1)

    const cookieAsToken = await app.inject({ method: 'GET', url: '/api/users', headers: bearer(cookieValue) })
    const prefixedCookie = await app.inject({ method: 'GET', url: '/api/users', headers: bearer(`cbx_${cookieValue}`) })
    const tokenAsCookie = await app.inject({ method: 'GET', url: '/api/conversations', headers: { cookie: `${sessionCookie}=${secret}` } })

    expect(cookieAsToken.statusCode).toBe(401)
    expect(prefixedCookie.statusCode).toBe(401)
    expect(tokenAsCookie.statusCode).toBe(401)
  })
})
