import type { FollowUp, WhatsAppTemplate } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../../../server/src/context.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { type createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'
import { connectWhatsApp } from '../../support/whatsapp-account.js'

// Follow-ups against the simulator: the conversation comes back at its time with the note, a prepared message goes
// out only where the platform allows it then, and a customer who writes first cancels it.
const phoneNumberId = '130000000000888'
const businessAccountId = '120000000000888'
const appSecret = 'follow-ups-app-secret'
const hour = 3_600_000

let database: TestDatabase
let ctx: AppContext
let clock: ReturnType<typeof createTestClock>
let app: FastifyInstance
let sim: Simulator
let agent: SignedIn
let channelId: string
let customerCount = 0

/** A new customer writes now (by the test clock): a new conversation, its id. */
async function newConversation(text = 'Hello, any update on my refund?'): Promise<{ id: string; from: string }> {
  customerCount += 1
  const from = `55119990000${String(customerCount).padStart(2, '0')}`
  await sim.customerWrites(phoneNumberId, { from: { id: from, name: `Cliente ${customerCount}` }, text, at: clock.now() })
  await processQueue(ctx, database.pool)
  const row = await ctx.db.selectFrom('conversations').select('id').orderBy('createdAt', 'desc').limit(1).executeTakeFirstOrThrow()
  return { id: row.id, from }
}

function schedule(conversationId: string, body: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/follow-ups`, headers: agent.headers, payload: body })
}

async function followUps(conversationId: string): Promise<FollowUp[]> {
  return (await app.inject({ method: 'GET', url: `/api/conversations/${conversationId}/follow-ups`, headers: agent.headers })).json().items
}

async function thread(conversationId: string): Promise<string[]> {
  const rows = await ctx.db.selectFrom('messages').select('text').where('conversationId', '=', conversationId).orderBy('createdAt').execute()
  return rows.map((r) => r.text)
}

/** Time passes; past the sessions' idle limit the agent signs in again. */
async function move(at: Date): Promise<void> {
  clock.set(at)
  agent = await signedInAs(ctx, app, 'admin')
}

/** The time comes: the clock moves to it and the follow-up's job runs. */
async function reach(at: Date): Promise<void> {
  await move(at)
  await processQueue(ctx, database.pool, { runScheduled: true })
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  clock = ctx.clock as typeof clock
  // The queue runs a job when the database's clock says so: the test's clock starts at the real time, so a
  // follow-up's job waits until the test moves to its time.
  clock.set(new Date())
  app = await buildTestApp(ctx)
  const appUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  agent = await signedInAs(ctx, app, 'admin')
  sim = await startSimulator({ retryScheduleMs: [20, 50], receipts: false })
  channelId = await connectWhatsApp(ctx, sim, appUrl, { name: 'Follow-ups WhatsApp', phoneNumberId, businessAccountId, appSecret })
  await app.inject({ method: 'POST', url: `/api/channels/${channelId}/templates/refresh`, headers: agent.headers })
})
afterAll(async () => {
  await app.close()
  await sim.close()
  await database.drop()
})

describe('follow-ups', () => {
  it('refuses a time in the past and changes nothing', async () => {
    const { id } = await newConversation()
    const past = await schedule(id, { dueAt: new Date(clock.now().getTime() - 60_000).toISOString(), note: 'too late' })
    expect(past.statusCode).toBe(400)
    expect(await followUps(id)).toEqual([])
  })

  it('brings a resolved conversation back at its time with the note, and tells its team', async () => {
    const { id } = await newConversation()
    await app.inject({ method: 'POST', url: `/api/conversations/${id}/status`, headers: agent.headers, payload: { status: 'resolved' } })
    const dueAt = new Date(clock.now().getTime() + 2 * hour)
    const scheduled = await schedule(id, { dueAt: dueAt.toISOString(), note: 'Check the refund went through' })
    expect(scheduled.statusCode).toBe(200)
    expect(scheduled.json()).toMatchObject({ status: 'scheduled', note: 'Check the refund went through', outcome: expect.stringContaining('nothing is sent') })
    const listed = await app.inject({ method: 'GET', url: '/api/conversations?view=follow_ups', headers: agent.headers })
    expect(listed.json().items.map((c: { id: string }) => c.id)).toContain(id)

    await reach(dueAt)
    const conversation = await ctx.db.selectFrom('conversations').select('status').where('id', '=', id).executeTakeFirstOrThrow()
    expect(conversation.status).toBe('open')
    expect(await thread(id)).toContain('Follow-up due: Check the refund went through')
    const [done] = await followUps(id)
    expect(done).toMatchObject({ status: 'done', outcome: 'Done: the conversation came back to the inbox.' })
    const notified = await sql<{ n: number }>`
      select count(*)::int as n from changes where type = 'notification.created' and conversation_id = ${id} and data->'notification'->>'kind' = 'follow_up'`.execute(
      ctx.db,
    )
    expect(notified.rows[0]!.n).toBeGreaterThan(0)
  })

  it('sends a prepared message while the window is open', async () => {
    const { id } = await newConversation()
    const dueAt = new Date(clock.now().getTime() + 3 * hour)
    const scheduled = await schedule(id, { dueAt: dueAt.toISOString(), message: { kind: 'text', text: 'Your refund was sent today.' } })
    expect(scheduled.json().outcome).toContain('normal reply')
    await reach(dueAt)
    expect(sim.sends.some((s) => (s.body as { text?: { body: string } }).text?.body === 'Your refund was sent today.')).toBe(true)
    expect((await followUps(id))[0]!.outcome).toBe('Done: the prepared message was sent.')
  })

  it('says beforehand, and again at the time, that WhatsApp text cannot go out after 24 hours; the conversation waits for the agent', async () => {
    const { id } = await newConversation()
    const dueAt = new Date(clock.now().getTime() + 30 * hour)
    const scheduled = await schedule(id, { dueAt: dueAt.toISOString(), message: { kind: 'text', text: 'Checking in!' } })
    expect(scheduled.json().outcome).toContain('cannot be sent')
    await reach(dueAt)
    expect(sim.sends.some((s) => (s.body as { text?: { body: string } }).text?.body === 'Checking in!')).toBe(false)
    expect((await followUps(id))[0]!.outcome).toMatch(/^Done, but the prepared message was not sent/)
    expect((await thread(id)).some((t) => t.startsWith('The prepared message was not sent'))).toBe(true)
  })

  it('sends a prepared WhatsApp template after the window closed, filled as scheduled', async () => {
    const { id } = await newConversation()
    const templates: WhatsAppTemplate[] = (await app.inject({ method: 'GET', url: `/api/channels/${channelId}/templates`, headers: agent.headers })).json()
      .items
    const order = templates.find((t) => t.name === 'order_update' && t.language === 'en_US')!
    const dueAt = new Date(clock.now().getTime() + 48 * hour)
    const values = { 'body.1': 'Cliente', 'body.2': '88213', 'body.3': 'your refund is on its way' }
    const empty = await schedule(id, { dueAt: dueAt.toISOString(), message: { kind: 'template', templateId: order.id, values: { 'body.1': 'x' } } })
    expect(empty.statusCode).toBe(400)
    const scheduled = await schedule(id, { dueAt: dueAt.toISOString(), message: { kind: 'template', templateId: order.id, values } })
    expect(scheduled.statusCode).toBe(200)
    await reach(dueAt)
    const call = sim.sends.filter((s) => (s.body as { template?: { name: string } }).template?.name === 'order_update').at(-1)
    expect(call).toBeDefined()
    expect(JSON.stringify(call!.body)).toContain('your refund is on its way')
    expect((await followUps(id))[0]!.outcome).toBe('Done: the prepared message was sent.')
  })

  it('is cancelled when the customer writes first, and the thread says so', async () => {
    const { id, from } = await newConversation()
    const dueAt = new Date(clock.now().getTime() + 5 * hour)
    const scheduled = (await schedule(id, { dueAt: dueAt.toISOString(), note: 'ping' })).json() as FollowUp
    clock.advance(hour)
    await sim.customerWrites(phoneNumberId, { from: { id: from, name: 'Cliente' }, text: 'Got it, thanks!', at: clock.now() })
    await processQueue(ctx, database.pool)
    const [cancelled] = await followUps(id)
    expect(cancelled).toMatchObject({ id: scheduled.id, status: 'cancelled', outcome: 'Cancelled: the customer wrote before it was due.' })
    expect(await thread(id)).toContain('Follow-up cancelled: the customer wrote before it was due')
    await reach(dueAt)
    expect(await thread(id)).not.toContain('Follow-up due: ping')
  })

  it('can be cancelled by a teammate, once', async () => {
    const { id } = await newConversation()
    const scheduled = (await schedule(id, { dueAt: new Date(clock.now().getTime() + hour).toISOString() })).json() as FollowUp
    const url = `/api/conversations/${id}/follow-ups/${scheduled.id}`
    expect((await app.inject({ method: 'DELETE', url, headers: agent.headers })).json()).toMatchObject({ status: 'cancelled' })
    expect((await app.inject({ method: 'DELETE', url, headers: agent.headers })).statusCode).toBe(409)
  })

  it('lists WhatsApp chats whose window closes within two hours in "Window closing"', async () => {
    const { id } = await newConversation()
    await move(new Date(clock.now().getTime() + 23 * hour))
    const view = await app.inject({ method: 'GET', url: '/api/conversations?view=window_closing', headers: agent.headers })
    expect(view.json().items.map((c: { id: string }) => c.id)).toContain(id)
    const counts = await app.inject({ method: 'GET', url: '/api/conversations/counts', headers: agent.headers })
    expect(counts.json().views.window_closing.total).toBeGreaterThan(0)
    await move(new Date(clock.now().getTime() + 2 * hour))
    const later = await app.inject({ method: 'GET', url: '/api/conversations?view=window_closing', headers: agent.headers })
    expect(later.json().items.map((c: { id: string }) => c.id)).not.toContain(id)
  })
})
