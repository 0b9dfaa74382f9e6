import type { ChangesOverview } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import { drainChanges } from '../../../server/src/changes/change-runner.js'
import type { ChangeConsumer } from '../../../server/src/changes/consumer.js'
import { consoleConsumer } from '../../../server/src/consumers/console.consumer.js'
import { rollupsConsumer } from '../../../server/src/consumers/rollups.consumer.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { newConversation } from '../../support/routing.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let admin: SignedIn
let agent: SignedIn
let conversationId: string

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  admin = await signedInAs(ctx, app, 'admin')
  agent = await signedInAs(ctx, app, 'agent')
  const channel = await createChannel(ctx, {
    kind: 'telegram',
    name: 'Replay bot',
    externalId: crypto.randomUUID(),
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
    secrets: { botToken: '777:AA', webhookSecret: 'w' },
  })
  conversationId = await newConversation(ctx, channel.id)
  // Each consumer's cursor starts at the changes recorded from now on.
  await drainChanges(ctx, [rollupsConsumer, consoleConsumer])
})
afterEach(() => {
  vi.restoreAllMocks()
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

/** Records a change and lets the consumer fail on it until it gives up and parks it; returns its seq. */
async function parkChange(consumer: ChangeConsumer, error = 'report row locked'): Promise<number> {
  const { seq } = await ctx.db
    .insertInto('changes')
    .values({ type: 'conversation.updated', conversationId, data: JSON.stringify({ fields: ['priority'] }) })
    .returning('seq')
    .executeTakeFirstOrThrow()
  const failing = vi.spyOn(consumer, 'handle').mockRejectedValue(new Error(error))
  await drainChanges(ctx, [consumer])
  failing.mockRestore()
  return seq
}

async function overview(): Promise<ChangesOverview> {
  const response = await app.inject({ method: 'GET', url: '/api/system/changes', headers: admin.headers })
  expect(response.statusCode).toBe(200)
  return response.json<ChangesOverview>()
}

function replay(who: SignedIn, consumer: string, seq: number) {
  return app.inject({ method: 'POST', url: '/api/system/changes/dead-letters/replay', headers: who.headers, payload: { consumer, seq } })
}

async function failureOf(consumer: string, seq: number) {
  return ctx.db
    .selectFrom('changeFailures')
    .select(['attempts', 'error', 'parkedAt', 'replayedAt'])
    .where('consumer', '=', consumer)
    .where('seq', '=', seq)
    .executeTakeFirstOrThrow()
}

describe('GET /api/system/changes', () => {
  it('lists each consumer with how far behind it is, and a change it gave up on as a dead letter', async () => {
    const seq = await parkChange(rollupsConsumer)

    const body = await overview()

    expect(body.head).toBeGreaterThanOrEqual(seq)
    expect(body.consumers.find((c) => c.name === 'rollups')).toMatchObject({ seq, behind: 0, deadLetters: 1, updatedAt: expect.any(String) })
    expect(body.deadLetters).toContainEqual({
      consumer: 'rollups',
      seq,
      type: 'conversation.updated',
      conversationId,
      occurredAt: expect.any(String),
      attempts: 5,
      error: 'report row locked',
      parkedAt: expect.any(String),
    })
  })

  it('is refused to an agent', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/system/changes', headers: agent.headers })

    expect(response.statusCode).toBe(403)
  })
})

describe('POST /api/system/changes/dead-letters/replay', () => {
  it('hands the change to its consumer again, ends the dead letter and audits it when the consumer succeeds', async () => {
    const seq = await parkChange(rollupsConsumer)
    const handle = vi.spyOn(rollupsConsumer, 'handle')

    const response = await replay(admin, 'rollups', seq)

    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ replayed: true })
    expect(handle).toHaveBeenCalledWith(ctx, expect.anything(), [expect.objectContaining({ seq, conversationId })])
    expect((await failureOf('rollups', seq)).replayedAt).toBeInstanceOf(Date)
    expect((await overview()).deadLetters.some((d) => d.consumer === 'rollups' && d.seq === seq)).toBe(false)
    const audit = await ctx.db
      .selectFrom('auditLog')
      .select(['actorUserId', 'targetId', 'details'])
      .where('action', '=', 'change.dead_letter_replayed')
      .where('targetId', '=', String(seq))
      .executeTakeFirstOrThrow()
    expect(audit).toMatchObject({ actorUserId: admin.userId, details: { consumer: 'rollups', seq, type: 'conversation.updated' } })
  })

  it('answers 409 with the new reason and keeps the dead letter listed when the consumer fails again', async () => {
    const seq = await parkChange(rollupsConsumer)
    vi.spyOn(rollupsConsumer, 'handle').mockRejectedValue(new Error('still locked'))

    const response = await replay(admin, 'rollups', seq)

    expect(response.statusCode).toBe(409)
    expect(response.json()).toEqual({ error: { code: 'conflict', message: 'Replay failed again: still locked' } })
    expect(await failureOf('rollups', seq)).toMatchObject({ attempts: 6, error: 'still locked', parkedAt: expect.any(Date), replayedAt: null })
    expect((await overview()).deadLetters).toContainEqual(expect.objectContaining({ consumer: 'rollups', seq, attempts: 6, error: 'still locked' }))
  })

  it('replays a dead letter of a publishing consumer outside a transaction', async () => {
    const seq = await parkChange(consoleConsumer, 'socket adapter down')
    const handle = vi.spyOn(consoleConsumer, 'handle')

    const response = await replay(admin, 'console', seq)

    expect(response.statusCode).toBe(200)
    expect(handle).toHaveBeenCalledWith(ctx, ctx.db, [expect.objectContaining({ seq })])
    expect((await failureOf('console', seq)).replayedAt).toBeInstanceOf(Date)
  })

  it('answers 404 for a consumer or a dead letter that does not exist, or one already replayed', async () => {
    const seq = await parkChange(rollupsConsumer)
    await replay(admin, 'rollups', seq)

    const unknownConsumer = await replay(admin, 'no-such-consumer', seq)
    const notParked = await replay(admin, 'sla', seq)
    const again = await replay(admin, 'rollups', seq)

    expect(unknownConsumer.statusCode).toBe(404)
    expect(notParked.statusCode).toBe(404)
    expect(again.statusCode).toBe(404)
  })

  it('is refused to an agent, and the dead letter stays', async () => {
    const seq = await parkChange(rollupsConsumer)

    const response = await replay(agent, 'rollups', seq)

    expect(response.statusCode).toBe(403)
    expect((await failureOf('rollups', seq)).replayedAt).toBeNull()
  })
})

