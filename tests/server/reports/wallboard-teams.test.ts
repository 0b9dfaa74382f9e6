import type { Presence, Wallboard } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, createUser, firstTeamId, signIn, type SignedIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { customerWrites, newConversation } from '../../support/routing.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
const teams: Record<'support' | 'billing' | 'hidden', string> = {} as never
let lead: SignedIn
let admin: SignedIn

/** A member of these teams whose consoles say `presence` (presence itself follows open consoles: set here directly). */
async function member(teamIds: string[], presence: Presence, active = true): Promise<void> {
  const user = await createUser(ctx, { role: 'agent', teamIds })
  await ctx.db.updateTable('users').set({ presence, active }).where('id', '=', user.id).execute()
}

/** `count` customers of the team waiting for a reply, on a channel of the team's own. */
async function customersWaiting(teamId: string, count: number): Promise<void> {
  const channel = await createChannel(ctx, {
    kind: 'telegram',
    name: `Bot ${teamId.slice(0, 8)}`,
    externalId: teamId.slice(0, 8),
    teamId,
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
    secrets: { botToken: `${teamId.slice(0, 8)}:AA`, webhookSecret: 'w' },
  })
  for (let i = 0; i < count; i++) await customerWrites(ctx, await newConversation(ctx, channel.id), 'Hello, anyone there?')
}

async function wallboard(who: SignedIn, query = ''): Promise<Wallboard> {
  const response = await app.inject({ method: 'GET', url: `/api/reports/wallboard${query}`, headers: who.headers })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<Wallboard>()
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock: createTestClock(new Date('2026-03-02T10:00:00Z')) }
  app = await buildTestApp(ctx)
  teams.support = await firstTeamId(ctx)
  teams.billing = await createTeam(ctx, 'Billing')
  teams.hidden = await createTeam(ctx, 'Hidden <b>team</b>')
  // Support: two online (one also in Billing), one away, one offline, one whose account is deactivated.
  await member([teams.support, teams.billing], 'online')
  await member([teams.support], 'online')
  await member([teams.support], 'away')
  await member([teams.support], 'offline')
  await member([teams.support], 'online', false)
  // Billing: besides the one shared with Support, one away.
  await member([teams.billing], 'away')
  await member([teams.hidden], 'online')
  await customersWaiting(teams.support, 2)
  await customersWaiting(teams.billing, 1)
  await customersWaiting(teams.hidden, 3)
  // The lead and the admin have no console open: offline members of their teams.
  const leadUser = await createUser(ctx, { role: 'lead', teamIds: [teams.support, teams.billing] })
  lead = await signIn(app, leadUser.email, leadUser.password)
  const adminUser = await createUser(ctx, { role: 'admin', teamIds: [teams.support] })
  admin = await signIn(app, adminUser.email, adminUser.password)
})

afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('GET /api/reports/wallboard: teams now', () => {
  it('counts each team’s members online, away and offline, and its customers waiting, by team name', async () => {
    const board = await wallboard(lead)

    expect(board.teams).toEqual([
      { id: teams.billing, name: 'Billing', online: 1, away: 1, offline: 1, waiting: 1 },
      { id: teams.support, name: 'Support', online: 2, away: 1, offline: 3, waiting: 2 },
    ])
    // The totals agree: someone in two teams is one agent online, the hidden team's people and customers are not counted.
    expect(board.agentsOnline).toBe(2)
    expect(board.waitingNow).toBe(3)
  })

  it('shows only the team the address names', async () => {
    const board = await wallboard(lead, `?teamId=${teams.billing}`)

    expect(board.teams).toEqual([{ id: teams.billing, name: 'Billing', online: 1, away: 1, offline: 1, waiting: 1 }])
  })

  it('does not show a team the lead is not in, even when asked by its id', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/reports/wallboard?teamId=${teams.hidden}`, headers: lead.headers })

    expect(response.statusCode).toBe(404)
    expect(response.json()).toMatchObject({ error: { code: 'not_found' } })
  })

  it('shows an admin every team, with its name as it was written', async () => {
    const board = await wallboard(admin)

    expect(board.teams.map((t) => t.name)).toEqual(['Billing', 'Hidden <b>team</b>', 'Support'])
    expect(board.teams.find((t) => t.id === teams.hidden)).toEqual({ id: teams.hidden, name: 'Hidden <b>team</b>', online: 1, away: 0, offline: 0, waiting: 3 })
    // The same people as the lead sees in Support: the offline agent, the lead and the admin.
    expect(board.teams.find((t) => t.id === teams.support)).toMatchObject({ online: 2, away: 1, offline: 3 })
  })

  it('follows a change of presence on the next refresh', async () => {
    await ctx.db.updateTable('users').set({ presence: 'online' }).where('id', '=', lead.userId).execute()

    const board = await wallboard(lead)

    expect(board.teams.map(({ name, online, offline }) => ({ name, online, offline }))).toEqual([
      { name: 'Billing', online: 2, offline: 0 },
      { name: 'Support', online: 3, offline: 2 },
    ])
  })
})
