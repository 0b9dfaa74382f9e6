import type { WhatsAppTemplate } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'
import { recordingRealtime } from '../../support/realtime.js'
import { connectWhatsApp } from '../../support/whatsapp-account.js'

// WhatsApp templates end to end against the simulator: read from the business account, kept in step by its status
// webhook, and sent through the outbox with the values filled in, whatever the 24-hour window.
const phoneNumberId = '130000000000777'
const businessAccountId = '120000000000777'
const appSecret = 'templates-app-secret'
const customer = '5511988887777'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let sim: Simulator
let admin: SignedIn
let channelId: string
const realtime = recordingRealtime()

async function templates(): Promise<WhatsAppTemplate[]> {
  const response = await app.inject({ method: 'GET', url: `/api/channels/${channelId}/templates`, headers: admin.headers })
  expect(response.statusCode).toBe(200)
  return response.json().items
}

function named(list: WhatsAppTemplate[], name: string, language = 'en_US'): WhatsAppTemplate {
  const found = list.find((t) => t.name === name && t.language === language)
  if (!found) throw new Error(`no template ${name} ${language}`)
  return found
}

/** A customer wrote three days ago: WhatsApp's window is closed. */
async function oldConversation(): Promise<string> {
  await sim.customerWrites(phoneNumberId, {
    from: { id: customer, name: 'Ana Souza' },
    text: 'Where is my order 88213?',
    at: new Date(ctx.clock.now().getTime() - 3 * 86_400_000),
  })
  await processQueue(ctx, database.pool)
  const row = await ctx.db.selectFrom('conversations').select('id').where('channelId', '=', channelId).executeTakeFirstOrThrow()
  return row.id
}

function sendTemplate(conversationId: string, templateId: string, values: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url: `/api/conversations/${conversationId}/template-replies`,
    headers: admin.headers,
    payload: { templateId, values, clientKey: randomUUID() },
  })
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), realtime }
  app = await buildTestApp(ctx)
  const appUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  admin = await signedInAs(ctx, app, 'admin')
  sim = await startSimulator({ retryScheduleMs: [20, 50], receipts: false })
  channelId = await connectWhatsApp(ctx, sim, appUrl, { name: 'Templates WhatsApp', phoneNumberId, businessAccountId, appSecret })
})
afterAll(async () => {
  await app.close()
  await sim.close()
  await database.drop()
})