describe('POST /api/system/changes/dead-letters/replay-all', () => {
  it("replays a consumer's dead letters, counting the ones that fail again, which stay listed", async () => {
    const before = (await overview()).deadLetters.filter((d) => d.consumer === 'rollups').length
    const works = await parkChange(rollupsConsumer)
    const fails = await parkChange(rollupsConsumer)
    vi.spyOn(rollupsConsumer, 'handle').mockImplementation(async (_ctx, _db, changes) => {
      if (changes.some((c) => c.seq === fails)) throw new Error('bad data')
    })

    const response = await app.inject({
      method: 'POST',
      url: '/api/system/changes/dead-letters/replay-all',
      headers: admin.headers,
      payload: { consumer: 'rollups' },
    })

    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ replayed: before + 1, failed: 1 })
    const left = (await overview()).deadLetters.filter((d) => d.consumer === 'rollups')
    expect(left.map((d) => d.seq)).toEqual([fails])
    expect(left[0]).toMatchObject({ error: 'bad data' })
    expect((await failureOf('rollups', works)).replayedAt).toBeInstanceOf(Date)
  })

  it('answers 404 for a consumer that does not exist', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/system/changes/dead-letters/replay-all',
      headers: admin.headers,
      payload: { consumer: 'no-such-consumer' },
    })

    expect(response.statusCode).toBe(404)
  })
})
