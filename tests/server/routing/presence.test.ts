import { rooms, type Agent, type ClientToServerEvents, type Presence, type ServerToClientEvents } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { socketAuth } from '../../../server/src/auth/socket-auth.js'
import type { AppContext } from '../../../server/src/context.js'
import { attachRealtime } from '../../../server/src/realtime/realtime.js'
import { presenceRefresher, refreshPresence } from '../../../server/src/routing/presence.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, createUser, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { pendingTimers } from '../../support/routing.js'
import { recordingRealtime, type Published } from '../../support/realtime.js'

/** Stands in for socket.io: says how many consoles each user has open, and records what is published. */
let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let autoTeam: string
let manualTeam: string
const clock = createTestClock(new Date('2026-06-01T09:00:00Z'))
const realtime = recordingRealtime()

async function stored(userId: string): Promise<{ presence: string; presenceAt: Date | null; awayByChoice: boolean }> {
  return ctx.db.selectFrom('users').select(['presence', 'presenceAt', 'awayByChoice']).where('id', '=', userId).executeTakeFirstOrThrow()
}

function presenceEvents(): Published[] {
  return realtime.published.filter((p) => p.event === 'presence.updated')
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock, realtime }
  app = await buildTestApp(ctx)
  autoTeam = await createTeam(ctx, 'Auto team')
  manualTeam = await createTeam(ctx, 'Manual team')
  await ctx.db.updateTable('teams').set({ autoAssign: true }).where('id', '=', autoTeam).execute()
})
afterAll(async () => {
  await app.close()
  await database.drop()
})
beforeEach(async () => {
  await sql`delete from graphile_worker._private_jobs`.execute(ctx.db)
  realtime.published.length = 0
  realtime.consoles.clear()
})

describe('refreshPresence', () => {
  it('follows the consoles: offline with none, online with an active one, away when all are idle', async () => {
    const user = await createUser(ctx, { role: 'agent', teamIds: [autoTeam, manualTeam] })

    expect(await refreshPresence(ctx, user.id)).toBe('offline')
    expect(await stored(user.id)).toMatchObject({ presence: 'offline', presenceAt: null })
    expect(presenceEvents()).toEqual([])

    clock.set(new Date('2026-06-01T09:05:00Z'))
    realtime.consoles.set(user.id, { open: 1, active: 1 })
    expect(await refreshPresence(ctx, user.id)).toBe('online')
    expect(await stored(user.id)).toMatchObject({ presence: 'online', presenceAt: new Date('2026-06-01T09:05:00Z') })
    expect(presenceEvents()).toHaveLength(1)
    expect(presenceEvents()[0]!.payload).toEqual({ userId: user.id, presence: 'online' })
    expect(new Set(presenceEvents()[0]!.rooms)).toEqual(new Set([rooms.user(user.id), rooms.team(autoTeam), rooms.team(manualTeam), rooms.allTeams()]))

    realtime.consoles.set(user.id, { open: 2, active: 1 })
    expect(await refreshPresence(ctx, user.id)).toBe('online')
    expect(presenceEvents()).toHaveLength(1)

    clock.set(new Date('2026-06-01T09:20:00Z'))
    realtime.consoles.set(user.id, { open: 2, active: 0 })
    expect(await refreshPresence(ctx, user.id)).toBe('away')
    expect(await stored(user.id)).toMatchObject({ presence: 'away', presenceAt: new Date('2026-06-01T09:20:00Z') })

    realtime.consoles.set(user.id, { open: 0, active: 0 })
    expect(await refreshPresence(ctx, user.id)).toBe('offline')
    expect(presenceEvents().map((e) => (e.payload as { presence: Presence }).presence)).toEqual(['online', 'away', 'offline'])
  })

  it('nudges auto-assignment of the person’s auto-assigning teams only when they come online', async () => {
    const user = await createUser(ctx, { role: 'agent', teamIds: [autoTeam, manualTeam] })

    realtime.consoles.set(user.id, { open: 1, active: 0 })
    await refreshPresence(ctx, user.id)
    expect(await pendingTimers(ctx, 'routing.assign')).toEqual([])

    realtime.consoles.set(user.id, { open: 1, active: 1 })
    await refreshPresence(ctx, user.id)
    expect((await pendingTimers(ctx, 'routing.assign')).map((j) => j.key)).toEqual([`assign:${autoTeam}`])
  })

  it('keeps a deactivated person offline whatever their consoles say, and knows no unknown user', async () => {
    const user = await createUser(ctx, { role: 'agent', teamIds: [autoTeam] })
    realtime.consoles.set(user.id, { open: 1, active: 1 })
    await refreshPresence(ctx, user.id)
    await ctx.db.updateTable('users').set({ active: false }).where('id', '=', user.id).execute()

    expect(await refreshPresence(ctx, user.id)).toBe('offline')
    expect((await stored(user.id)).presence).toBe('offline')
    expect(await refreshPresence(ctx, crypto.randomUUID())).toBeNull()
  })

  it('applies quick successive changes in the order they happened', async () => {
    const user = await createUser(ctx, { role: 'agent', teamIds: [manualTeam] })
    // The first look at the consoles (one open) is slow to answer; the second (none) is quick.
    const answers = [
      { open: 1, active: 1, delayMs: 100 },
      { open: 0, active: 0, delayMs: 0 },
    ]
    const slow: AppContext = {
      ...ctx,
      realtime: {
        ...realtime,
        consolesOf: async () => {
          const { delayMs, ...consoles } = answers.shift() ?? { open: 0, active: 0, delayMs: 0 }
          await new Promise((resolve) => setTimeout(resolve, delayMs))
          return consoles
        },
      },
    }
    const refresh = presenceRefresher(slow)

    refresh(user.id)
    refresh(user.id)
    await until(() => presenceEvents().length === 2)

    expect(presenceEvents().map((e) => (e.payload as { presence: Presence }).presence)).toEqual(['online', 'offline'])
    expect((await stored(user.id)).presence).toBe('offline')
  })
})

