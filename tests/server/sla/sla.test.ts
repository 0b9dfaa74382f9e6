import type { ConversationSummary, SlaPolicy, SlaTarget, SlaTargets } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { firstTeamId, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { customerWrites, newConversation, pendingTimers, runDueTimers } from '../../support/routing.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let lead: SignedIn
let channelId: string
let teamId: string
const clock = createTestClock(new Date('2026-03-02T09:00:00Z'))

const weekdays9to17 = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' }))

async function signIn(): Promise<void> {
  // Sessions expire when idle: moving the clock by days needs a fresh one.
  lead = await signedInAs(ctx, app, 'lead', [teamId])
}

async function setPolicy(targets: SlaTargets): Promise<SlaPolicy> {
  const existing = await app.inject({ method: 'GET', url: '/api/sla-policies', headers: lead.headers })
  for (const policy of existing.json<{ items: SlaPolicy[] }>().items) {
    await app.inject({ method: 'DELETE', url: `/api/sla-policies/${policy.id}`, headers: lead.headers })
  }
  const created = await app.inject({
    method: 'POST',
    url: '/api/sla-policies',
    headers: lead.headers,
    payload: { name: 'Standard', enabled: true, conditions: {}, targets },
  })
  expect(created.statusCode).toBe(200)
  await runDueTimers(ctx)
  return created.json<SlaPolicy>()
}

async function setHours(body: object): Promise<void> {
  const response = await app.inject({ method: 'PATCH', url: `/api/routing/teams/${teamId}`, headers: lead.headers, payload: body })
  expect(response.statusCode, response.body).toBe(200)
  await runDueTimers(ctx)
}

async function targets(conversationId: string): Promise<SlaTarget[]> {
  const response = await app.inject({ method: 'GET', url: `/api/conversations/${conversationId}/sla`, headers: lead.headers })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ items: SlaTarget[] }>().items
}

async function summary(conversationId: string): Promise<ConversationSummary> {
  const response = await app.inject({ method: 'GET', url: `/api/conversations/${conversationId}`, headers: lead.headers })
  return response.json<{ conversation: ConversationSummary }>().conversation
}

async function reply(conversationId: string, text = 'On it'): Promise<void> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/conversations/${conversationId}/replies`,
    headers: lead.headers,
    payload: { text, clientKey: crypto.randomUUID() },
  })
  expect(response.statusCode, response.body).toBe(200)
}

async function setStatus(conversationId: string, status: 'open' | 'resolved'): Promise<void> {
  const response = await app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/status`, headers: lead.headers, payload: { status } })
  expect(response.statusCode, response.body).toBe(200)
}

function at(iso: string): void {
  clock.set(new Date(iso))
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock }
  app = await buildTestApp(ctx)
  const channel = await createChannel(ctx, {
    kind: 'telegram',
    name: 'Bot',
    externalId: '777',
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
    secrets: { botToken: '777:AA', webhookSecret: 'w' },
  })
  channelId = channel.id
  teamId = await firstTeamId(ctx)
  await signIn()
})
afterAll(async () => {
  await app.close()
  await database.drop()
})
beforeEach(async () => {
  await sql`delete from graphile_worker._private_jobs`.execute(ctx.db)
})

