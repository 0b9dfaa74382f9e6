import type { ConversationAttribution } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'
import { connectWhatsApp } from '../../support/whatsapp-account.js'

const appSecret = 'meta-app-secret'
const pageId = '104455667788990'
const phoneNumberId = '130000000000002'
const businessAccountId = '120000000000001'
const datasetId = '1234567890123'
const psid = '6123456789012345'
const ctwaClid = 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let sim: Simulator
let agent: SignedIn
let admin: SignedIn
let whatsappChannelId: string
let pageChannelId: string
let clock: ReturnType<typeof createTestClock>

async function whatsappChat(waId: string, referral?: Record<string, unknown>): Promise<string> {
  await sim.customerWrites(phoneNumberId, { from: { id: waId, name: 'Ana Souza' }, text: 'Hi! I saw your ad', ...(referral && { referral }) })
  await processQueue(ctx, database.pool)
  const row = await ctx.db
    .selectFrom('conversations')
    .select('id')
    .where('channelId', '=', whatsappChannelId)
    .orderBy('createdAt', 'desc')
    .executeTakeFirstOrThrow()
  return row.id
}

async function messengerChat(): Promise<string> {
  await sim.customerWrites(pageId, { from: { id: psid, name: 'Emma Clarke' }, text: 'Do you have the blender in red?' })
  await processQueue(ctx, database.pool)
  const row = await ctx.db.selectFrom('conversations').select('id').where('channelId', '=', pageChannelId).executeTakeFirstOrThrow()
  return row.id
}

