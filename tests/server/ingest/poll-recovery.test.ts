import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { pollHandler } from '../../../server/src/ingest/poll.job.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'

// A polling cursor that no longer matches the platform (its ids moved backwards, or a mark it cannot have made) is
// noticed, said once at warn, and polling starts over from what the platform has: nothing lost, nothing doubled.
let database: TestDatabase
let ctx: AppContext
let sim: Simulator
let logLines: { level: number; msg: string; channelId?: string }[] = []
const ids: Record<string, string> = {}

const telegram = { kind: 'telegram' as const, externalId: '7000000101', secrets: { botToken: '7000000101:AArecover' } }
const mastodon = { kind: 'mastodon' as const, externalId: '109000000000101', secrets: { accessToken: 'mastodon-recover' }, handle: 'acme' }
const bluesky = {
  kind: 'bluesky' as const,
  externalId: 'did:plc:acmerecover',
  secrets: { identifier: 'acme.recover', appPassword: 'app-pass' },
  handle: 'acme.recover',
}

const warn = 40
const info = 30

async function poll(channelId: string): Promise<void> {
  await pollHandler.run(ctx, { channelId }, { attempts: 1, maxAttempts: 3 })
  await processQueue(ctx, database.pool)
}

async function messageTexts(channelId: string): Promise<string[]> {
  const rows = await ctx.db.selectFrom('messages').select('text').where('channelId', '=', channelId).orderBy('sentAt').orderBy('createdAt').execute()
  return rows.map((row) => row.text)
}

function channelRow(channelId: string) {
  return ctx.db
    .selectFrom('channels')
    .select(['pollCursor', 'pollCursorResetAt', 'pollCursorResetReason', 'lastPolledAt'])
    .where('id', '=', channelId)
    .executeTakeFirstOrThrow()
}

async function setCursor(channelId: string, cursor: string): Promise<void> {
  await ctx.db.updateTable('channels').set({ pollCursor: cursor }).where('id', '=', channelId).execute()
}

const logsOf = (channelId: string, level: number) => logLines.filter((line) => line.channelId === channelId && line.level === level)

beforeAll(async () => {
  database = await createTestDatabase()
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as (typeof logLines)[number])
      done()
    },
  })
  // Later than now: the polls each test reschedules are never due for the worker, so only the test's own polls run.
  ctx = { ...createTestContext(database), log: pino({ level: 'debug' }, sink), clock: createTestClock(new Date('2030-01-01T09:00:00Z')) }
  sim = await startSimulator({ receipts: false })
  for (const account of [telegram, mastodon, bluesky]) {
    const channel = await createChannel(ctx, {
      kind: account.kind,
      name: `${account.kind} recovery`,
      externalId: account.externalId,
      settings: { mode: 'polling', apiBaseUrl: sim.apiBaseUrl(account.kind), ...('handle' in account && { handle: account.handle }) },
      secrets: account.secrets,
    })
    ids[account.kind] = channel.id
    sim.addAccount({ kind: account.kind, externalId: account.externalId, secrets: account.secrets, ...('handle' in account && { handle: account.handle }) })
  }
})
beforeEach(() => {
  logLines = []
})
afterAll(async () => {
  await sim.close()
  await database.drop()
})

