import { type Agent, type Priority, type TeamRouting } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { assignWaiting } from '../../../server/src/routing/assign.job.js'
import { refreshPresence } from '../../../server/src/routing/presence.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, createUser, signIn, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { customerWrites, newConversation, pendingTimers, runDueTimers } from '../../support/routing.js'
import { recordingRealtime } from '../../support/realtime.js'

/** Stands in for socket.io: says how many consoles each user has open, and records what is published. */
let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
const clock = createTestClock(new Date('2026-03-02T09:00:00Z'))
const realtime = recordingRealtime()

interface Team {
  teamId: string
  channelId: string
  lead: SignedIn
}

async function setUpTeam(name: string, autoAssign: boolean): Promise<Team> {
  const teamId = await createTeam(ctx, name)
  const channel = await createChannel(ctx, {
    kind: 'telegram',
    name: `${name} bot`,
    externalId: `${crypto.randomUUID()}`,
    teamId,
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
    secrets: { botToken: '777:AA', webhookSecret: 'w' },
  })
  const lead = await signedInAs(ctx, app, 'lead', [teamId])
  if (autoAssign) await updateTeam({ teamId, channelId: channel.id, lead }, { autoAssign: true })
  return { teamId, channelId: channel.id, lead }
}

async function updateTeam(team: Team, body: object): Promise<TeamRouting> {
  const response = await app.inject({ method: 'PATCH', url: `/api/routing/teams/${team.teamId}`, headers: team.lead.headers, payload: body })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<TeamRouting>()
}

type PresenceSetting = 'online' | 'away' | 'offline'

async function setPresence(userId: string, presence: PresenceSetting): Promise<void> {
  realtime.consoles.set(userId, { online: { open: 1, active: 1 }, away: { open: 1, active: 0 }, offline: { open: 0, active: 0 } }[presence])
  await refreshPresence(ctx, userId)
}

/** An agent of the team, with capacity and skills set by its lead, and consoles as told. */
async function addAgent(
  team: Team,
  name: string,
  routing: object,
  presence: PresenceSetting = 'online',
): Promise<{ id: string; email: string; password: string }> {
  const user = await createUser(ctx, { role: 'agent', teamIds: [team.teamId], name })
  const response = await app.inject({ method: 'PATCH', url: `/api/routing/agents/${user.id}`, headers: team.lead.headers, payload: routing })
  expect(response.statusCode, response.body).toBe(200)
  await setPresence(user.id, presence)
  return user
}

/** A conversation waiting in the team queue, a minute after the previous one. */
async function waiting(team: Team, priority: Priority = 'normal', text = 'Where is my order?', channelId = team.channelId): Promise<string> {
  clock.advance(60_000)
  const id = await newConversation(ctx, channelId)
  await customerWrites(ctx, id, text)
  if (priority !== 'normal') {
    const response = await app.inject({ method: 'PATCH', url: `/api/conversations/${id}`, headers: team.lead.headers, payload: { priority } })
    expect(response.statusCode, response.body).toBe(200)
  }
  return id
}

async function assigneesOf(ids: string[]): Promise<(string | null)[]> {
  const rows = await ctx.db.selectFrom('conversations').select(['id', 'assigneeId']).where('id', 'in', ids).execute()
  const byId = new Map(rows.map((r) => [r.id, r.assigneeId]))
  return ids.map((id) => byId.get(id) ?? null)
}

async function assignmentEvents(conversationId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('messages')
    .select('text')
    .where('conversationId', '=', conversationId)
    .where('kind', '=', 'event')
    .where('text', 'like', 'Assigned to %')
    .orderBy('sentAt')
    .execute()
  return rows.map((r) => r.text)
}

async function agentsOf(team: Team): Promise<Agent[]> {
  const response = await app.inject({ method: 'GET', url: '/api/routing/agents', headers: team.lead.headers })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ items: Agent[] }>().items.filter((a) => a.teamIds.includes(team.teamId))
}

function notificationsTo(userId: string): unknown[] {
  return realtime.published.filter((p) => p.event === 'notification.created' && p.rooms.includes(`user:${userId}`)).map((p) => p.payload)
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock, realtime }
  app = await buildTestApp(ctx)
})
afterAll(async () => {
  await app.close()
  await database.drop()
})
beforeEach(async () => {
  await sql`delete from graphile_worker._private_jobs`.execute(ctx.db)
  realtime.published.length = 0
})

