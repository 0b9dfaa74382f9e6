import type { ConversationPage, Message, SentimentChange } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { applyEvents } from '../../../server/src/ingest/ingest.service.js'
import { judgeSurge } from '../../../server/src/reports/surge-check.job.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { recordingRealtime } from '../../support/realtime.js'
import { customerWrites, newConversation } from '../../support/routing.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let agent: SignedIn
let teamId: string
let channelId: string
let otherChannelId: string
const clock = createTestClock(new Date('2026-04-06T09:00:00Z'))

async function telegram(team: string, externalId: string): Promise<string> {
  const channel = await createChannel(ctx, {
    kind: 'telegram',
    name: `Bot ${externalId}`,
    externalId,
    teamId: team,
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
    secrets: { botToken: `${externalId}:AA`, webhookSecret: 'w' },
  })
  return channel.id
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock, realtime: recordingRealtime() }
  app = await buildTestApp(ctx)
  teamId = await createTeam(ctx, 'Sentiment team')
  channelId = await telegram(teamId, '7001')
  otherChannelId = await telegram(await createTeam(ctx, 'Another team'), '7002')
  agent = await signedInAs(ctx, app, 'agent', [teamId])
})
afterAll(async () => {
  await app.close()
  await database.drop()
})
beforeEach(async () => {
  await sql`delete from automation_rules`.execute(ctx.db)
})

function setSentiment(messageId: string, label: string | null) {
  return app.inject({ method: 'POST', url: `/api/messages/${messageId}/sentiment`, headers: agent.headers, payload: { label } })
}

async function thread(conversationId: string): Promise<Message[]> {
  const response = await app.inject({ method: 'GET', url: `/api/conversations/${conversationId}/messages`, headers: agent.headers })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ items: Message[] }>().items
}

async function rollup(metric: string): Promise<number> {
  const { rows } = await sql<{ count: number }>`
    select coalesce(sum(count), 0)::int as count from report_hourly where channel_id = ${channelId}::uuid and metric = ${metric}`.execute(ctx.db)
  return rows[0]!.count
}

describe('POST /api/messages/:id/sentiment', () => {
  it('sets a person’s label, which wins in the thread and the inbox, is audited and reaches consoles as a change', async () => {
    const conversationId = await newConversation(ctx, channelId)
    const messageId = await customerWrites(ctx, conversationId, 'Thanks, the refund arrived!')
    expect((await thread(conversationId)).find((m) => m.id === messageId)?.sentiment).toEqual({ label: 'positive', by: 'model' })
    const since = (await sql<{ seq: number }>`select coalesce(max(seq), 0)::int as seq from changes`.execute(ctx.db)).rows[0]!.seq

    const response = await setSentiment(messageId, 'negative')

    expect(response.statusCode, response.body).toBe(200)
    expect(response.json<SentimentChange>()).toMatchObject({ messageId, conversationId, sentiment: { label: 'negative', by: 'person' } })
    expect((await thread(conversationId)).find((m) => m.id === messageId)?.sentiment).toEqual({ label: 'negative', by: 'person' })
    const list = await app.inject({ method: 'GET', url: '/api/conversations?view=all', headers: agent.headers })
    expect(list.json<ConversationPage>().items.find((c) => c.id === conversationId)?.sentiment).toBe('negative')
    const audit = await ctx.db
      .selectFrom('auditLog')
      .select(['action', 'targetId', 'details', 'actorUserId'])
      .where('action', '=', 'message.sentiment')
      .execute()
    expect(audit).toEqual([
      expect.objectContaining({ targetId: messageId, details: expect.objectContaining({ from: 'positive', to: 'negative', model: 'positive', by: 'person' }) }),
    ])
    expect(audit[0]!.actorUserId).not.toBeNull()
    const changes = await sql<{ type: string; messageId: string | null; conversationId: string }>`
      select type, message_id as "messageId", conversation_id as "conversationId" from changes where seq > ${since} order by seq`.execute(ctx.db)
    expect(changes.rows).toEqual(
      expect.arrayContaining([
        { type: 'message.updated', messageId, conversationId },
        { type: 'conversation.updated', messageId: null, conversationId },
      ]),
    )
    const stored = await ctx.db
      .selectFrom('messages')
      .select(['sentiment', 'sentimentOverride', 'sentimentSetBy', 'sentimentSetAt'])
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow()
    // The model's reading is kept beside the person's.
    expect(stored).toMatchObject({ sentiment: 'positive', sentimentOverride: 'negative', sentimentSetBy: audit[0]!.actorUserId })
    expect(stored.sentimentSetAt).toEqual(clock.now())
  })

  it('gives the model’s label back when a person clears theirs', async () => {
    const conversationId = await newConversation(ctx, channelId)
    const messageId = await customerWrites(ctx, conversationId, 'My parcel arrived broken')
    expect((await setSentiment(messageId, 'neutral')).statusCode).toBe(200)

    const response = await setSentiment(messageId, null)

    expect(response.json<SentimentChange>()).toMatchObject({ sentiment: { label: 'negative', by: 'model' }, setAt: null })
    expect((await thread(conversationId)).find((m) => m.id === messageId)?.sentiment).toEqual({ label: 'negative', by: 'model' })
  })

  it('answers not_found for a message of a team the agent is not in, and refuses anything but a customer’s message', async () => {
    const elsewhere = await customerWrites(ctx, await newConversation(ctx, otherChannelId), 'This is terrible')
    const conversationId = await newConversation(ctx, channelId)
    await customerWrites(ctx, conversationId, 'Hello')
    const reply = await app.inject({
      method: 'POST',
      url: `/api/conversations/${conversationId}/notes`,
      headers: agent.headers,
      payload: { text: 'A note', clientKey: crypto.randomUUID() },
    })
    expect(reply.statusCode, reply.body).toBe(200)
    const noteId = (await thread(conversationId)).find((m) => m.kind === 'note')!.id

    const foreign = await setSentiment(elsewhere, 'positive')
    const note = await setSentiment(noteId, 'positive')

    expect(foreign.statusCode).toBe(404)
    expect(foreign.json()).toMatchObject({ error: { code: 'not_found' } })
    expect(note.statusCode).toBe(400)
    expect((await thread(conversationId)).find((m) => m.id === noteId)?.sentiment).toBeUndefined()
    const stored = await ctx.db.selectFrom('messages').select('sentimentOverride').where('id', '=', elsewhere).executeTakeFirstOrThrow()
    expect(stored.sentimentOverride).toBeNull()
  })
})