describe('deadlines in calendar time', () => {
  it('starts a first-response target at the customer message, schedules its warning and breach, and a reply meets it', async () => {
    at('2026-03-02T09:00:00Z')
    await signIn()
    await setPolicy({ normal: { first_response: { minutes: 60, businessHours: false } } })
    // Warning timers exist while a rule acts on warnings.
    const warning = await app.inject({
      method: 'POST',
      url: '/api/rules',
      headers: lead.headers,
      payload: {
        teamId,
        name: 'Amber: tell the leads',
        enabled: true,
        trigger: 'sla.warning',
        afterMinutes: null,
        conditions: {},
        actions: [{ type: 'notify', who: 'leads' }],
      },
    })
    expect(warning.statusCode, warning.body).toBe(200)
    await runDueTimers(ctx)
    const id = await newConversation(ctx, channelId)

    await customerWrites(ctx, id, 'Hello, my parcel never came')

    expect(await targets(id)).toMatchObject([{ kind: 'first_response', status: 'active', dueAt: '2026-03-02T10:00:00.000Z', targetMinutes: 60 }])
    expect((await summary(id)).sla).toEqual({ state: 'active', dueAt: '2026-03-02T10:00:00.000Z' })
    const [target] = await targets(id)
    expect((await pendingTimers(ctx, 'sla.timer')).map((t) => [t.key, t.runAt.toISOString()])).toEqual([
      [`sla-warning:${target!.id}`, '2026-03-02T09:45:00.000Z'],
      [`sla-breach:${target!.id}`, '2026-03-02T10:00:00.000Z'],
    ])

    at('2026-03-02T09:40:00Z')
    await reply(id)

    expect(await targets(id)).toMatchObject([{ kind: 'first_response', status: 'achieved', stoppedAt: '2026-03-02T09:40:00.000Z' }])
    expect((await summary(id)).sla).toBeNull()
    // The conversation's detail carries the same targets, so opening it needs no second request.
    const detail = await app.inject({ method: 'GET', url: `/api/conversations/${id}`, headers: lead.headers })
    expect(detail.json<{ sla: SlaTarget[] }>().sla).toEqual(await targets(id))
    expect(await pendingTimers(ctx, 'sla.timer')).toEqual([])
    await app.inject({ method: 'DELETE', url: `/api/rules/${warning.json<{ id: string }>().id}`, headers: lead.headers })
  })

  it('breaches at the deadline by its timer, runs the breach rule once, and the badge turns red', async () => {
    at('2026-03-02T11:00:00Z')
    await setPolicy({ normal: { first_response: { minutes: 30, businessHours: false } } })
    const rule = await app.inject({
      method: 'POST',
      url: '/api/rules',
      headers: lead.headers,
      payload: {
        teamId,
        name: 'Breached: back to the queue',
        enabled: true,
        trigger: 'sla.breached',
        afterMinutes: null,
        conditions: {},
        actions: [{ type: 'unassign' }, { type: 'add_note', text: 'SLA breached, returned to the queue' }],
      },
    })
    expect(rule.statusCode, rule.body).toBe(200)
    const id = await newConversation(ctx, channelId)
    await customerWrites(ctx, id, 'Anyone there?')
    await app.inject({ method: 'POST', url: `/api/conversations/${id}/assign`, headers: lead.headers, payload: { assigneeId: lead.userId } })

    at('2026-03-02T11:29:59Z')
    await runDueTimers(ctx)
    expect((await targets(id))[0]?.status).toBe('active')

    at('2026-03-02T11:30:00.400Z')
    expect(await runDueTimers(ctx)).toContain('sla.timer')
    expect(await targets(id)).toMatchObject([{ status: 'breached', breachedAt: '2026-03-02T11:30:00.000Z', stoppedAt: null }])
    const after = await summary(id)
    expect(after.sla).toEqual({ state: 'breached', dueAt: '2026-03-02T11:30:00.000Z' })
    expect(after.assignee).toBeNull()
    const notes = await ctx.db.selectFrom('messages').select('text').where('conversationId', '=', id).where('kind', '=', 'note').execute()
    expect(notes.map((n) => n.text)).toEqual(['SLA breached, returned to the queue'])

    // The same timer again (a retry, a second node) acts no more.
    const [target] = await targets(id)
    const { slaTimerHandler } = await import('../../../server/src/timers/sla-timer.job.js')
    await slaTimerHandler.run(ctx, { targetId: target!.id, moment: 'breach' }, { attempts: 2, maxAttempts: 10 })
    expect(await ctx.db.selectFrom('messages').select('id').where('conversationId', '=', id).where('kind', '=', 'note').execute()).toHaveLength(1)

    // Answering late stops the clock; the target stays breached.
    at('2026-03-02T11:50:00Z')
    await reply(id)
    expect(await targets(id)).toMatchObject([{ status: 'breached', stoppedAt: '2026-03-02T11:50:00.000Z' }])
    expect((await summary(id)).sla).toBeNull()
    await app.inject({ method: 'DELETE', url: `/api/rules/${rule.json<{ id: string }>().id}`, headers: lead.headers })
  })

  it('pauses resolution while waiting on the customer and resumes with the deadline moved by the pause', async () => {
    at('2026-03-03T09:00:00Z')
    await signIn()
    await setPolicy({ normal: { resolution: { minutes: 240, businessHours: false } } })
    const id = await newConversation(ctx, channelId)
    await customerWrites(ctx, id, 'My order is wrong')
    expect(await targets(id)).toMatchObject([{ kind: 'resolution', status: 'active', dueAt: '2026-03-03T13:00:00.000Z' }])

    at('2026-03-03T09:30:00Z')
    await reply(id, 'Which item?')
    expect(await targets(id)).toMatchObject([{ kind: 'resolution', status: 'paused', dueAt: null }])
    expect((await summary(id)).sla).toEqual({ state: 'paused', dueAt: null })
    expect(await pendingTimers(ctx, 'sla.timer')).toEqual([])

    at('2026-03-03T11:30:00Z')
    await customerWrites(ctx, id, 'The blue one')
    // 30 minutes ran before the pause; 2 hours paused: 09:00 + 4 h + 2 h.
    expect(await targets(id)).toMatchObject([{ kind: 'resolution', status: 'active', dueAt: '2026-03-03T15:00:00.000Z' }])

    at('2026-03-03T12:00:00Z')
    await setStatus(id, 'resolved')
    expect(await targets(id)).toMatchObject([{ kind: 'resolution', status: 'achieved', stoppedAt: '2026-03-03T12:00:00.000Z' }])
  })

  it('starts a new cycle when the customer writes after a resolve, keeping the first cycle as it was', async () => {
    at('2026-03-04T09:00:00Z')
    await signIn()
    await setPolicy({ normal: { first_response: { minutes: 60, businessHours: false } } })
    const id = await newConversation(ctx, channelId)
    await customerWrites(ctx, id, 'Question one')
    at('2026-03-04T09:10:00Z')
    await reply(id)
    at('2026-03-04T09:20:00Z')
    await setStatus(id, 'resolved')

    at('2026-03-04T14:00:00Z')
    await customerWrites(ctx, id, 'Question two')

    expect((await summary(id)).status).toBe('open')
    const all = await targets(id)
    expect(all).toMatchObject([
      { kind: 'first_response', status: 'active', startedAt: '2026-03-04T14:00:00.000Z', dueAt: '2026-03-04T15:00:00.000Z' },
      { kind: 'first_response', status: 'achieved', startedAt: '2026-03-04T09:00:00.000Z', stoppedAt: '2026-03-04T09:10:00.000Z' },
    ])
  })

  it('counts the next response from the oldest unanswered customer message', async () => {
    at('2026-03-05T09:00:00Z')
    await signIn()
    await setPolicy({ normal: { first_response: { minutes: 60, businessHours: false }, next_response: { minutes: 30, businessHours: false } } })
    const id = await newConversation(ctx, channelId)
    await customerWrites(ctx, id, 'Hi')
    at('2026-03-05T09:05:00Z')
    await reply(id)
    at('2026-03-05T09:20:00Z')
    await customerWrites(ctx, id, 'Still broken')
    at('2026-03-05T09:25:00Z')
    await customerWrites(ctx, id, 'Hello?')

    const next = (await targets(id)).filter((t) => t.kind === 'next_response')
    expect(next).toMatchObject([{ status: 'active', startedAt: '2026-03-05T09:20:00.000Z', dueAt: '2026-03-05T09:50:00.000Z' }])
  })

  it('moves the deadlines of open conversations when a policy is edited, timers included', async () => {
    at('2026-03-06T09:00:00Z')
    await signIn()
    const policy = await setPolicy({ normal: { first_response: { minutes: 120, businessHours: false } } })
    const id = await newConversation(ctx, channelId)
    await customerWrites(ctx, id, 'Hello')
    expect((await targets(id))[0]?.dueAt).toBe('2026-03-06T11:00:00.000Z')

    at('2026-03-06T09:10:00Z')
    const edited = await app.inject({
      method: 'PATCH',
      url: `/api/sla-policies/${policy.id}`,
      headers: lead.headers,
      payload: { targets: { normal: { first_response: { minutes: 30, businessHours: false } } } },
    })
    expect(edited.statusCode, edited.body).toBe(200)
    await runDueTimers(ctx)

    const [target] = await targets(id)
    expect(target).toMatchObject({ status: 'active', dueAt: '2026-03-06T09:30:00.000Z', targetMinutes: 30 })
    expect((await pendingTimers(ctx, 'sla.timer')).find((t) => t.key === `sla-breach:${target!.id}`)?.runAt.toISOString()).toBe('2026-03-06T09:30:00.000Z')
    expect((await summary(id)).sla?.dueAt).toBe('2026-03-06T09:30:00.000Z')
  })
})