describe('WhatsApp message templates', () => {
  it('reads the business account’s templates on Refresh, with their placeholders and status', async () => {
    expect(await templates()).toEqual([])
    const refreshed = await app.inject({ method: 'POST', url: `/api/channels/${channelId}/templates/refresh`, headers: admin.headers })
    expect(refreshed.statusCode).toBe(200)
    expect(refreshed.json().syncedAt).not.toBeNull()
    const list = await templates()
    expect(list.length).toBe(sim.templates(businessAccountId).length)
    const order = named(list, 'order_update')
    expect(order).toMatchObject({ status: 'APPROVED', category: 'UTILITY', parameterFormat: 'POSITIONAL' })
    expect(order.placeholders.map((p) => p.key)).toEqual(['body.1', 'body.2', 'body.3'])
    expect(named(list, 'follow_up').placeholders.map((p) => p.key)).toEqual(['body.first_name'])
    expect(named(list, 'spring_sale').status).toBe('PAUSED')
    expect(named(list, 'delivery_photo').placeholders.map((p) => p.key)).toEqual(['header.media', 'body.1', 'button.1.1'])
    const audit = await ctx.db.selectFrom('auditLog').select('action').where('action', '=', 'channel.templates_refreshed').execute()
    expect(audit).toHaveLength(1)
  })

  it('sends a filled template outside the 24-hour window: the platform gets the values, the thread what the customer read', async () => {
    const conversationId = await oldConversation()
    const free = await app.inject({
      method: 'POST',
      url: `/api/conversations/${conversationId}/replies`,
      headers: admin.headers,
      payload: { text: 'Any news?', clientKey: randomUUID() },
    })
    expect(free.statusCode).toBe(409)

    const order = named(await templates(), 'order_update')
    const sent = await sendTemplate(conversationId, order.id, { 'body.1': 'Ana', 'body.2': '88213', 'body.3': 'it ships tomorrow' })
    expect(sent.statusCode).toBe(200)
    expect(sent.json()).toMatchObject({ status: 'queued', template: { name: 'order_update', language: 'en_US' } })
    expect(sent.json().text).toContain('Hi Ana, about your order 88213: it ships tomorrow')
    await processQueue(ctx, database.pool)

    const calls = sim.sends.filter((s) => (s.body as { type?: string }).type === 'template')
    expect(calls).toHaveLength(1)
    expect((calls[0]!.body as { template: unknown }).template).toEqual({
      name: 'order_update',
      language: { code: 'en_US' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Ana' },
            { type: 'text', text: '88213' },
            { type: 'text', text: 'it ships tomorrow' },
          ],
        },
      ],
    })
    const stored = await ctx.db.selectFrom('messages').select(['status', 'externalId']).where('id', '=', sent.json().id).executeTakeFirstOrThrow()
    expect(stored.status).toBe('sent')
    expect(stored.externalId).toBeTruthy()
  })

  it('sends named parameters by name', async () => {
    const conversationId = (await ctx.db.selectFrom('conversations').select('id').where('channelId', '=', channelId).executeTakeFirstOrThrow()).id
    const followUp = named(await templates(), 'follow_up')
    const sent = await sendTemplate(conversationId, followUp.id, { 'body.first_name': 'Ana' })
    expect(sent.statusCode).toBe(200)
    await processQueue(ctx, database.pool)
    const call = sim.sends.filter((s) => (s.body as { template?: { name: string } }).template?.name === 'follow_up').at(-1)
    expect((call!.body as { template: { components: unknown[] } }).template.components).toEqual([
      { type: 'body', parameters: [{ type: 'text', text: 'Ana', parameter_name: 'first_name' }] },
    ])
    expect((await ctx.db.selectFrom('messages').select('status').where('id', '=', sent.json().id).executeTakeFirstOrThrow()).status).toBe('sent')
  })

  it('refuses, changing nothing: a placeholder left empty, one the template lacks, a paused template, a media header that is not https', async () => {
    const conversationId = (await ctx.db.selectFrom('conversations').select('id').where('channelId', '=', channelId).executeTakeFirstOrThrow()).id
    const before = await ctx.db
      .selectFrom('messages')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
    const list = await templates()
    const order = named(list, 'order_update')
    const empty = await sendTemplate(conversationId, order.id, { 'body.1': 'Ana', 'body.2': '  ' })
    expect(empty.statusCode).toBe(400)
    expect(empty.json().error.message).toContain('body.2, body.3')
    const extra = await sendTemplate(conversationId, order.id, { 'body.1': 'a', 'body.2': 'b', 'body.3': 'c', 'body.9': 'x' })
    expect(extra.statusCode).toBe(400)
    const paused = await sendTemplate(conversationId, named(list, 'spring_sale').id, {})
    expect(paused.statusCode).toBe(409)
    expect(paused.json().error.message).toMatch(/paused/i)
    const photo = named(list, 'delivery_photo')
    const media = await sendTemplate(conversationId, photo.id, { 'header.media': 'http://cdn.example/p.jpg', 'body.1': 'X1', 'button.1.1': 'X1' })
    expect(media.statusCode).toBe(400)
    const after = await ctx.db
      .selectFrom('messages')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })

  it('follows the status webhook: a template paused after it was picked cannot be sent, and is sendable again once reinstated', async () => {
    const conversationId = (await ctx.db.selectFrom('conversations').select('id').where('channelId', '=', channelId).executeTakeFirstOrThrow()).id
    const order = named(await templates(), 'order_update', 'pt_BR')
    // Applied as the webhook arrives: what is published from here on is the status's doing.
    realtime.published.length = 0
    const report = await sim.templateStatusChanges(businessAccountId, order.externalId, 'PAUSED', {
      otherInfo: { title: 'FIRST_PAUSE', description: 'Low quality' },
    })
    expect(report.delivered).toBe(true)
    await processQueue(ctx, database.pool)
    expect(named(await templates(), 'order_update', 'pt_BR')).toMatchObject({ status: 'PAUSED' })
    // Open composers hear of it at once: the channel's team is told its channel changed.
    const teamId = (await ctx.db.selectFrom('channels').select('teamId').where('id', '=', channelId).executeTakeFirstOrThrow()).teamId
    expect(realtime.published).toContainEqual({ event: 'channel.updated', rooms: expect.arrayContaining([`team:${teamId}`]), payload: { channelId } })
    const refused = await sendTemplate(conversationId, order.id, { 'body.1': 'Ana', 'body.2': '88213', 'body.3': 'amanhã' })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.message).toMatch(/paused/i)

    await sim.templateStatusChanges(businessAccountId, order.externalId, 'REINSTATED')
    await processQueue(ctx, database.pool)
    expect(named(await templates(), 'order_update', 'pt_BR').status).toBe('APPROVED')
    expect((await sendTemplate(conversationId, order.id, { 'body.1': 'Ana', 'body.2': '88213', 'body.3': 'amanhã' })).statusCode).toBe(200)

    // Paused again later: the same change as the first, a new delivery all the same (Meta's time tells them apart).
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const again = await sim.templateStatusChanges(businessAccountId, order.externalId, 'PAUSED', {
      otherInfo: { title: 'FIRST_PAUSE', description: 'Low quality' },
    })
    expect(again.delivered).toBe(true)
    await processQueue(ctx, database.pool)
    expect(named(await templates(), 'order_update', 'pt_BR').status).toBe('PAUSED')
  })

  it('shows the business account id in the channel, so editing the channel keeps it', async () => {
    const channels = (await app.inject({ method: 'GET', url: '/api/channels', headers: admin.headers })).json()
    expect(channels.find((c: { id: string }) => c.id === channelId).settings).toMatchObject({ businessAccountId })
  })

  it('tells an admin to set the business account first, and refuses templates on a channel that is not WhatsApp', async () => {
    const bare = await createChannel(ctx, {
      kind: 'whatsapp',
      name: 'No account yet',
      externalId: '130000000000778',
      settings: { mode: 'webhook', apiBaseUrl: sim.apiBaseUrl('whatsapp') },
      secrets: { appSecret, accessToken: 'wa-token' },
    })
    const refresh = await app.inject({ method: 'POST', url: `/api/channels/${bare.id}/templates/refresh`, headers: admin.headers })
    expect(refresh.statusCode).toBe(409)
    expect(refresh.json().error.message).toContain('Business Account id')
    const telegram = await createChannel(ctx, {
      kind: 'telegram',
      name: 'Bot',
      externalId: '7000000009',
      settings: { mode: 'polling', apiBaseUrl: sim.apiBaseUrl('telegram') },
      secrets: { botToken: '7000000009:AAx' },
    })
    const list = await app.inject({ method: 'GET', url: `/api/channels/${telegram.id}/templates`, headers: admin.headers })
    expect(list.statusCode).toBe(400)
  })
})