describe('PUT /api/routing/presence', () => {
  it('keeps someone who said they are away away while their console is active, until they say online', async () => {
    const me = await signedInAs(ctx, app, 'agent', [autoTeam])
    realtime.consoles.set(me.userId, { open: 1, active: 1 })
    await refreshPresence(ctx, me.userId)

    const away = await app.inject({ method: 'PUT', url: '/api/routing/presence', headers: me.headers, payload: { presence: 'away' } })

    expect(away.statusCode, away.body).toBe(200)
    expect(away.json()).toEqual({ presence: 'away' })
    expect(await stored(me.userId)).toMatchObject({ presence: 'away', awayByChoice: true })
    expect(await refreshPresence(ctx, me.userId)).toBe('away')
    await sql`delete from graphile_worker._private_jobs`.execute(ctx.db)

    const back = await app.inject({ method: 'PUT', url: '/api/routing/presence', headers: me.headers, payload: { presence: 'online' } })

    expect(back.json()).toEqual({ presence: 'online' })
    expect(await stored(me.userId)).toMatchObject({ presence: 'online', awayByChoice: false })
    expect((await pendingTimers(ctx, 'routing.assign')).map((j) => j.key)).toEqual([`assign:${autoTeam}`])
    const agents = await app.inject({ method: 'GET', url: '/api/routing/agents', headers: me.headers })
    expect(agents.json<{ items: Agent[] }>().items.find((a) => a.id === me.userId)).toMatchObject({ presence: 'online' })
  })

  it('answers offline to someone saying online with no console open', async () => {
    const me = await signedInAs(ctx, app, 'agent', [manualTeam])

    const response = await app.inject({ method: 'PUT', url: '/api/routing/presence', headers: me.headers, payload: { presence: 'online' } })

    expect(response.json()).toEqual({ presence: 'offline' })
    expect((await stored(me.userId)).presence).toBe('offline')
  })
})

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('presence over real consoles', () => {
  type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>
  let liveCtx: AppContext
  let liveApp: FastifyInstance
  let baseUrl: string
  const sockets: ConsoleSocket[] = []

  function connect(who: SignedIn): ConsoleSocket {
    const socket: ConsoleSocket = io(baseUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { origin: baseUrl, cookie: who.cookie },
    })
    sockets.push(socket)
    return socket
  }

  function connected(socket: ConsoleSocket): Promise<void> {
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve())
      socket.once('connect_error', reject)
    })
  }

  function heard(socket: ConsoleSocket): { userId: string; presence: Presence }[] {
    const events: { userId: string; presence: Presence }[] = []
    socket.on('presence.updated', (event) => events.push(event))
    return events
  }

  async function presenceOf(userId: string): Promise<string> {
    return (await stored(userId)).presence
  }

  beforeAll(async () => {
    liveCtx = createTestContext(database)
    liveApp = await buildTestApp(liveCtx)
    liveCtx.realtime = attachRealtime(liveApp.server, liveCtx.log, socketAuth(liveCtx), undefined, presenceRefresher(liveCtx))
    baseUrl = await liveApp.listen({ port: 0, host: '127.0.0.1' })
  })
  afterAll(async () => {
    for (const socket of sockets) socket.close()
    await liveCtx.realtime.close()
    await liveApp.close()
  })

  it('turns an agent online on connect, away when idle, offline on disconnect, and tells their team’s lead only', async () => {
    const team = await createTeam(ctx, 'Live team')
    const elsewhere = await createTeam(ctx, 'Elsewhere')
    const lead = await signedInAs(liveCtx, liveApp, 'lead', [team])
    const agent = await signedInAs(liveCtx, liveApp, 'agent', [team])
    const outsider = await signedInAs(liveCtx, liveApp, 'agent', [elsewhere])
    const leadSocket = connect(lead)
    const outsiderSocket = connect(outsider)
    await Promise.all([connected(leadSocket), connected(outsiderSocket)])
    await until(async () => (await presenceOf(lead.userId)) === 'online' && (await presenceOf(outsider.userId)) === 'online')
    const atLead = heard(leadSocket)
    const atOutsider = heard(outsiderSocket)
    const aboutAgent = () => atLead.filter((e) => e.userId === agent.userId).map((e) => e.presence)

    const agentSocket = connect(agent)
    await connected(agentSocket)
    await until(async () => (await presenceOf(agent.userId)) === 'online')
    await until(() => aboutAgent().length === 1)
    expect(aboutAgent()).toEqual(['online'])

    agentSocket.emit('presence.activity', { active: false })
    await until(async () => (await presenceOf(agent.userId)) === 'away')
    await until(() => aboutAgent().length === 2)

    // A second console that is active brings them back; its going idle too makes them away again.
    const secondConsole = connect(agent)
    await connected(secondConsole)
    await until(async () => (await presenceOf(agent.userId)) === 'online')
    secondConsole.emit('presence.activity', { active: false })
    await until(async () => (await presenceOf(agent.userId)) === 'away')
    secondConsole.disconnect()
    await until(() => aboutAgent().length === 4)
    expect(await presenceOf(agent.userId)).toBe('away')

    agentSocket.disconnect()
    await until(async () => (await presenceOf(agent.userId)) === 'offline')
    await until(() => aboutAgent().length === 5)

    expect(aboutAgent()).toEqual(['online', 'away', 'online', 'away', 'offline'])
    expect(atOutsider.filter((e) => e.userId === agent.userId)).toEqual([])
    const agents = await liveApp.inject({ method: 'GET', url: '/api/routing/agents', headers: lead.headers })
    expect(agents.json<{ items: Agent[] }>().items.find((a) => a.id === agent.userId)).toMatchObject({ presence: 'offline' })
  })
})
