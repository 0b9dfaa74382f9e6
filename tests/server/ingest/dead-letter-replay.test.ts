import type { Channel, DeadLetter } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let admin: SignedIn
let channelId: string

/** A payload stored earlier that ended as a dead letter (as after a parsing bug since fixed, or one never readable). */
async function deadLetter(dedupeKey: string, payload: unknown): Promise<string> {
  const row = await ctx.db
    .insertInto('inboundEvents')
    .values({ channelId, dedupeKey, source: 'poll', payload: JSON.stringify(payload), status: 'dead', attempts: 5, error: 'Failed 5 times: boom' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** POST …/replay with the worker running alongside, as in a running Carebox: the answer waits for its ingest job. */
async function replay(letterId: string) {
  const answer = app.inject({ method: 'POST', url: `/api/channels/${channelId}/dead-letters/${letterId}/replay`, headers: admin.headers })
  await vi.waitFor(async () => {
    const row = await ctx.db.selectFrom('inboundEvents').select('status').where('id', '=', letterId).executeTakeFirstOrThrow()
    expect(row.status).not.toBe('dead')
  })
  await processQueue(ctx, database.pool)
  return answer
}

async function listed(): Promise<{ letters: DeadLetter[]; count: number }> {
  const letters = (await app.inject({ method: 'GET', url: `/api/channels/${channelId}/dead-letters`, headers: admin.headers })).json() as DeadLetter[]
  const channels = (await app.inject({ method: 'GET', url: '/api/channels', headers: admin.headers })).json() as Channel[]
  return { letters, count: channels.find((c) => c.id === channelId)!.deadLetterCount }
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  admin = await signedInAs(ctx, app, 'admin')
  const channel = await createChannel(ctx, {
    kind: 'telegram',
    name: 'Acme bot',
    externalId: '7000000401',
    settings: { mode: 'polling', apiBaseUrl: 'http://127.0.0.1:9/telegram' },
    secrets: { botToken: '7000000401:AAreplay' },
  })
  channelId = channel.id
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('POST /api/channels/:id/dead-letters/:eventId/replay', () => {
  it('says it failed again and why, and the list and the count both still hold it', async () => {
    const letterId = await deadLetter('update:unreadable', { no_update_id: true })

    const response = await replay(letterId)

    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ status: 'failed', error: 'Could not read the payload: Telegram update without a numeric update_id' })
    const { letters, count } = await listed()
    expect(letters.map((l) => [l.id, l.error])).toEqual([[letterId, 'Could not read the payload: Telegram update without a numeric update_id']])
    expect(count).toBe(1)
  })

  it('says it was taken in once it goes through, and the list and the count both drop it', async () => {
    const update = {
      update_id: 900001,
      message: {
        message_id: 77,
        from: { id: 58219901, first_name: 'Lena' },
        chat: { id: 58219901, type: 'private' },
        date: 1767226400,
        text: 'Replayed hello',
      },
    }
    const letterId = await deadLetter('update:900001', update)

    const response = await replay(letterId)

    expect(response.json()).toEqual({ status: 'processed' })
    const messages = await ctx.db.selectFrom('messages').select('text').where('channelId', '=', channelId).execute()
    expect(messages).toEqual([{ text: 'Replayed hello' }])
    const { letters, count } = await listed()
    expect(letters.map((l) => l.id)).not.toContain(letterId)
    expect(count).toBe(letters.length)
  })

  it('answers 404 for a letter that is no dead letter (already replayed)', async () => {
    const [processed] = await ctx.db.selectFrom('inboundEvents').select('id').where('status', '=', 'processed').execute()

    const response = await app.inject({ method: 'POST', url: `/api/channels/${channelId}/dead-letters/${processed!.id}/replay`, headers: admin.headers })

    expect(response.statusCode).toBe(404)
  })
})
