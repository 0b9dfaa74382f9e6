import type { AutomationRule, ConversationPage, ConversationSummary, Notification, SlaTarget } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { routeMessages } from '../../../server/src/routing/route.job.js'
import { loadRuleSubject, noEffects, readClaims, runRules, writeClaims } from '../../../server/src/rules/run-rules.js'
import { loadFollowUpEnv } from '../../../server/src/timers/follow-up.js'
import { slaTimerHandler } from '../../../server/src/timers/sla-timer.job.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, createUser, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { customerWrites, newConversation, pendingTimers, runDueTimers } from '../../support/routing.js'
import { recordingRealtime } from '../../support/realtime.js'

/** Stands in for socket.io (no console is connected): records what is published. */
let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let lead: SignedIn
let teamId: string
let channelId: string
const clock = createTestClock(new Date('2026-04-06T09:00:00Z'))
const realtime = recordingRealtime()

function at(iso: string): void {
  clock.set(new Date(iso))
}

async function signIn(): Promise<void> {
  // Sessions expire when idle: moving the clock by hours or days needs a fresh one.
  lead = await signedInAs(ctx, app, 'lead', [teamId])
}

async function createRule(rule: Partial<AutomationRule> & Pick<AutomationRule, 'name' | 'trigger' | 'actions'>): Promise<AutomationRule> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/rules',
    headers: lead.headers,
    payload: { teamId, enabled: true, afterMinutes: null, conditions: {}, ...rule },
  })
  expect(response.statusCode, response.body).toBe(200)
  // A timed rule reschedules open conversations' timers.
  await runDueTimers(ctx)
  return response.json<AutomationRule>()
}

async function conversation(id: string) {
  return ctx.db.selectFrom('conversations').select(['status', 'priority', 'tags', 'language', 'assigneeId']).where('id', '=', id).executeTakeFirstOrThrow()
}

async function activity(id: string, kind: 'event' | 'note'): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('messages')
    .select('text')
    .where('conversationId', '=', id)
    .where('kind', '=', kind)
    .orderBy('sentAt')
    .orderBy('createdAt')
    .execute()
  return rows.map((r) => r.text)
}