describe('routing.assign', () => {
  it('hands the queue, most urgent first, to the least-loaded online agents without exceeding anyone’s capacity', async () => {
    clock.set(new Date('2026-03-02T10:00:00Z'))
    const team = await setUpTeam('Support A', true)
    const ana = await addAgent(team, 'Ana', { capacity: 3 })
    const ben = await addAgent(team, 'Ben', { capacity: 1 })
    const cleo = await addAgent(team, 'Cleo', { capacity: 3 })
    const dan = await addAgent(team, 'Dan', { capacity: 10 }, 'away')
    const eve = await addAgent(team, 'Eve', { capacity: 10 }, 'offline')
    const earlier = await waiting(team)
    const claimed = await app.inject({
      method: 'POST',
      url: `/api/conversations/${earlier}/assign`,
      headers: team.lead.headers,
      payload: { assigneeId: ana.id },
    })
    expect(claimed.statusCode, claimed.body).toBe(200)
    const normal1 = await waiting(team)
    const high1 = await waiting(team, 'high')
    const normal2 = await waiting(team)
    const high2 = await waiting(team, 'high')
    const normal3 = await waiting(team)
    const normal4 = await waiting(team)
    const urgent = await waiting(team, 'urgent')

    expect(await runDueTimers(ctx)).toContain('routing.assign')

    // Ana starts with one open conversation; Ben and Cleo with none (a tie goes by name).
    expect(await assigneesOf([urgent, high1, high2, normal1, normal2, normal3, normal4])).toEqual([ben.id, cleo.id, ana.id, cleo.id, ana.id, cleo.id, null])
    const agents = (await agentsOf(team)).filter((a) => a.role === 'agent')
    for (const agent of agents) expect(agent.load, agent.name).toBeLessThanOrEqual(agent.capacity)
    expect(agents.map((a) => [a.name, a.presence, a.load])).toEqual([
      ['Ana', 'online', 3],
      ['Ben', 'online', 1],
      ['Cleo', 'online', 3],
      ['Dan', 'away', 0],
      ['Eve', 'offline', 0],
    ])
    expect(await assigneesOf([earlier])).toEqual([ana.id])
    expect(await assignmentEvents(urgent)).toEqual(['Assigned to Ben automatically: the least-loaded online agent (0 of 1 open before this one)'])
    expect(await assignmentEvents(normal2)).toEqual(['Assigned to Ana automatically: the least-loaded online agent (2 of 3 open before this one)'])
    expect(await assignmentEvents(normal4)).toEqual([])
    expect(notificationsTo(ben.id)).toEqual([{ kind: 'assigned', conversationId: urgent, by: null, preview: 'Assigned to you automatically' }])
    expect(notificationsTo(cleo.id)).toHaveLength(3)
    expect(notificationsTo(dan.id)).toEqual([])
    expect(notificationsTo(eve.id)).toEqual([])
    const teams = await app.inject({ method: 'GET', url: '/api/routing/teams', headers: team.lead.headers })
    expect(teams.json<{ items: TeamRouting[] }>().items.find((t) => t.teamId === team.teamId)?.waiting).toBe(1)

    // Everyone is full: another run hands out nothing.
    expect(await assignWaiting(ctx, team.teamId)).toEqual({ assigned: 0 })
    expect(await assigneesOf([normal4])).toEqual([null])
  })

  it('gives an agent who speaks only Czech only the Czech conversations, however lightly loaded', async () => {
    clock.set(new Date('2026-03-03T10:00:00Z'))
    const team = await setUpTeam('Support CZ', true)
    const petra = await addAgent(team, 'Petra', { capacity: 5, languages: ['cs'] })
    const tom = await addAgent(team, 'Tom', { capacity: 5 })
    const english1 = await waiting(team, 'normal', 'Hello, my parcel never arrived and I would like a refund please')
    const english2 = await waiting(team, 'normal', 'Hi, the package I ordered last week still has not arrived')
    const czech = await waiting(team, 'normal', 'Dobrý den, objednávka nedorazila, chci reklamaci')

    await runDueTimers(ctx)

    const languages = await ctx.db.selectFrom('conversations').select(['id', 'language']).where('id', 'in', [english1, english2, czech]).execute()
    expect(Object.fromEntries(languages.map((r) => [r.id, r.language]))).toEqual({ [english1]: 'en', [english2]: 'en', [czech]: 'cs' })
    expect(await assigneesOf([english1, english2, czech])).toEqual([tom.id, tom.id, petra.id])
    expect(await assignmentEvents(czech)).toEqual([
      'Assigned to Petra automatically: the least-loaded online agent who speaks cs (0 of 5 open before this one)',
    ])
  })

  it('keeps an agent under their cap for one kind of channel while still giving them other kinds', async () => {
    clock.set(new Date('2026-03-04T10:00:00Z'))
    const team = await setUpTeam('Support Kinds', true)
    const page = await createChannel(ctx, {
      kind: 'facebook',
      name: 'Kinds page',
      externalId: `${crypto.randomUUID()}`,
      teamId: team.teamId,
      settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
      secrets: { appSecret: 's', accessToken: 't' },
    })
    const kim = await addAgent(team, 'Kim', { capacity: 5, capacityByKind: { telegram: 1 } })
    const telegram1 = await waiting(team)
    const telegram2 = await waiting(team)
    const telegram3 = await waiting(team)
    const facebook = await waiting(team, 'normal', 'Where is my order?', page.id)

    await runDueTimers(ctx)

    expect(await assigneesOf([telegram1, telegram2, telegram3, facebook])).toEqual([kim.id, null, null, kim.id])
    expect((await agentsOf(team)).find((a) => a.id === kim.id)).toMatchObject({ load: 2, capacity: 5, capacityByKind: { telegram: 1 } })
  })

  it('assigns the next waiting conversation when an agent resolves one, and when a teammate comes online', async () => {
    clock.set(new Date('2026-03-05T10:00:00Z'))
    const team = await setUpTeam('Support Flow', true)
    const lou = await addAgent(team, 'Lou', { capacity: 1 })
    const first = await waiting(team)
    const second = await waiting(team)
    await runDueTimers(ctx)
    expect(await assigneesOf([first, second])).toEqual([lou.id, null])

    const louSession = await signIn(app, lou.email, lou.password)
    const resolved = await app.inject({
      method: 'POST',
      url: `/api/conversations/${first}/status`,
      headers: louSession.headers,
      payload: { status: 'resolved' },
    })
    expect(resolved.statusCode, resolved.body).toBe(200)

    expect((await pendingTimers(ctx, 'routing.assign')).map((j) => j.key)).toContain(`assign:${team.teamId}`)
    await runDueTimers(ctx)
    expect(await assigneesOf([second])).toEqual([lou.id])

    const mia = await addAgent(team, 'Mia', { capacity: 2 }, 'offline')
    const third = await waiting(team)
    await runDueTimers(ctx)
    expect(await assigneesOf([third])).toEqual([null])

    await setPresence(mia.id, 'online')

    expect((await pendingTimers(ctx, 'routing.assign')).map((j) => j.key)).toEqual([`assign:${team.teamId}`])
    await runDueTimers(ctx)
    expect(await assigneesOf([third])).toEqual([mia.id])
    expect(await assignmentEvents(third)).toEqual(['Assigned to Mia automatically: the least-loaded online agent (0 of 2 open before this one)'])
  })

  it('assigns nothing while the team’s auto-assignment is off, and empties the queue once it is turned on', async () => {
    clock.set(new Date('2026-03-06T10:00:00Z'))
    const team = await setUpTeam('Support Manual', false)
    const noor = await addAgent(team, 'Noor', { capacity: 5 })
    const conversation = await waiting(team)

    await runDueTimers(ctx)

    expect((await pendingTimers(ctx, 'routing.assign')).map((j) => j.key)).not.toContain(`assign:${team.teamId}`)
    expect(await assignWaiting(ctx, team.teamId)).toEqual({ assigned: 0 })
    expect(await assigneesOf([conversation])).toEqual([null])
    expect(notificationsTo(noor.id)).toEqual([])

    const turnedOn = await updateTeam(team, { autoAssign: true })
    expect(turnedOn).toMatchObject({ autoAssign: true, waiting: 1 })
    await runDueTimers(ctx)
    expect(await assigneesOf([conversation])).toEqual([noor.id])

    await updateTeam(team, { autoAssign: false })
    const later = await waiting(team)
    expect(await assignWaiting(ctx, team.teamId)).toEqual({ assigned: 0 })
    expect(await assigneesOf([later])).toEqual([null])
  })
})

describe('PATCH /api/routing/agents/:id', () => {
  it('accepts a cap for one kind of channel alone, as the settings form sends it', async () => {
    clock.set(new Date('2026-03-09T10:00:00Z'))
    const team = await setUpTeam('Support Caps', false)
    const user = await createUser(ctx, { role: 'agent', teamIds: [team.teamId], name: 'Ola' })

    const response = await app.inject({
      method: 'PATCH',
      url: `/api/routing/agents/${user.id}`,
      headers: team.lead.headers,
      payload: { capacityByKind: { telegram: 1 } },
    })

    expect(response.statusCode, response.body).toBe(200)
    expect(response.json<Agent>().capacityByKind).toEqual({ telegram: 1 })
    const row = await ctx.db.selectFrom('users').select('capacityByKind').where('id', '=', user.id).executeTakeFirstOrThrow()
    expect(row.capacityByKind).toEqual({ telegram: 1 })
  })
})
