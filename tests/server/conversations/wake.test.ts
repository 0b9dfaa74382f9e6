import type { ConversationSummary } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { wakeHandler } from '../../../server/src/timers/wake.job.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { teamOfChannel } from '../../support/routing.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let agent: SignedIn
const clock = createTestClock(new Date('2026-03-02T09:00:00Z'))

async function conversation(): Promise<string> {
  const channel = await ctx.db.selectFrom('channels').select('id').executeTakeFirstOrThrow()
  const now = clock.now()
  const contact = await ctx.db.insertInto('contacts').values({ name: 'Sam', firstSeenAt: now, lastSeenAt: now }).returning('id').executeTakeFirstOrThrow()
  const row = await ctx.db
    .insertInto('conversations')
    .values({
      channelId: channel.id,
      teamId: teamOfChannel(channel.id),
      threadKey: `dm:${crypto.randomUUID()}`,
      kind: 'dm',
      contactId: contact.id,
      lastMessageAt: now,
      lastInboundAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

async function wakeJobs(conversationId: string) {
  const { rows } = await sql<{ runAt: Date }>`
    select run_at as "runAt" from graphile_worker.jobs where task_identifier = 'conversation.wake' and key = ${`wake:${conversationId}`}`.execute(ctx.db)
  return rows
}

function snooze(id: string, until: string) {
  return app.inject({ method: 'POST', url: `/api/conversations/${id}/status`, headers: agent.headers, payload: { status: 'snoozed', snoozedUntil: until } })
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock }
  app = await buildTestApp(ctx)
  await createChannel(ctx, {
    kind: 'telegram',
    name: 'Bot',
    externalId: '777',
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
    secrets: { botToken: '777:AA', webhookSecret: 'w' },
  })
  agent = await signedInAs(ctx, app, 'agent')
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('snooze', () => {
  it('schedules one wake-up at the time, replaced by a new snooze, which reopens the conversation when it comes', async () => {
    const id = await conversation()

    await snooze(id, '2026-03-02T10:00:00Z')
    const second = await snooze(id, '2026-03-02T12:00:00Z')

    expect(second.json<ConversationSummary>()).toMatchObject({ status: 'snoozed', snoozedUntil: '2026-03-02T12:00:00.000Z' })
    expect((await wakeJobs(id)).map((job) => job.runAt.toISOString())).toEqual(['2026-03-02T12:00:00.000Z'])

    clock.set(new Date('2026-03-02T12:00:01Z'))
    await wakeHandler.run(ctx, { conversationId: id }, { attempts: 1, maxAttempts: 5 })

    const after = await ctx.db.selectFrom('conversations').select(['status', 'snoozedUntil']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(after).toEqual({ status: 'open', snoozedUntil: null })
    const events = await ctx.db
      .selectFrom('messages')
      .select('text')
      .where('conversationId', '=', id)
      .where('kind', '=', 'event')
      .orderBy('createdAt')
      .execute()
    expect(events.at(-1)?.text).toBe('The snooze ended: the conversation is open again')
  })

  it('leaves alone a conversation reopened or resolved before its snooze ended', async () => {
    clock.set(new Date('2026-03-03T09:00:00Z'))
    // A day later: a new session, the last one has been idle too long.
    agent = await signedInAs(ctx, app, 'agent')
    const id = await conversation()
    await snooze(id, '2026-03-03T10:00:00Z')
    await app.inject({ method: 'POST', url: `/api/conversations/${id}/status`, headers: agent.headers, payload: { status: 'resolved' } })

    clock.set(new Date('2026-03-03T10:00:01Z'))
    await wakeHandler.run(ctx, { conversationId: id }, { attempts: 1, maxAttempts: 5 })

    expect((await ctx.db.selectFrom('conversations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('resolved')
  })

  it('refuses a snooze in the past', async () => {
    const id = await conversation()

    const response = await snooze(id, '2020-01-01T00:00:00Z')

    expect(response.statusCode).toBe(400)
    expect(await wakeJobs(id)).toEqual([])
  })
})