describe('the sentiments condition of rules', () => {
  it('makes a complaint word urgent only in a negative message', async () => {
    const lead = await signedInAs(ctx, app, 'lead', [teamId])
    const created = await app.inject({
      method: 'POST',
      url: '/api/rules',
      headers: lead.headers,
      payload: {
        teamId,
        name: 'Complaint words: urgent',
        enabled: true,
        trigger: 'message.received',
        afterMinutes: null,
        conditions: { keywords: ['refund', 'возврат', 'balík'], sentiments: ['negative'] },
        actions: [{ type: 'set_priority', priority: 'urgent' }],
      },
    })
    expect(created.statusCode, created.body).toBe(200)
    const priority = async (id: string) => (await ctx.db.selectFrom('conversations').select('priority').where('id', '=', id).executeTakeFirstOrThrow()).priority
    const praise = await newConversation(ctx, channelId)
    const russian = await newConversation(ctx, channelId)
    const czech = await newConversation(ctx, channelId)
    const complaint = await newConversation(ctx, channelId)

    await customerWrites(ctx, praise, 'The refund arrived, thanks!')
    await customerWrites(ctx, russian, 'Вижу возврат, теперь всё в порядке')
    await customerWrites(ctx, czech, 'Balík dnes ráno konečně dorazil, díky')
    await customerWrites(ctx, complaint, 'Still no refund after three weeks, this is unacceptable')

    expect(await priority(praise)).toBe('normal')
    expect(await priority(russian)).toBe('normal')
    expect(await priority(czech)).toBe('normal')
    expect(await priority(complaint)).toBe('urgent')
  })
})

describe('negative share', () => {
  it('counts effective labels in the rollups, and a relabel recounts the message’s hour', async () => {
    await sql`delete from report_hourly where channel_id = ${channelId}::uuid`.execute(ctx.db)
    await sql`delete from report_conversations`.execute(ctx.db)
    const conversationId = await newConversation(ctx, channelId)
    const angry = await customerWrites(ctx, conversationId, 'The kettle arrived broken, I am really disappointed')
    await customerWrites(ctx, conversationId, 'Order 55102')
    await customerWrites(ctx, conversationId, '🤷')
    expect({ negative: await rollup('negative_messages'), labelled: await rollup('labelled_messages') }).toEqual({ negative: 1, labelled: 2 })

    expect((await setSentiment(angry, 'neutral')).statusCode).toBe(200)

    expect({ negative: await rollup('negative_messages'), labelled: await rollup('labelled_messages') }).toEqual({ negative: 0, labelled: 2 })
  })

  it('is negative ÷ labelled messages, unknown left out; hours counted before labels fall back to all messages', () => {
    const settings = { volumeFactor: 2, minMessages: 10, negativeShareJump: 0.2 }
    const quiet = Array.from({ length: 4 }, () => ({ inbound: 10, negative: 1, labelled: 10 }))

    // 12 messages, 4 of them emoji nobody can read: 4 negative of the 8 labelled is a half.
    const verdict = judgeSurge({ now: { inbound: 12, negative: 4, labelled: 8 }, baseline: quiet }, settings)
    const legacy = judgeSurge({ now: { inbound: 12, negative: 4, labelled: 8 }, baseline: [{ inbound: 10, negative: 1 }] }, settings)

    expect(verdict.negativeShare).toBe(0.5)
    expect(verdict.baselineNegativeShare).toBeCloseTo(0.1)
    expect(verdict.reasons).toContain('negative')
    expect(legacy.baselineNegativeShare).toBeCloseTo(0.1)
  })
})

describe('ingest', () => {
  it('stores the model’s label with each customer message, in a burst and one by one, and none on our echoes', async () => {
    const message = (externalId: string, text: string, direction: 'inbound' | 'echo' = 'inbound') => ({
      type: 'message' as const,
      externalId,
      threadKey: `dm:${externalId}`,
      conversationKind: 'dm' as const,
      direction,
      contact: { externalId: `person-${externalId}` },
      text,
      attachments: [],
      sentAt: clock.now().toISOString(),
    })

    await applyEvents(ctx.db, { id: channelId, kind: 'telegram' }, [
      message('s-1', 'Balík dnes ráno konečně dorazil, díky'),
      message('s-2', 'Приложение не работает, ужасно'),
      message('s-3', '🤷'),
      message('s-4', 'We have refunded you', 'echo'),
    ])

    const rows = await ctx.db.selectFrom('messages').select(['externalId', 'sentiment']).where('externalId', 'like', 's-%').orderBy('externalId').execute()
    expect(rows).toEqual([
      { externalId: 's-1', sentiment: 'positive' },
      { externalId: 's-2', sentiment: 'negative' },
      { externalId: 's-3', sentiment: 'unknown' },
      { externalId: 's-4', sentiment: null },
    ])
  })
})