describe('Telegram polling', () => {
  it('reads updates whose ids moved below the cursor instead of confirming them away, warning once', async () => {
    const channelId = ids.telegram!
    await sim.customerWrites(telegram.externalId, { from: { id: '58210001', name: 'Lena K' }, text: 'first' })
    await poll(channelId)
    await poll(channelId)
    // As if Telegram had moved on to lower ids (it picks a random one after a week without updates).
    await setCursor(channelId, 'idle:999999999999999')
    await sim.customerWrites(telegram.externalId, { from: { id: '58210001', name: 'Lena K' }, text: 'after the reset' })

    await poll(channelId)
    await poll(channelId)
    await poll(channelId)

    expect(await messageTexts(channelId)).toEqual(['first', 'after the reset'])
    const row = await channelRow(channelId)
    expect(row.pollCursor).toMatch(/^(idle:)?\d+$/)
    expect(Number(row.pollCursor!.replace('idle:', ''))).toBeLessThan(999999999999999)
    expect(row.pollCursorResetReason).toMatch(/^Telegram's update ids moved backwards \(the next one expected was 999999999999999, Telegram sent \d+\)/)
    expect(row.pollCursorResetAt).toEqual(ctx.clock.now())
    expect(logsOf(channelId, warn)).toEqual([expect.objectContaining({ msg: expect.stringContaining('poll cursor no longer matched the platform') })])
  })

  it('logs a poll at info only when it took something, and quiet polls at debug', async () => {
    const channelId = ids.telegram!
    await poll(channelId)
    logLines = []

    await poll(channelId)
    await sim.customerWrites(telegram.externalId, { from: { id: '58210001', name: 'Lena K' }, text: 'one more' })
    await poll(channelId)

    expect(logsOf(channelId, info).map((line) => line.msg)).toEqual(['polled new events'])
    expect(logLines.filter((line) => line.channelId === channelId && line.level >= warn)).toEqual([])
    expect(logLines.filter((line) => line.channelId === channelId && line.msg === 'polled').length).toBeGreaterThan(0)
  })
})

describe('Mastodon polling', () => {
  it('re-reads the newest mentions when the stored min_id is ahead of the instance, without doubling any', async () => {
    const channelId = ids.mastodon!
    await sim.customerWrites(mastodon.externalId, { from: { id: '2001', name: 'Tom', handle: 'tom@fosstodon.org' }, text: 'before', kind: 'mention' })
    await poll(channelId)
    await setCursor(channelId, '99999999999999999999')
    await sim.customerWrites(mastodon.externalId, { from: { id: '2001', name: 'Tom', handle: 'tom@fosstodon.org' }, text: 'after', kind: 'mention' })

    await poll(channelId)
    await poll(channelId)

    expect(await messageTexts(channelId)).toEqual([expect.stringContaining('before'), expect.stringContaining('after')])
    const row = await channelRow(channelId)
    expect(row.pollCursorResetReason).toMatch(/is older than the stored cursor \(99999999999999999999\).*re-read its newest 2 mentions$/)
    expect(logsOf(channelId, warn)).toHaveLength(1)
  })
})

describe('Bluesky polling', () => {
  it('starts over when the stored mark lies in the future, and takes each post once', async () => {
    const channelId = ids.bluesky!
    const from = { id: 'did:plc:ines', name: 'Inês', handle: 'ines.bsky.social' }
    await sim.customerWrites(bluesky.externalId, { from, text: 'taken before', kind: 'mention' })
    await poll(channelId)
    await setCursor(channelId, '2099-01-01T00:00:00.000Z')
    await sim.customerWrites(bluesky.externalId, { from, text: 'written after', kind: 'mention' })

    await poll(channelId)
    await poll(channelId)

    expect(await messageTexts(channelId)).toEqual([expect.stringContaining('taken before'), expect.stringContaining('written after')])
    const row = await channelRow(channelId)
    expect(row.pollCursor).not.toBe('2099-01-01T00:00:00.000Z')
    expect(row.pollCursorResetReason).toMatch(/^the stored cursor \(2099-01-01T00:00:00.000Z\) lies in the future/)
    expect(logsOf(channelId, warn)).toHaveLength(1)
  })

  it('starts over from a mark that is no time at all', async () => {
    const channelId = ids.bluesky!
    await setCursor(channelId, 'not-a-time')
    await sim.customerWrites(bluesky.externalId, { from: { id: 'did:plc:ines', name: 'Inês', handle: 'ines.bsky.social' }, text: 'third', kind: 'mention' })

    await poll(channelId)

    expect(await messageTexts(channelId)).toEqual([
      expect.stringContaining('taken before'),
      expect.stringContaining('written after'),
      expect.stringContaining('third'),
    ])
    expect((await channelRow(channelId)).pollCursorResetReason).toMatch(/^the stored cursor "not-a-time" is not a time/)
  })
})