function record(conversationId: string, body: unknown, as: SignedIn = agent) {
  return app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/outcomes`, headers: as.headers, payload: body as object })
}

async function useConversions(channelId: string, body: Record<string, unknown>): Promise<void> {
  const response = await app.inject({ method: 'PUT', url: `/api/channels/${channelId}/conversions`, headers: admin.headers, payload: body })
  expect(response.statusCode).toBe(200)
}

const ctwaAd = { source_url: 'https://fb.me/3cr4Wqqkv', source_id: '120226305854810726', source_type: 'ad', headline: 'Chat with us', ctwa_clid: ctwaClid }

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  // Meta takes events of the last 7 days by its own clock: the outcomes are recorded now.
  clock = createTestClock(new Date())
  ctx.clock = clock
  app = await buildTestApp(ctx)
  const appUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  sim = await startSimulator({ retryScheduleMs: [20, 50], receipts: false })
  agent = await signedInAs(ctx, app, 'agent')
  admin = await signedInAs(ctx, app, 'admin')
  whatsappChannelId = await connectWhatsApp(ctx, sim, appUrl, { name: 'Acme WhatsApp', phoneNumberId, businessAccountId, appSecret })
  const secrets = { appSecret, accessToken: 'page-token' }
  const page = await createChannel(ctx, {
    kind: 'facebook',
    name: 'Acme Page',
    externalId: pageId,
    settings: { mode: 'webhook', apiBaseUrl: sim.apiBaseUrl('facebook') },
    secrets,
  })
  pageChannelId = page.id
  sim.addAccount({ kind: 'facebook', externalId: pageId, secrets, webhookUrl: `${appUrl}/webhooks/meta` })
})
beforeEach(async () => {
  sim.clearFaults()
  sim.conversionEvents.length = 0
  await sql`truncate conversation_outcomes, channel_conversions, conversation_referrals, messages, conversations, changes cascade`.execute(ctx.db)
  await sql`delete from graphile_worker._private_jobs`.execute(ctx.db)
})
afterAll(async () => {
  await sim.close()
  await app.close()
  await database.drop()
})

describe('POST /api/conversations/:id/outcomes', () => {
  it('records a purchase with its conversation.outcome change, and sends the exact event to the Conversions API', async () => {
    await useConversions(whatsappChannelId, { datasetId })
    const conversationId = await whatsappChat('5511988887777', ctwaAd)

    const response = await record(conversationId, { kind: 'purchase', value: 129, currency: 'EUR' })

    expect(response.statusCode).toBe(200)
    const body = response.json<ConversationAttribution>()
    expect(body.sendsConversions).toBe(true)
    expect(body.outcomes).toEqual([
      {
        id: expect.any(String),
        kind: 'purchase',
        value: 129,
        currency: 'EUR',
        recordedBy: { id: agent.userId, name: expect.any(String) },
        conversion: { status: 'pending', error: null, sentAt: null },
        createdAt: clock.now().toISOString(),
      },
    ])
    const outcomeId = body.outcomes[0]!.id
    const changes = await ctx.db.selectFrom('changes').select(['type', 'conversationId', 'actor', 'data']).where('type', '=', 'conversation.outcome').execute()
    expect(changes).toEqual([
      {
        type: 'conversation.outcome',
        conversationId,
        actor: { type: 'agent', id: agent.userId },
        data: { outcomeId, kind: 'purchase', eventName: 'Purchase', value: 129, currency: 'EUR' },
      },
    ])

    await processQueue(ctx, database.pool)

    expect(sim.conversionEvents).toEqual([
      {
        datasetId,
        accountExternalId: phoneNumberId,
        at: expect.any(Date),
        event: {
          event_name: 'Purchase',
          event_time: Math.floor(clock.now().getTime() / 1000),
          event_id: `cbx_out_${outcomeId}`,
          action_source: 'business_messaging',
          messaging_channel: 'whatsapp',
          user_data: { whatsapp_business_account_id: businessAccountId, ctwa_clid: ctwaClid },
          custom_data: { currency: 'EUR', value: 129 },
        },
      },
    ])
    const after = await app.inject({ method: 'GET', url: `/api/conversations/${conversationId}/attribution`, headers: agent.headers })
    expect(after.json<ConversationAttribution>().outcomes[0]?.conversion).toEqual({ status: 'sent', error: null, sentAt: clock.now().toISOString() })
  })

  it('lets a rule record a lead, once, sent like one an agent records', async () => {
    await useConversions(whatsappChannelId, { datasetId })
    const rule = await app.inject({
      method: 'POST',
      url: '/api/rules',
      headers: admin.headers,
      payload: {
        teamId: null,
        name: 'Quote requests are leads',
        enabled: true,
        trigger: 'message.received',
        afterMinutes: null,
        conditions: { keywords: ['quote'] },
        actions: [{ type: 'record_outcome', outcome: { kind: 'lead' } }],
      },
    })
    expect(rule.statusCode, rule.body).toBe(200)

    await sim.customerWrites(phoneNumberId, { from: { id: '5511977776666', name: 'Bruno Lima' }, text: 'Can I get a quote?', referral: ctwaAd })
    await processQueue(ctx, database.pool)
    await sim.customerWrites(phoneNumberId, { from: { id: '5511977776666', name: 'Bruno Lima' }, text: 'And a quote for two?' })
    await processQueue(ctx, database.pool)

    const { id: conversationId } = await ctx.db.selectFrom('conversations').select('id').where('channelId', '=', whatsappChannelId).executeTakeFirstOrThrow()
    const attribution = (
      await app.inject({ method: 'GET', url: `/api/conversations/${conversationId}/attribution`, headers: agent.headers })
    ).json<ConversationAttribution>()
    expect(attribution.outcomes).toEqual([expect.objectContaining({ kind: 'lead', recordedBy: null, conversion: expect.objectContaining({ status: 'sent' }) })])
    const changes = await ctx.db.selectFrom('changes').select(['actor', 'data']).where('type', '=', 'conversation.outcome').execute()
    expect(changes).toEqual([
      { actor: { type: 'rule', id: rule.json<{ id: string }>().id }, data: expect.objectContaining({ kind: 'lead', eventName: 'LeadSubmitted' }) },
    ])
    expect(sim.conversionEvents.map((e) => e.event.event_name)).toEqual(['LeadSubmitted'])
    const activity = await ctx.db.selectFrom('messages').select('text').where('conversationId', '=', conversationId).where('kind', '=', 'event').execute()
    expect(activity.map((m) => m.text)).toContain('Lead recorded by the rule “Quote requests are leads”')
  })

  it('refuses a purchase worth less than a cent, from an agent and in a rule', async () => {
    const conversationId = await whatsappChat('5511977775555')

    const recorded = await record(conversationId, { kind: 'purchase', value: 0.004, currency: 'EUR' })
    const rule = await app.inject({
      method: 'POST',
      url: '/api/rules',
      headers: admin.headers,
      payload: {
        teamId: null,
        name: 'Free orders',
        enabled: true,
        trigger: 'message.received',
        afterMinutes: null,
        conditions: {},
        actions: [{ type: 'record_outcome', outcome: { kind: 'purchase', value: 0.004, currency: 'EUR' } }],
      },
    })

    expect(recorded.statusCode).toBe(400)
    expect(rule.statusCode).toBe(400)
  })

  it('sends a Messenger lead as LeadSubmitted with the Page and the customer’s page-scoped id, with a token of its own', async () => {
    await useConversions(pageChannelId, { datasetId, accessToken: 'page-token' })
    const conversationId = await messengerChat()

    await record(conversationId, { kind: 'lead' })
    await processQueue(ctx, database.pool)

    expect(sim.conversionEvents.map((recorded) => recorded.event)).toEqual([
      {
        event_name: 'LeadSubmitted',
        event_time: Math.floor(clock.now().getTime() / 1000),
        event_id: expect.stringMatching(/^cbx_out_/),
        action_source: 'business_messaging',
        messaging_channel: 'messenger',
        user_data: { page_id: pageId, page_scoped_user_id: psid },
      },
    ])
  })

  it('retries after the Conversions API answers 500, and sends the event once it takes it', async () => {
    await useConversions(whatsappChannelId, { datasetId })
    const conversationId = await whatsappChat('5511988887777', ctwaAd)
    sim.injectFault({ endpoint: 'conversions', type: '500', count: 1 })

    await record(conversationId, { kind: 'purchase', value: 59.9, currency: 'BRL' })
    await processQueue(ctx, database.pool, { runScheduled: true })

    const calls = sim.requests.filter((request) => request.endpoint === 'conversions')
    expect(calls.slice(-2).map((call) => call.status)).toEqual([500, 200])
    expect(sim.conversionEvents).toHaveLength(1)
    expect(sim.conversionEvents[0]?.event.custom_data).toEqual({ currency: 'BRL', value: 59.9 })
    const outcome = await ctx.db
      .selectFrom('conversationOutcomes')
      .select(['conversionStatus', 'conversionAttempts', 'conversionError'])
      .executeTakeFirstOrThrow()
    expect(outcome).toEqual({ conversionStatus: 'sent', conversionAttempts: 2, conversionError: null })
  })

  it('marks the event failed, with Meta’s words, when Meta refuses the token, and does not retry', async () => {
    await useConversions(whatsappChannelId, { datasetId, accessToken: 'not-a-token-meta-knows' })
    const conversationId = await whatsappChat('5511988887777', ctwaAd)

    await record(conversationId, { kind: 'lead' })
    await processQueue(ctx, database.pool, { runScheduled: true })

    const outcome = await ctx.db
      .selectFrom('conversationOutcomes')
      .select(['conversionStatus', 'conversionAttempts', 'conversionError'])
      .executeTakeFirstOrThrow()
    expect(outcome.conversionStatus).toBe('failed')
    expect(outcome.conversionAttempts).toBe(1)
    expect(outcome.conversionError).toContain('Meta refused the event (HTTP 401)')
    expect(outcome.conversionError).toContain('Invalid OAuth access token')
    expect(sim.conversionEvents).toEqual([])
  })

  it('skips a WhatsApp chat that came from no ad click, saying why', async () => {
    await useConversions(whatsappChannelId, { datasetId })
    const conversationId = await whatsappChat('5511977776666')

    await record(conversationId, { kind: 'purchase', value: 10, currency: 'USD' })
    await processQueue(ctx, database.pool)

    const attribution = await app.inject({ method: 'GET', url: `/api/conversations/${conversationId}/attribution`, headers: agent.headers })
    expect(attribution.json<ConversationAttribution>().outcomes[0]?.conversion).toEqual({
      status: 'skipped',
      error: 'This chat did not start from a click-to-WhatsApp ad (WhatsApp sent no click id), so Meta has no ad to credit it to.',
      sentAt: null,
    })
    expect(sim.conversionEvents).toEqual([])
  })

  it('records an outcome without sending anything when the channel has no dataset', async () => {
    const conversationId = await whatsappChat('5511988887777', ctwaAd)

    const response = await record(conversationId, { kind: 'lead' })
    await processQueue(ctx, database.pool)

    expect(response.json<ConversationAttribution>()).toMatchObject({
      sendsConversions: false,
      outcomes: [{ kind: 'lead', conversion: { status: 'not_configured' } }],
    })
    expect(sim.conversionEvents).toEqual([])
    expect(await sql`select 1 from graphile_worker.jobs where task_identifier = 'conversion.send'`.execute(ctx.db).then((r) => r.rows)).toEqual([])
  })

  it('answers 409 for a second purchase on the same conversation', async () => {
    const conversationId = await whatsappChat('5511988887777', ctwaAd)
    await record(conversationId, { kind: 'purchase', value: 5, currency: 'EUR' })

    const response = await record(conversationId, { kind: 'purchase', value: 7, currency: 'EUR' })

    expect(response.statusCode).toBe(409)
    expect(response.json()).toEqual({ error: { code: 'conflict', message: 'A purchase is already recorded on this conversation.' } })
  })

  it.each([
    ['a purchase without a currency', { kind: 'purchase', value: 10 }],
    ['a purchase with a lower-case currency', { kind: 'purchase', value: 10, currency: 'eur' }],
    ['a purchase of nothing', { kind: 'purchase', value: 0, currency: 'EUR' }],
    ['a negative purchase', { kind: 'purchase', value: -3, currency: 'EUR' }],
    ['a lead with a value', { kind: 'lead', value: 10, currency: 'EUR' }],
    ['an outcome of another kind', { kind: 'refund' }],
  ])('answers 400 for %s', async (_case, body) => {
    const conversationId = await whatsappChat('5511988887777')

    const response = await record(conversationId, body)

    expect(response.statusCode).toBe(400)
    expect(response.json<{ error: { code: string } }>().error.code).toBe('validation_failed')
    expect(await ctx.db.selectFrom('conversationOutcomes').select('id').execute()).toEqual([])
  })

  it('answers 404 to an agent of another team', async () => {
    const conversationId = await whatsappChat('5511988887777')
    const outsider = await signedInAs(ctx, app, 'agent', [await createTeam(ctx, `Elsewhere ${Date.now()}`)])

    const response = await record(conversationId, { kind: 'lead' }, outsider)

    expect(response.statusCode).toBe(404)
  })
})

describe('PUT /api/channels/:id/conversions', () => {
  it('keeps the token sealed and never returns it', async () => {
    const response = await app.inject({
      method: 'PUT',
      url: `/api/channels/${whatsappChannelId}/conversions`,
      headers: admin.headers,
      payload: { datasetId, accessToken: 'capi-secret-token' },
    })

    expect(response.json()).toEqual({ channelId: whatsappChannelId, datasetId, hasAccessToken: true })
    expect(response.body).not.toContain('capi-secret-token')
    const row = await ctx.db.selectFrom('channelConversions').select('accessTokenCiphertext').executeTakeFirstOrThrow()
    expect(row.accessTokenCiphertext).not.toContain('capi-secret-token')
    expect(ctx.secrets.open<string>(row.accessTokenCiphertext!)).toBe('capi-secret-token')
  })

  it('answers 400 for a dataset id that is not digits, and 403 to an agent', async () => {
    const bad = await app.inject({
      method: 'PUT',
      url: `/api/channels/${whatsappChannelId}/conversions`,
      headers: admin.headers,
      payload: { datasetId: '12ab' },
    })
    const byAgent = await app.inject({ method: 'PUT', url: `/api/channels/${whatsappChannelId}/conversions`, headers: agent.headers, payload: { datasetId } })

    expect(bad.statusCode).toBe(400)
    expect(byAgent.statusCode).toBe(403)
  })
})