async function reply(id: string, text = 'Here is what happened'): Promise<void> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/conversations/${id}/replies`,
    headers: lead.headers,
    payload: { text, clientKey: crypto.randomUUID() },
  })
  expect(response.statusCode, response.body).toBe(200)
}

/** What rules told the user about the conversation (not what people did, such as assigning it). */
function notificationsAbout(conversationId: string, userId: string): Notification[] {
  return realtime.published
    .filter((p) => p.event === 'notification.created' && p.rooms.includes(`user:${userId}`))
    .map((p) => p.payload as Notification)
    .filter((n) => n.conversationId === conversationId && n.by === null)
}

/** The conversation's customer, with their identity on the channel as ingest records it (what makes them visible to the team). */
async function contactOf(conversationId: string): Promise<string> {
  const row = await ctx.db.selectFrom('conversations').select(['contactId', 'channelId']).where('id', '=', conversationId).executeTakeFirstOrThrow()
  await ctx.db
    .insertInto('contactIdentities')
    .values({ contactId: row.contactId, channelId: row.channelId, externalId: `user-${row.contactId}` })
    .execute()
  return row.contactId
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock, realtime }
  app = await buildTestApp(ctx)
  teamId = await createTeam(ctx, 'Rules team')
  const channel = await createChannel(ctx, {
    kind: 'telegram',
    name: 'Rules bot',
    externalId: '4242',
    teamId,
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
    secrets: { botToken: '4242:AA', webhookSecret: 'w' },
  })
  channelId = channel.id
  await signIn()
})
afterAll(async () => {
  await app.close()
  await database.drop()
})
beforeEach(async () => {
  // Each test states the rules and policies it needs.
  await sql`delete from automation_rules`.execute(ctx.db)
  await sql`delete from sla_policies`.execute(ctx.db)
  await sql`delete from graphile_worker._private_jobs`.execute(ctx.db)
  realtime.published.length = 0
})

describe('language detection', () => {
  const samples = {
    en: 'Hello, my parcel never arrived and I would like a refund please',
    es: 'Hola, mi pedido no ha llegado todavía y quiero un reembolso',
    cs: 'Dobrý den, objednávka nedorazila, chci reklamaci',
    ja: 'こんにちは、注文した商品がまだ届いていません',
    zh: '你好，我的包裹还没有到，我要退款',
    ru: 'Добрый день, посылка не пришла, что мне делать?',
  }

  it('stores the language of each customer message and of its conversation, and filters the list by it', async () => {
    at('2026-04-06T09:00:00Z')
    await signIn()
    const ids: Record<string, string> = {}
    const messageIds: Record<string, string> = {}
    for (const [language, text] of Object.entries(samples)) {
      ids[language] = await newConversation(ctx, channelId)
      messageIds[language] = await customerWrites(ctx, ids[language]!, text)
    }
    const short = await newConversation(ctx, channelId)
    const shortMessage = await customerWrites(ctx, short, 'ok')

    for (const language of Object.keys(samples)) {
      const message = await ctx.db.selectFrom('messages').select('language').where('id', '=', messageIds[language]!).executeTakeFirstOrThrow()
      expect(message.language, samples[language as keyof typeof samples]).toBe(language)
      expect((await conversation(ids[language]!)).language).toBe(language)
      // The customer, whose platform said nothing of their language, is now known by it.
      const customer = await ctx.db
        .selectFrom('conversations as c')
        .innerJoin('contacts as ct', 'ct.id', 'c.contactId')
        .select('ct.language')
        .where('c.id', '=', ids[language]!)
        .executeTakeFirstOrThrow()
      expect(customer.language).toBe(language)
    }
    expect((await ctx.db.selectFrom('messages').select('language').where('id', '=', shortMessage).executeTakeFirstOrThrow()).language).toBeNull()
    expect((await conversation(short)).language).toBeNull()

    const list = await app.inject({ method: 'GET', url: `/api/conversations?view=all&channelId=${channelId}&language=cs`, headers: lead.headers })
    expect(list.statusCode, list.body).toBe(200)
    expect(list.json<ConversationPage>().items.map((c) => c.id)).toEqual([ids.cs])
    expect(list.json<ConversationPage>().items[0]?.language).toBe('cs')
  })

  it('keeps the conversation’s language when a later message is too short to tell', async () => {
    at('2026-04-06T10:00:00Z')
    const id = await newConversation(ctx, channelId)
    await customerWrites(ctx, id, samples.cs)

    const okId = await customerWrites(ctx, id, 'ok')

    expect((await ctx.db.selectFrom('messages').select('language').where('id', '=', okId).executeTakeFirstOrThrow()).language).toBeNull()
    expect((await conversation(id)).language).toBe('cs')
  })
})

describe('message.received rules', () => {
  const refundWords = ['refund', '退款', 'возврат', 'reklamace', '返金', 'reembolso']

  it('makes a refund request urgent and tags it, in any script and case, and leaves other messages alone', async () => {
    at('2026-04-07T09:00:00Z')
    await signIn()
    await createRule({
      name: 'Refunds',
      trigger: 'message.received',
      conditions: { keywords: refundWords },
      actions: [
        { type: 'set_priority', priority: 'urgent' },
        { type: 'add_tag', tag: 'refund' },
      ],
    })
    const chinese = await newConversation(ctx, channelId)
    const unrelated = await newConversation(ctx, channelId)

    await customerWrites(ctx, chinese, '我要退款')
    await customerWrites(ctx, unrelated, 'Where is my parcel? It has been a week.')

    expect(await conversation(chinese)).toMatchObject({ priority: 'urgent', tags: ['refund'] })
    // Both events are written at the same instant: their order is not part of the contract.
    expect((await activity(chinese, 'event')).sort()).toEqual(['Priority set to urgent by the rule “Refunds”', 'Tagged refund by the rule “Refunds”'])
    expect(await conversation(unrelated)).toMatchObject({ priority: 'normal', tags: [] })
    expect(await activity(unrelated, 'event')).toEqual([])

    for (const text of ['ВОЗВРАТ денег, пожалуйста', 'Quiero un REEMBOLSO', '返金をお願いします', 'Reklamace zboží', 'I want a Refund now']) {
      const id = await newConversation(ctx, channelId)
      await customerWrites(ctx, id, text)
      expect(await conversation(id), text).toMatchObject({ priority: 'urgent', tags: ['refund'] })
    }

    // A second refund message in the same conversation changes nothing more.
    await customerWrites(ctx, chinese, '退款！')
    expect(await activity(chinese, 'event')).toHaveLength(2)
    const summary = await app.inject({ method: 'GET', url: `/api/conversations/${chinese}`, headers: lead.headers })
    expect(summary.json<{ conversation: ConversationSummary }>().conversation).toMatchObject({ priority: 'urgent', tags: ['refund'] })
  })

  it('acts once per message when the same messages are handled again, and not at all when another run claimed it meanwhile', async () => {
    at('2026-04-07T09:00:00Z')
    await signIn()
    const rule = await createRule({
      name: 'Notes',
      trigger: 'message.received',
      conditions: { keywords: ['invoice'] },
      actions: [{ type: 'add_note', text: 'Check the invoice' }],
    })
    const first = await newConversation(ctx, channelId)
    const second = await newConversation(ctx, channelId)
    const firstMessage = await customerWrites(ctx, first, 'My invoice is wrong')
    const secondMessage = await customerWrites(ctx, second, 'Another invoice question')
    expect(await activity(first, 'note')).toEqual(['Check the invoice'])

    // The rules consumer's batch again, as after a crash before its cursor moved: the runs are on record.
    const env = await loadFollowUpEnv(ctx.db, ctx.clock.now())
    await ctx.db.transaction().execute((trx) => routeMessages(trx, [firstMessage, secondMessage], env))
    expect(await activity(first, 'note')).toEqual(['Check the invoice'])
    expect(await activity(second, 'note')).toEqual(['Check the invoice'])

    // A run claimed by another transaction between the batch's read and its write: the batch rolls back, note and all.
    const third = await newConversation(ctx, channelId)
    const thirdMessage = await ctx.db
      .insertInto('messages')
      .values({
        conversationId: third,
        channelId,
        externalId: 'in-claimed',
        direction: 'inbound',
        authorKind: 'contact',
        text: 'invoice again',
        status: 'received',
        sentAt: ctx.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const subject = (await loadRuleSubject(ctx.db, third, 'invoice again'))!
    const attempt = ctx.db.transaction().execute(async (trx) => {
      const claims = await readClaims(trx, [rule.id], [third], [`message:${thirdMessage.id}`])
      await ctx.db
        .insertInto('automationRuns')
        .values({ ruleId: rule.id, conversationId: third, occasion: `message:${thirdMessage.id}`, ranAt: ctx.clock.now() })
        .execute()
      await runRules(trx, env.rules, subject, `message:${thirdMessage.id}`, ctx.clock.now(), noEffects(), claims)
      await writeClaims(trx, claims)
    })
    await expect(attempt).rejects.toThrow(/claimed by another transaction/)
    expect(await activity(third, 'note')).toEqual([])
  })

  it('never lowers a priority a person or an earlier rule set', async () => {
    at('2026-04-07T10:00:00Z')
    await createRule({
      name: 'Thanks is low',
      trigger: 'message.received',
      conditions: { keywords: ['thanks'] },
      actions: [{ type: 'set_priority', priority: 'low' }],
    })
    const high = await newConversation(ctx, channelId)
    await customerWrites(ctx, high, 'My order is broken')
    const patched = await app.inject({ method: 'PATCH', url: `/api/conversations/${high}`, headers: lead.headers, payload: { priority: 'high' } })
    expect(patched.statusCode, patched.body).toBe(200)
    const normal = await newConversation(ctx, channelId)

    await customerWrites(ctx, high, 'thanks for looking into it')
    await customerWrites(ctx, normal, 'Thanks, all good')

    expect((await conversation(high)).priority).toBe('high')
    expect((await conversation(normal)).priority).toBe('normal')
    expect([...(await activity(high, 'event')), ...(await activity(normal, 'event'))].filter((t) => t.startsWith('Priority set'))).toEqual([])
  })

  it('raises a VIP customer’s conversation to high, and nobody else’s', async () => {
    at('2026-04-07T11:00:00Z')
    await createRule({ name: 'VIPs first', trigger: 'message.received', conditions: { vip: true }, actions: [{ type: 'set_priority', priority: 'high' }] })
    const vip = await newConversation(ctx, channelId, 'dm', 'Vera')
    const tagged = await app.inject({ method: 'PATCH', url: `/api/contacts/${await contactOf(vip)}`, headers: lead.headers, payload: { tags: ['vip'] } })
    expect(tagged.statusCode, tagged.body).toBe(200)
    const regular = await newConversation(ctx, channelId, 'dm', 'Rob')

    await customerWrites(ctx, vip, 'Hello there, a question about my order')
    await customerWrites(ctx, regular, 'Hello there, a question about my order')

    expect((await conversation(vip)).priority).toBe('high')
    expect((await conversation(regular)).priority).toBe('normal')
  })

  it('sees the language detected from the very message that triggers it', async () => {
    at('2026-04-07T11:30:00Z')
    await createRule({ name: 'Czech queue', trigger: 'message.received', conditions: { languages: ['cs'] }, actions: [{ type: 'add_tag', tag: 'czech' }] })
    const czech = await newConversation(ctx, channelId)
    const english = await newConversation(ctx, channelId)

    await customerWrites(ctx, czech, 'Dobrý den, objednávka nedorazila, chci reklamaci')
    await customerWrites(ctx, english, 'Hello, my parcel never arrived and I would like a refund please')

    expect((await conversation(czech)).tags).toEqual(['czech'])
    expect((await conversation(english)).tags).toEqual([])
  })

  it('raises a customer with many followers, read from their contact attributes', async () => {
    at('2026-04-07T11:45:00Z')
    await createRule({
      name: 'Influencers',
      trigger: 'message.received',
      conditions: { minFollowers: 10_000 },
      actions: [{ type: 'set_priority', priority: 'high' }],
    })
    const famous = await newConversation(ctx, channelId, 'dm', 'Fay')
    const known = await app.inject({
      method: 'PATCH',
      url: `/api/contacts/${await contactOf(famous)}`,
      headers: lead.headers,
      payload: { attributes: { followers: '25000' } },
    })
    expect(known.statusCode, known.body).toBe(200)
    const few = await newConversation(ctx, channelId, 'dm', 'Finn')
    const small = await app.inject({
      method: 'PATCH',
      url: `/api/contacts/${await contactOf(few)}`,
      headers: lead.headers,
      payload: { attributes: { followers: '900' } },
    })
    expect(small.statusCode, small.body).toBe(200)
    const unknown = await newConversation(ctx, channelId, 'dm', 'Uma')

    for (const id of [famous, few, unknown]) await customerWrites(ctx, id, 'Your product broke after a day')

    expect([(await conversation(famous)).priority, (await conversation(few)).priority, (await conversation(unknown)).priority]).toEqual([
      'high',
      'normal',
      'normal',
    ])
  })

  it('leaves alone the conversations of a team the rule is not for', async () => {
    at('2026-04-07T11:50:00Z')
    const otherTeam = await createTeam(ctx, 'Other rules team')
    const otherLead = await signedInAs(ctx, app, 'lead', [otherTeam])
    const response = await app.inject({
      method: 'POST',
      url: '/api/rules',
      headers: otherLead.headers,
      payload: {
        teamId: otherTeam,
        name: 'Their refunds',
        enabled: true,
        trigger: 'message.received',
        afterMinutes: null,
        conditions: { keywords: refundWords },
        actions: [{ type: 'set_priority', priority: 'urgent' }],
      },
    })
    expect(response.statusCode, response.body).toBe(200)
    const id = await newConversation(ctx, channelId)

    await customerWrites(ctx, id, 'I want a refund')

    expect((await conversation(id)).priority).toBe('normal')
  })

  it('gives a conversation made urgent by a rule the urgent deadline at once', async () => {
    at('2026-04-07T11:55:00Z')
    const policy = await app.inject({
      method: 'POST',
      url: '/api/sla-policies',
      headers: lead.headers,
      payload: {
        name: 'By priority',
        enabled: true,
        conditions: {},
        targets: { normal: { first_response: { minutes: 240, businessHours: false } }, urgent: { first_response: { minutes: 15, businessHours: false } } },
      },
    })
    expect(policy.statusCode, policy.body).toBe(200)
    await runDueTimers(ctx)
    await createRule({
      name: 'Refunds',
      trigger: 'message.received',
      conditions: { keywords: refundWords },
      actions: [{ type: 'set_priority', priority: 'urgent' }],
    })
    const id = await newConversation(ctx, channelId)

    await customerWrites(ctx, id, '我要退款')

    const targets = await app.inject({ method: 'GET', url: `/api/conversations/${id}/sla`, headers: lead.headers })
    expect(targets.json<{ items: SlaTarget[] }>().items).toMatchObject([
      { kind: 'first_response', status: 'active', targetMinutes: 15, dueAt: '2026-04-07T12:10:00.000Z' },
    ])
  })

  it('applies a public-only rule to public comments and not to private messages', async () => {
    at('2026-04-07T12:00:00Z')
    await createRule({
      name: 'Public complaints',
      trigger: 'message.received',
      conditions: { conversationKinds: ['public'] },
      actions: [
        { type: 'add_tag', tag: 'public' },
        { type: 'set_priority', priority: 'high' },
      ],
    })
    const comment = await newConversation(ctx, channelId, 'public')
    const dm = await newConversation(ctx, channelId, 'dm')

    await customerWrites(ctx, comment, 'Your service is terrible')
    await customerWrites(ctx, dm, 'Your service is terrible')

    expect(await conversation(comment)).toMatchObject({ priority: 'high', tags: ['public'] })
    expect(await conversation(dm)).toMatchObject({ priority: 'normal', tags: [] })
  })
})

describe('customer.silent rules', () => {
  const closeNote = 'Closed after 48 hours without an answer from the customer'

  it('resolves 48 hours after our reply, with its note, and not a minute earlier', async () => {
    at('2026-04-13T09:00:00Z')
    await signIn()
    await createRule({
      name: 'Close silent',
      trigger: 'customer.silent',
      afterMinutes: 48 * 60,
      actions: [{ type: 'resolve' }, { type: 'add_note', text: closeNote }],
    })
    const id = await newConversation(ctx, channelId)
    await customerWrites(ctx, id, 'Is my order shipped?')
    at('2026-04-13T09:05:00Z')
    await reply(id, 'Yes, it left yesterday')
    expect((await pendingTimers(ctx, 'rules.timer')).map((t) => t.runAt.toISOString())).toEqual(['2026-04-15T09:05:00.000Z'])

    at('2026-04-15T08:05:00Z')
    await runDueTimers(ctx)
    expect((await conversation(id)).status).toBe('open')

    at('2026-04-15T09:05:00Z')
    expect(await runDueTimers(ctx)).toContain('rules.timer')
    expect((await conversation(id)).status).toBe('resolved')
    expect(await activity(id, 'note')).toEqual([closeNote])
    expect(await activity(id, 'event')).toContain('Resolved by the rule “Close silent”')
  })

  it('starts the wait again when the customer answers before 48 hours', async () => {
    at('2026-04-20T09:00:00Z')
    await signIn()
    await createRule({
      name: 'Close silent',
      trigger: 'customer.silent',
      afterMinutes: 48 * 60,
      actions: [{ type: 'resolve' }, { type: 'add_note', text: closeNote }],
    })
    const id = await newConversation(ctx, channelId)
    await customerWrites(ctx, id, 'Is my order shipped?')
    at('2026-04-20T09:05:00Z')
    await reply(id, 'Could you send the order number?')

    at('2026-04-21T09:00:00Z')
    await customerWrites(ctx, id, 'It is 12345')
    at('2026-04-22T09:05:00Z')
    await runDueTimers(ctx)
    expect((await conversation(id)).status).toBe('open')
    expect(await activity(id, 'note')).toEqual([])

    at('2026-04-22T10:00:00Z')
    await signIn()
    await reply(id, 'Found it, it arrives tomorrow')
    at('2026-04-24T09:59:00Z')
    await runDueTimers(ctx)
    expect((await conversation(id)).status).toBe('open')
    at('2026-04-24T10:00:00Z')
    await runDueTimers(ctx)
    expect((await conversation(id)).status).toBe('resolved')
    expect(await activity(id, 'note')).toEqual([closeNote])
  })
})

describe('customer.waiting rules', () => {
  it('raises the priority and tells the leads once the customer has waited 30 minutes, once per wait', async () => {
    at('2026-05-04T09:00:00Z')
    await signIn()
    await createRule({
      name: 'Waiting too long',
      trigger: 'customer.waiting',
      afterMinutes: 30,
      actions: [
        { type: 'set_priority', priority: 'high' },
        { type: 'notify', who: 'leads' },
      ],
    })
    const agent = await createUser(ctx, { role: 'agent', teamIds: [teamId] })
    const id = await newConversation(ctx, channelId)
    await customerWrites(ctx, id, 'Hello? My order is missing')

    at('2026-05-04T09:29:00Z')
    await runDueTimers(ctx)
    expect((await conversation(id)).priority).toBe('normal')
    expect(notificationsAbout(id, lead.userId)).toEqual([])

    at('2026-05-04T09:30:00Z')
    await runDueTimers(ctx)
    expect((await conversation(id)).priority).toBe('high')
    expect(notificationsAbout(id, lead.userId)).toEqual([
      { kind: 'rule', conversationId: id, by: null, preview: 'Waiting too long: Hello? My order is missing' },
    ])
    expect(notificationsAbout(id, agent.id)).toEqual([])

    // The same wait goes on: a second message does not start it again.
    at('2026-05-04T09:40:00Z')
    await customerWrites(ctx, id, 'Anyone?')
    at('2026-05-04T11:00:00Z')
    await runDueTimers(ctx)
    expect(notificationsAbout(id, lead.userId)).toHaveLength(1)

    // A reply ends the wait; the customer's next message starts a new one.
    at('2026-05-04T11:05:00Z')
    await reply(id)
    at('2026-05-04T11:10:00Z')
    await customerWrites(ctx, id, 'That did not help')
    at('2026-05-04T11:40:00Z')
    await runDueTimers(ctx)
    expect(notificationsAbout(id, lead.userId)).toHaveLength(2)
  })
})

describe('sla.warning rules', () => {
  it('tells the leads 15 minutes before a first-response deadline, once', async () => {
    at('2026-05-05T09:00:00Z')
    await signIn()
    const policy = await app.inject({
      method: 'POST',
      url: '/api/sla-policies',
      headers: lead.headers,
      payload: { name: 'One hour', enabled: true, conditions: {}, targets: { normal: { first_response: { minutes: 60, businessHours: false } } } },
    })
    expect(policy.statusCode, policy.body).toBe(200)
    await runDueTimers(ctx)
    await createRule({ name: 'Deadline near', trigger: 'sla.warning', actions: [{ type: 'notify', who: 'leads' }] })
    const id = await newConversation(ctx, channelId)
    await customerWrites(ctx, id, 'Please call me back')

    at('2026-05-05T09:44:00Z')
    await runDueTimers(ctx)
    expect(notificationsAbout(id, lead.userId)).toEqual([])

    at('2026-05-05T09:45:00Z')
    expect(await runDueTimers(ctx)).toContain('sla.timer')
    expect(notificationsAbout(id, lead.userId)).toEqual([{ kind: 'sla', conversationId: id, by: null, preview: 'Deadline near: Please call me back' }])

    at('2026-05-05T09:50:00Z')
    await runDueTimers(ctx)
    const targets = await app.inject({ method: 'GET', url: `/api/conversations/${id}/sla`, headers: lead.headers })
    const [target] = targets.json<{ items: SlaTarget[] }>().items
    await slaTimerHandler.run(ctx, { targetId: target!.id, moment: 'warning' }, { attempts: 2, maxAttempts: 10 })
    expect(notificationsAbout(id, lead.userId)).toHaveLength(1)
  })
})

describe('snooze.ended rules', () => {
  it('tells the assignee when the snooze ends and the conversation reopens', async () => {
    at('2026-05-06T09:00:00Z')
    await signIn()
    await createRule({ name: 'Back from snooze', trigger: 'snooze.ended', actions: [{ type: 'notify', who: 'assignee' }] })
    const agent = await createUser(ctx, { role: 'agent', teamIds: [teamId] })
    const id = await newConversation(ctx, channelId)
    await customerWrites(ctx, id, 'Remind me on Friday')
    const assigned = await app.inject({ method: 'POST', url: `/api/conversations/${id}/assign`, headers: lead.headers, payload: { assigneeId: agent.id } })
    expect(assigned.statusCode, assigned.body).toBe(200)
    const snoozed = await app.inject({
      method: 'POST',
      url: `/api/conversations/${id}/status`,
      headers: lead.headers,
      payload: { status: 'snoozed', snoozedUntil: '2026-05-06T11:00:00.000Z' },
    })
    expect(snoozed.statusCode, snoozed.body).toBe(200)

    at('2026-05-06T10:59:00Z')
    await runDueTimers(ctx)
    expect((await conversation(id)).status).toBe('snoozed')
    expect(notificationsAbout(id, agent.id)).toEqual([])

    at('2026-05-06T11:00:00Z')
    expect(await runDueTimers(ctx)).toContain('conversation.wake')
    expect((await conversation(id)).status).toBe('open')
    expect(await activity(id, 'event')).toContain('The snooze ended: the conversation is open again')
    expect(notificationsAbout(id, agent.id)).toEqual([{ kind: 'rule', conversationId: id, by: null, preview: 'Back from snooze: Remind me on Friday' }])
    expect(notificationsAbout(id, lead.userId)).toEqual([])
  })
})

describe('out-of-hours acknowledgement', () => {
  const text = 'Thanks for writing! We are closed now and will answer on Monday.'

  async function automated(id: string) {
    return ctx.db
      .selectFrom('messages')
      .select(['id', 'text', 'status', 'direction', 'kind', 'automated'])
      .where('conversationId', '=', id)
      .where('automated', '=', true)
      .execute()
  }

  it('acknowledges once per cycle while the team is closed, never as a response, and not during open hours', async () => {
    at('2026-05-08T12:00:00Z') // Friday
    await signIn()
    const hours = await app.inject({
      method: 'PATCH',
      url: `/api/routing/teams/${teamId}`,
      headers: lead.headers,
      payload: { timeZone: 'UTC', businessHours: { shifts: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' })), holidays: [] } },
    })
    expect(hours.statusCode, hours.body).toBe(200)
    const set = await app.inject({ method: 'PUT', url: `/api/routing/auto-replies/${channelId}`, headers: lead.headers, payload: { outOfHoursReply: text } })
    expect(set.statusCode, set.body).toBe(200)
    expect(set.json()).toMatchObject({ channelId, outOfHoursReply: text })
    const policy = await app.inject({
      method: 'POST',
      url: '/api/sla-policies',
      headers: lead.headers,
      payload: { name: 'Two hours', enabled: true, conditions: {}, targets: { normal: { first_response: { minutes: 120, businessHours: false } } } },
    })
    expect(policy.statusCode, policy.body).toBe(200)
    await runDueTimers(ctx)

    at('2026-05-09T10:00:00Z') // Saturday
    const weekend = await newConversation(ctx, channelId)
    await customerWrites(ctx, weekend, 'Hello, is anyone there?')

    const [ack, ...more] = await automated(weekend)
    expect(more).toEqual([])
    expect(ack).toMatchObject({ text, status: 'queued', direction: 'outbound', kind: 'message', automated: true })
    const { rows: jobs } = await sql<{ payload: { messageId: string } }>`
      select j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'reply.send'`.execute(ctx.db)
    expect(jobs.map((j) => j.payload.messageId)).toContain(ack!.id)

    at('2026-05-09T10:10:00Z')
    await customerWrites(ctx, weekend, 'Hello??')
    expect(await automated(weekend)).toHaveLength(1)

    await signIn()
    const targets = await app.inject({ method: 'GET', url: `/api/conversations/${weekend}/sla`, headers: lead.headers })
    expect(targets.json<{ items: SlaTarget[] }>().items).toMatchObject([{ kind: 'first_response', status: 'active', dueAt: '2026-05-09T12:00:00.000Z' }])

    at('2026-05-11T10:00:00Z') // Monday, open
    await signIn()
    const weekday = await newConversation(ctx, channelId)
    await customerWrites(ctx, weekday, 'Hello, is anyone there?')
    expect(await automated(weekday)).toEqual([])

    // Resolved, then the customer writes again on a closed evening: a new cycle, a new acknowledgement.
    const resolved = await app.inject({ method: 'POST', url: `/api/conversations/${weekend}/status`, headers: lead.headers, payload: { status: 'resolved' } })
    expect(resolved.statusCode, resolved.body).toBe(200)
    at('2026-05-11T19:00:00Z')
    await customerWrites(ctx, weekend, 'One more question')
    expect(await automated(weekend)).toHaveLength(2)
  })

  it('sends nothing while the channel has no acknowledgement set', async () => {
    at('2026-05-16T10:00:00Z') // Saturday
    await signIn()
    const cleared = await app.inject({
      method: 'PUT',
      url: `/api/routing/auto-replies/${channelId}`,
      headers: lead.headers,
      payload: { outOfHoursReply: null },
    })
    expect(cleared.statusCode, cleared.body).toBe(200)
    const id = await newConversation(ctx, channelId)

    await customerWrites(ctx, id, 'Hello, is anyone there?')

    expect(await automated(id)).toEqual([])
  })
})
