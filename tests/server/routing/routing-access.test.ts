import { csrfHeader, type AutomationRule, type SlaPolicy, type TeamRouting } from '@carebox/shared'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, createUser, firstTeamId, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let teamA: string
let teamB: string
let channelB: string
let admin: SignedIn
let leadA: SignedIn
let leadB: SignedIn
let agentA: SignedIn

const goodPolicy = { name: 'Standard', enabled: true, conditions: {}, targets: { normal: { first_response: { minutes: 60, businessHours: false } } } }

function goodRule(teamId: string | null): object {
  return {
    teamId,
    name: 'Refunds',
    enabled: true,
    trigger: 'message.received',
    afterMinutes: null,
    conditions: { keywords: ['refund'] },
    actions: [{ type: 'add_tag', tag: 'refund' }],
  }
}

async function inject(
  method: InjectOptions['method'],
  url: string,
  who: SignedIn | Record<string, string>,
  payload?: object | string,
): Promise<{ statusCode: number; body: string; json<T>(): T }> {
  const headers = 'headers' in who ? (who.headers as Record<string, string>) : who
  return app.inject({
    method,
    url,
    headers: typeof payload === 'string' ? { ...headers, 'content-type': 'application/json' } : headers,
    ...(payload !== undefined && { payload }),
  })
}

async function createPolicy(who: SignedIn, body: object = goodPolicy): Promise<SlaPolicy> {
  const response = await inject('POST', '/api/sla-policies', who, body)
  expect(response.statusCode, response.body).toBe(200)
  return response.json<SlaPolicy>()
}

async function createRule(who: SignedIn, teamId: string | null): Promise<AutomationRule> {
  const response = await inject('POST', '/api/rules', who, goodRule(teamId))
  expect(response.statusCode, response.body).toBe(200)
  return response.json<AutomationRule>()
}