describe('deadlines in business hours', () => {
  it('skips the weekend across the spring DST change (Europe/Prague)', async () => {
    at('2026-03-27T15:30:00Z') // Friday 16:30 in Prague (UTC+1)
    await signIn()
    await setHours({ timeZone: 'Europe/Prague', businessHours: { shifts: weekdays9to17, holidays: [] } })
    await setPolicy({ normal: { first_response: { minutes: 120, businessHours: true } } })
    const id = await newConversation(ctx, channelId)
    await customerWrites(ctx, id, 'Friday afternoon question')

    // 30 minutes on Friday, 90 on Monday from 09:00, now UTC+2: 10:30 local.
    expect((await targets(id))[0]).toMatchObject({ businessHours: true, dueAt: '2026-03-30T08:30:00.000Z' })
  })

  it('skips a holiday and lands after the lunch break of a split shift', async () => {
    at('2026-04-03T10:30:00Z') // Friday 12:30 in Prague (UTC+2): lunch
    await signIn()
    const split = [1, 2, 3, 4, 5].flatMap((weekday) => [
      { weekday, opens: '09:00', closes: '12:00' },
      { weekday, opens: '13:00', closes: '17:00' },
    ])
    await setHours({ timeZone: 'Europe/Prague', businessHours: { shifts: split, holidays: ['2026-04-06'] } })
    await setPolicy({ normal: { first_response: { minutes: 60, businessHours: true } } })
    const during = await newConversation(ctx, channelId)
    await customerWrites(ctx, during, 'At lunch')
    // Counting starts at 13:00: due 14:00 local.
    expect((await targets(during))[0]?.dueAt).toBe('2026-04-03T12:00:00.000Z')

    at('2026-04-03T14:30:00Z') // Friday 16:30
    const late = await newConversation(ctx, channelId)
    await customerWrites(ctx, late, 'Before the long weekend')
    // 30 minutes on Friday; Monday the 6th is a holiday; 30 more on Tuesday from 09:00: 09:30 local.
    expect((await targets(late))[0]?.dueAt).toBe('2026-04-07T07:30:00.000Z')
  })

  it('runs through midnight for a team open across it, and recomputes when the hours change', async () => {
    at('2026-03-10T21:30:00Z') // Tuesday 22:30 in Prague
    await signIn()
    const night = [2, 3].flatMap((weekday) => [
      { weekday, opens: '22:00', closes: '24:00' },
      { weekday, opens: '00:00', closes: '06:00' },
    ])
    await setHours({ timeZone: 'Europe/Prague', businessHours: { shifts: night, holidays: [] } })
    await setPolicy({ normal: { first_response: { minutes: 120, businessHours: true } } })
    const id = await newConversation(ctx, channelId)
    await customerWrites(ctx, id, 'Night owl')
    expect((await targets(id))[0]?.dueAt).toBe('2026-03-10T23:30:00.000Z') // 00:30 local, Wednesday

    await setHours({ businessHours: { shifts: weekdays9to17, holidays: [] } })
    // Now open from 09:00 Wednesday: due 11:00 local.
    expect((await targets(id))[0]?.dueAt).toBe('2026-03-11T10:00:00.000Z')
    await setHours({ timeZone: 'UTC', businessHours: { shifts: weekdays9to17, holidays: [] } })
  })

  it('refuses hours that make no sense, with the reason', async () => {
    const response = await app.inject({
      method: 'PATCH',
      url: `/api/routing/teams/${teamId}`,
      headers: lead.headers,
      payload: { timeZone: 'Mars/Olympus', businessHours: { shifts: [{ weekday: 1, opens: '17:00', closes: '09:00' }], holidays: [] } },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json<{ error: { message: string } }>().error.message).toMatch(/time zone/i)
  })
})