/** Everything these routes can change: a refused request must leave it as it was. */
async function snapshot(): Promise<unknown> {
  const [policies, rules, teams, users, channels] = await Promise.all([
    sql`select id, position, name, enabled, conditions, targets, updated_at from sla_policies order by id`.execute(ctx.db),
    sql`select id, team_id, position, name, enabled, trigger, after_minutes, conditions, actions, updated_at from automation_rules order by id`.execute(ctx.db),
    sql`select id, time_zone, business_hours, auto_assign from teams order by id`.execute(ctx.db),
    sql`select id, presence, away_by_choice, capacity, capacity_by_kind, skill_languages, skill_channel_kinds from users order by id`.execute(ctx.db),
    sql`select id, out_of_hours_reply from channels order by id`.execute(ctx.db),
  ])
  return { policies: policies.rows, rules: rules.rows, teams: teams.rows, users: users.rows, channels: channels.rows }
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  teamA = await firstTeamId(ctx)
  teamB = await createTeam(ctx, 'Team B')
  const channel = await createChannel(ctx, {
    kind: 'telegram',
    name: 'B bot',
    externalId: '5151',
    teamId: teamB,
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
    secrets: { botToken: '5151:AA', webhookSecret: 'w' },
  })
  channelB = channel.id
  admin = await signedInAs(ctx, app, 'admin', [])
  leadA = await signedInAs(ctx, app, 'lead', [teamA])
  leadB = await signedInAs(ctx, app, 'lead', [teamB])
  agentA = await signedInAs(ctx, app, 'agent', [teamA])
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('/api/sla-policies', () => {
  it('lets an agent read the policies but not create, change, reorder or delete one', async () => {
    const policy = await createPolicy(leadA)
    const before = await snapshot()

    const statuses = [
      (await inject('POST', '/api/sla-policies', agentA, goodPolicy)).statusCode,
      (await inject('PATCH', `/api/sla-policies/${policy.id}`, agentA, { enabled: false })).statusCode,
      (await inject('PUT', '/api/sla-policies/order', agentA, { ids: [policy.id] })).statusCode,
      (await inject('DELETE', `/api/sla-policies/${policy.id}`, agentA)).statusCode,
    ]

    expect(statuses).toEqual([403, 403, 403, 403])
    expect(await snapshot()).toEqual(before)
    const list = await inject('GET', '/api/sla-policies', agentA)
    expect(list.statusCode).toBe(200)
    expect(list.json<{ items: SlaPolicy[] }>().items.map((p) => p.id)).toContain(policy.id)
  })

  it('lets a lead create, change and delete a policy', async () => {
    const policy = await createPolicy(leadA, { ...goodPolicy, name: 'Lead made' })

    const changed = await inject('PATCH', `/api/sla-policies/${policy.id}`, leadA, { name: 'Lead changed' })
    expect(changed.statusCode, changed.body).toBe(200)
    expect(changed.json<SlaPolicy>().name).toBe('Lead changed')
    expect((await inject('DELETE', `/api/sla-policies/${policy.id}`, leadA)).statusCode).toBe(200)
    expect(await ctx.db.selectFrom('slaPolicies').select('id').where('id', '=', policy.id).executeTakeFirst()).toBeUndefined()
  })

  it('refuses invalid policies with 400 and stores nothing', async () => {
    const policy = await createPolicy(leadA, { ...goodPolicy, name: 'Kept' })
    const before = await snapshot()
    const bodies: [string, object | string][] = [
      ['unknown field', { ...goodPolicy, owner: 'me' }],
      ['unknown priority', { ...goodPolicy, targets: { critical: { first_response: { minutes: 60, businessHours: false } } } }],
      ['unknown target kind', { ...goodPolicy, targets: { normal: { first_reply: { minutes: 60, businessHours: false } } } }],
      ['negative minutes', { ...goodPolicy, targets: { normal: { first_response: { minutes: -5, businessHours: false } } } }],
      ['zero minutes', { ...goodPolicy, targets: { normal: { first_response: { minutes: 0, businessHours: false } } } }],
      ['fractional minutes', { ...goodPolicy, targets: { normal: { first_response: { minutes: 1.5, businessHours: false } } } }],
      ['no target at all', { ...goodPolicy, targets: {} }],
      ['unknown condition', { ...goodPolicy, conditions: { languages: ['cs'] } }],
      ['missing name', { enabled: true, conditions: {}, targets: goodPolicy.targets }],
      [
        '__proto__',
        `{"name":"Polluted","enabled":true,"conditions":{},"targets":{"normal":{"first_response":{"minutes":5,"businessHours":false}}},"__proto__":{"polluted":true}}`,
      ],
      [
        'nested __proto__',
        `{"name":"Polluted","enabled":true,"conditions":{"__proto__":{"polluted":true}},"targets":{"normal":{"first_response":{"minutes":5,"businessHours":false}}}}`,
      ],
    ]

    const statuses = Object.fromEntries(
      await Promise.all(bodies.map(async ([why, body]) => [why, (await inject('POST', '/api/sla-policies', leadA, body)).statusCode] as const)),
    )
    const patches = [
      (await inject('PATCH', `/api/sla-policies/${policy.id}`, leadA, {})).statusCode,
      (await inject('PATCH', `/api/sla-policies/${policy.id}`, leadA, { targets: { normal: { resolution: { minutes: -1, businessHours: true } } } }))
        .statusCode,
      (await inject('PATCH', `/api/sla-policies/${policy.id}`, leadA, { position: 1 })).statusCode,
    ]

    expect(statuses).toEqual(Object.fromEntries(bodies.map(([why]) => [why, 400])))
    expect(patches).toEqual([400, 400, 400])
    expect(await snapshot()).toEqual(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('reorders only with every policy listed exactly once', async () => {
    await createPolicy(leadA, { ...goodPolicy, name: 'Second' })
    const all = (await inject('GET', '/api/sla-policies', leadA)).json<{ items: SlaPolicy[] }>().items.map((p) => p.id)
    expect(all.length).toBeGreaterThanOrEqual(2)
    const before = await snapshot()

    const missing = await inject('PUT', '/api/sla-policies/order', leadA, { ids: all.slice(1) })
    const unknown = await inject('PUT', '/api/sla-policies/order', leadA, { ids: [...all.slice(1), crypto.randomUUID()] })
    const twice = await inject('PUT', '/api/sla-policies/order', leadA, { ids: [...all, all[0]] })

    expect([missing.statusCode, unknown.statusCode, twice.statusCode]).toEqual([400, 400, 400])
    expect(await snapshot()).toEqual(before)
    const reversed = await inject('PUT', '/api/sla-policies/order', leadA, { ids: [...all].reverse() })
    expect(reversed.statusCode, reversed.body).toBe(200)
    expect(reversed.json<{ items: SlaPolicy[] }>().items.map((p) => p.id)).toEqual([...all].reverse())
  })
})

describe('/api/rules', () => {
  it('is for leads and admins: an agent cannot list, create, change or delete rules', async () => {
    const rule = await createRule(leadA, teamA)
    const before = await snapshot()

    const statuses = [
      (await inject('GET', '/api/rules', agentA)).statusCode,
      (await inject('POST', '/api/rules', agentA, goodRule(teamA))).statusCode,
      (await inject('PATCH', `/api/rules/${rule.id}`, agentA, { enabled: false })).statusCode,
      (await inject('DELETE', `/api/rules/${rule.id}`, agentA)).statusCode,
    ]

    expect(statuses).toEqual([403, 403, 403, 403])
    expect(await snapshot()).toEqual(before)
  })

  it('lets a lead manage their own team’s rules but not rules for every team', async () => {
    const mine = await createRule(leadA, teamA)
    expect(mine).toMatchObject({ teamId: teamA, name: 'Refunds', trigger: 'message.received', afterMinutes: null })
    const everyTeam = await createRule(admin, null)
    const before = await snapshot()

    const forAll = await inject('POST', '/api/rules', leadA, goodRule(null))
    const moveToAll = await inject('PATCH', `/api/rules/${mine.id}`, leadA, { teamId: null })
    const editGlobal = await inject('PATCH', `/api/rules/${everyTeam.id}`, leadA, { enabled: false })
    const deleteGlobal = await inject('DELETE', `/api/rules/${everyTeam.id}`, leadA)

    expect([forAll.statusCode, moveToAll.statusCode, editGlobal.statusCode, deleteGlobal.statusCode]).toEqual([403, 403, 403, 403])
    expect(await snapshot()).toEqual(before)
    const renamed = await inject('PATCH', `/api/rules/${mine.id}`, leadA, { name: 'Refunds first' })
    expect(renamed.statusCode, renamed.body).toBe(200)
    expect(renamed.json<AutomationRule>().name).toBe('Refunds first')
  })

  it('hides another team’s rules from a lead: not listed, not found to change or delete, not theirs to create', async () => {
    const theirs = await createRule(leadB, teamB)
    const mine = await createRule(leadA, teamA)
    const before = await snapshot()

    const list = await inject('GET', '/api/rules', leadA)
    const edit = await inject('PATCH', `/api/rules/${theirs.id}`, leadA, { enabled: false })
    const remove = await inject('DELETE', `/api/rules/${theirs.id}`, leadA)
    const create = await inject('POST', '/api/rules', leadA, goodRule(teamB))
    const moveMineThere = await inject('PATCH', `/api/rules/${mine.id}`, leadA, { teamId: teamB })

    expect(list.json<{ items: AutomationRule[] }>().items.map((r) => r.id)).not.toContain(theirs.id)
    expect([edit.statusCode, remove.statusCode, create.statusCode, moveMineThere.statusCode]).toEqual([404, 404, 403, 403])
    const after = (await snapshot()) as { rules: { id: string }[] }
    expect(after.rules.find((r) => r.id === theirs.id)).toEqual((before as { rules: { id: string }[] }).rules.find((r) => r.id === theirs.id))
  })

  it('refuses invalid rules with 400 and stores nothing', async () => {
    const rule = await createRule(leadA, teamA)
    const before = await snapshot()
    const base = goodRule(teamA) as Record<string, unknown>
    const bodies: [string, object | string][] = [
      ['unknown field', { ...base, priority: 1 }],
      ['timed trigger without afterMinutes', { ...base, trigger: 'customer.waiting', afterMinutes: null }],
      ['timed trigger, afterMinutes missing', { ...base, trigger: 'customer.silent', afterMinutes: undefined }],
      ['negative afterMinutes', { ...base, trigger: 'customer.waiting', afterMinutes: -30 }],
      ['zero afterMinutes', { ...base, trigger: 'customer.waiting', afterMinutes: 0 }],
      ['afterMinutes on an instant trigger', { ...base, afterMinutes: 30 }],
      ['unknown trigger', { ...base, trigger: 'message.sent' }],
      ['no actions', { ...base, actions: [] }],
      ['unknown action', { ...base, actions: [{ type: 'delete_conversation' }] }],
      ['action with an extra field', { ...base, actions: [{ type: 'resolve', silently: true }] }],
      ['tag with a space', { ...base, actions: [{ type: 'add_tag', tag: 'two words' }] }],
      ['unknown condition', { ...base, conditions: { sentiment: 'angry' } }],
      ['negative minFollowers', { ...base, conditions: { minFollowers: -1 } }],
      ['team that does not exist', { ...base, teamId: crypto.randomUUID() }],
      [
        '__proto__',
        `{"teamId":"${teamA}","name":"Polluted","enabled":true,"trigger":"message.received","afterMinutes":null,"conditions":{},"actions":[{"type":"resolve"}],"__proto__":{"polluted":true}}`,
      ],
      [
        'constructor.prototype',
        `{"teamId":"${teamA}","name":"Polluted","enabled":true,"trigger":"message.received","afterMinutes":null,"conditions":{"constructor":{"prototype":{"polluted":true}}},"actions":[{"type":"resolve"}]}`,
      ],
    ]

    const statuses = Object.fromEntries(
      await Promise.all(bodies.map(async ([why, body]) => [why, (await inject('POST', '/api/rules', leadA, body)).statusCode] as const)),
    )
    const patches = [
      (await inject('PATCH', `/api/rules/${rule.id}`, leadA, { trigger: 'customer.silent' })).statusCode,
      (await inject('PATCH', `/api/rules/${rule.id}`, leadA, { afterMinutes: 10 })).statusCode,
      (await inject('PATCH', `/api/rules/${rule.id}`, leadA, {})).statusCode,
    ]

    // The team that does not exist is forbidden to a lead before it is looked up.
    expect(statuses).toEqual(Object.fromEntries(bodies.map(([why]) => [why, why === 'team that does not exist' ? 403 : 400])))
    expect(patches).toEqual([400, 400, 400])
    expect(await snapshot()).toEqual(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('refuses a rule for a team that does not exist with 400, even for an admin', async () => {
    const before = await snapshot()

    const response = await inject('POST', '/api/rules', admin, goodRule(crypto.randomUUID()))

    expect(response.statusCode, response.body).toBe(400)
    expect(await snapshot()).toEqual(before)
  })
})

describe('/api/routing', () => {
  it('shows a lead only their teams, and another team is not found to change', async () => {
    const before = await snapshot()

    const teams = await inject('GET', '/api/routing/teams', leadA)
    const other = await inject('PATCH', `/api/routing/teams/${teamB}`, leadA, { autoAssign: true })
    const unknown = await inject('PATCH', `/api/routing/teams/${crypto.randomUUID()}`, admin, { autoAssign: true })

    expect(teams.json<{ items: TeamRouting[] }>().items.map((t) => t.teamId)).toEqual([teamA])
    expect([other.statusCode, unknown.statusCode]).toEqual([404, 404])
    expect(await snapshot()).toEqual(before)
    const own = await inject('PATCH', `/api/routing/teams/${teamA}`, leadA, { autoAssign: true })
    expect(own.statusCode, own.body).toBe(200)
    expect(own.json<TeamRouting>().autoAssign).toBe(true)
    await inject('PATCH', `/api/routing/teams/${teamA}`, leadA, { autoAssign: false })
  })

  it('refuses an agent changing team routing, a teammate’s capacity or a channel’s acknowledgement', async () => {
    const teammate = await createUser(ctx, { role: 'agent', teamIds: [teamA] })
    const before = await snapshot()

    const statuses = [
      (await inject('PATCH', `/api/routing/teams/${teamA}`, agentA, { autoAssign: true })).statusCode,
      (await inject('PATCH', `/api/routing/agents/${teammate.id}`, agentA, { capacity: 50 })).statusCode,
      (await inject('PATCH', `/api/routing/agents/${agentA.userId}`, agentA, { capacity: 50 })).statusCode,
      (await inject('GET', '/api/routing/auto-replies', agentA)).statusCode,
      (await inject('PUT', `/api/routing/auto-replies/${channelB}`, agentA, { outOfHoursReply: 'Closed' })).statusCode,
    ]

    expect(statuses).toEqual([403, 403, 403, 403, 403])
    expect(await snapshot()).toEqual(before)
  })

  it('lets a lead change only teammates of their own teams and their own teams’ channels', async () => {
    const inB = await createUser(ctx, { role: 'agent', teamIds: [teamB] })
    const inA = await createUser(ctx, { role: 'agent', teamIds: [teamA] })
    const before = await snapshot()

    const otherAgent = await inject('PATCH', `/api/routing/agents/${inB.id}`, leadA, { capacity: 1 })
    const otherChannel = await inject('PUT', `/api/routing/auto-replies/${channelB}`, leadA, { outOfHoursReply: 'Closed' })
    const replies = await inject('GET', '/api/routing/auto-replies', leadA)

    expect([otherAgent.statusCode, otherChannel.statusCode]).toEqual([404, 404])
    expect(replies.json<{ items: { channelId: string }[] }>().items.map((c) => c.channelId)).not.toContain(channelB)
    expect(await snapshot()).toEqual(before)
    const own = await inject('PATCH', `/api/routing/agents/${inA.id}`, leadA, { capacity: 4, languages: ['cs', 'en'] })
    expect(own.statusCode, own.body).toBe(200)
    expect(own.json()).toMatchObject({ capacity: 4, languages: ['cs', 'en'] })
    const ownChannel = await inject('PUT', `/api/routing/auto-replies/${channelB}`, leadB, { outOfHoursReply: 'We are closed' })
    expect(ownChannel.statusCode, ownChannel.body).toBe(200)
  })

  it('refuses invalid routing changes with 400 and stores nothing', async () => {
    const teammate = await createUser(ctx, { role: 'agent', teamIds: [teamA] })
    const before = await snapshot()
    const team = `/api/routing/teams/${teamA}`
    const agent = `/api/routing/agents/${teammate.id}`
    const attempts: [string, string, string, object | string][] = [
      ['team: empty', 'PATCH', team, {}],
      ['team: unknown field', 'PATCH', team, { autoAssign: true, queue: 'fifo' }],
      ['team: unknown time zone', 'PATCH', team, { timeZone: 'Mars/Olympus' }],
      ['team: closes before it opens', 'PATCH', team, { businessHours: { shifts: [{ weekday: 1, opens: '17:00', closes: '09:00' }], holidays: [] } }],
      ['team: weekday 7', 'PATCH', team, { businessHours: { shifts: [{ weekday: 7, opens: '09:00', closes: '17:00' }], holidays: [] } }],
      ['team: bad holiday', 'PATCH', team, { businessHours: { shifts: [], holidays: ['next friday'] } }],
      ['team: __proto__', 'PATCH', team, '{"autoAssign":true,"__proto__":{"polluted":true}}'],
      ['agent: negative capacity', 'PATCH', agent, { capacity: -1 }],
      ['agent: capacity too large', 'PATCH', agent, { capacity: 501 }],
      ['agent: unknown field', 'PATCH', agent, { capacity: 3, role: 'admin' }],
      ['agent: language name', 'PATCH', agent, { languages: ['english'] }],
      ['agent: unknown channel kind', 'PATCH', agent, { channelKinds: ['fax'] }],
      ['agent: negative kind cap', 'PATCH', agent, { capacityByKind: { telegram: -1 } }],
      ['agent: cap for an unknown kind', 'PATCH', agent, { capacityByKind: { sms: 3 } }],
      ['auto-reply: too long', 'PUT', `/api/routing/auto-replies/${channelB}`, { outOfHoursReply: 'x'.repeat(1001) }],
      ['auto-reply: unknown field', 'PUT', `/api/routing/auto-replies/${channelB}`, { outOfHoursReply: 'Closed', html: true }],
      ['presence: offline', 'PUT', '/api/routing/presence', { presence: 'offline' }],
    ]

    const statuses: Record<string, number> = {}
    for (const [why, method, url, body] of attempts) {
      statuses[why] = (await inject(method as InjectOptions['method'], url, why.startsWith('auto-reply') ? admin : leadA, body)).statusCode
    }

    expect(statuses).toEqual(Object.fromEntries(attempts.map(([why]) => [why, 400])))
    expect(await snapshot()).toEqual(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('CSRF', () => {
  it('refuses every state-changing routing, rule and policy request that rides on the cookie without the token', async () => {
    const policy = await createPolicy(leadA, { ...goodPolicy, name: 'CSRF target' })
    const rule = await createRule(leadA, teamA)
    const teammate = await createUser(ctx, { role: 'agent', teamIds: [teamA] })
    const before = await snapshot()
    const forged = {
      missing: { cookie: leadA.cookie },
      wrong: { cookie: leadA.cookie, [csrfHeader]: `${leadA.csrfToken.slice(0, -2)}xx` },
      otherSession: { cookie: leadA.cookie, [csrfHeader]: leadB.csrfToken },
      foreignOrigin: { ...leadA.headers, origin: 'https://evil.example' },
    }
    const requests: [InjectOptions['method'], string, object | undefined][] = [
      ['POST', '/api/sla-policies', goodPolicy],
      ['PATCH', `/api/sla-policies/${policy.id}`, { enabled: false }],
      ['PUT', '/api/sla-policies/order', { ids: [policy.id] }],
      ['DELETE', `/api/sla-policies/${policy.id}`, undefined],
      ['POST', '/api/rules', goodRule(teamA)],
      ['PATCH', `/api/rules/${rule.id}`, { enabled: false }],
      ['DELETE', `/api/rules/${rule.id}`, undefined],
      ['PATCH', `/api/routing/teams/${teamA}`, { autoAssign: true }],
      ['PATCH', `/api/routing/agents/${teammate.id}`, { capacity: 1 }],
      ['PUT', `/api/routing/presence`, { presence: 'away' }],
    ]

    const statuses: Record<string, number[]> = {}
    for (const [how, headers] of Object.entries(forged)) {
      statuses[how] = []
      for (const [method, url, body] of requests) statuses[how].push((await inject(method, url, headers, body)).statusCode)
    }

    const refused = requests.map(() => 403)
    expect(statuses).toEqual({ missing: refused, wrong: refused, otherSession: refused, foreignOrigin: refused })
    expect(await snapshot()).toEqual(before)
  })
})
