import type { ChannelHealth } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { pollHandler } from '../../../server/src/ingest/poll.job.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { usualGap } from '../../../server/src/system/channel-health.service.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let admin: SignedIn
let agent: SignedIn
let sim: Simulator
const clock = createTestClock(new Date('2030-01-01T09:00:00Z'))
const minute = 60_000

const bot = { externalId: '7000000301', secrets: { botToken: '7000000301:AAhealth' } }

async function channelOf(kind: 'telegram' | 'x', externalId: string, mode: 'polling' | 'webhook', secrets: Record<string, string>): Promise<string> {
  const channel = await createChannel(ctx, {
    kind,
    name: `${kind} ${externalId}`,
    externalId,
    settings: { mode, apiBaseUrl: sim.apiBaseUrl(kind), ...(kind === 'x' && { handle: 'AcmeCare' }) },
    secrets,
  })
  return channel.id
}

/** Envelopes as they arrived: one every `everyMs`, the last `lastAgoMs` before the test clock's now. */
async function arrivals(channelId: string, source: 'webhook' | 'poll', count: number, everyMs: number, lastAgoMs: number): Promise<void> {
  const last = clock.now().getTime() - lastAgoMs
  await ctx.db
    .insertInto('inboundEvents')
    .values(
      Array.from({ length: count }, (_, index) => ({
        channelId,
        dedupeKey: `${source}:${last}:${index}`,
        source,
        payload: JSON.stringify({}),
        status: 'processed',
        receivedAt: new Date(last - index * everyMs),
      })),
    )
    .execute()
}

async function health(channelId: string): Promise<ChannelHealth> {
  const response = await app.inject({ method: 'GET', url: '/api/system/channel-health', headers: admin.headers })
  expect(response.statusCode).toBe(200)
  const item = (response.json() as { items: ChannelHealth[] }).items.find((h) => h.channelId === channelId)
  expect(item).toBeDefined()
  return item!
}

beforeAll(async () => {
  database = await createTestDatabase()
  // Later than now: the polls each test reschedules are never due for a worker, so only the test's own polls run.
  ctx = { ...createTestContext(database), clock }
  app = await buildTestApp(ctx)
  admin = await signedInAs(ctx, app, 'admin')
  agent = await signedInAs(ctx, app, 'agent')
  sim = await startSimulator({ receipts: false })
  sim.addAccount({ kind: 'telegram', externalId: bot.externalId, secrets: bot.secrets })
})
beforeEach(() => {
  sim.clearFaults()
  clock.set(new Date('2030-01-01T09:00:00Z'))
})
afterAll(async () => {
  await sim.close()
  await app.close()
  await database.drop()
})

describe('GET /api/system/channel-health', () => {
  it('tells a poll that fails from the last one that worked, with the platform’s words, and says when it works again', async () => {
    const channelId = await channelOf('telegram', bot.externalId, 'polling', bot.secrets)
    await pollHandler.run(ctx, { channelId }, { attempts: 1, maxAttempts: 3 })
    const worked = clock.now().toISOString()

    clock.advance(minute)
    sim.injectFault({ kind: 'telegram', endpoint: 'poll', type: '500', count: 1 })
    await pollHandler.run(ctx, { channelId }, { attempts: 1, maxAttempts: 3 })
    const failing = await health(channelId)
    clock.advance(minute)
    await pollHandler.run(ctx, { channelId }, { attempts: 1, maxAttempts: 3 })
    const recovered = await health(channelId)

    expect(failing).toMatchObject({
      mode: 'polling',
      status: 'failing',
      isPollFailing: true,
      lastPollOkAt: worked,
      lastWebhookAt: null,
      lastError: { message: expect.stringMatching(/^Polling failed: Telegram getUpdates failed: /), at: new Date(Date.parse(worked) + minute).toISOString() },
    })
    expect(recovered).toMatchObject({ status: 'ok', isPollFailing: false, lastPollOkAt: clock.now().toISOString() })
    // The error stays to be read, no longer as the channel's state.
    expect(recovered.lastError?.message).toMatch(/^Polling failed:/)
  })

  it('says "nothing received" once the silence is unusual against the channel’s usual gap, while polls keep working', async () => {
    const channelId = await channelOf('telegram', '7000000302', 'polling', { botToken: '7000000302:AAquiet' })
    // Every 30 s for a few hours, then nothing for 20 minutes: ten times the usual gap is 5 minutes.
    await arrivals(channelId, 'poll', 400, 30_000, 20 * minute)
    await ctx.db
      .updateTable('channels')
      .set({ lastPolledAt: new Date(clock.now().getTime() - 1000) })
      .where('id', '=', channelId)
      .execute()

    const quiet = await health(channelId)

    expect(quiet).toMatchObject({
      status: 'quiet',
      quietMinutes: 20,
      usualGapSeconds: 30,
      arrivals: 400,
      lastReceivedAt: new Date(clock.now().getTime() - 20 * minute).toISOString(),
      lastPollOkAt: new Date(clock.now().getTime() - 1000).toISOString(),
    })
  })

  it('does not call a short silence, or a channel with too little traffic to judge, quiet', async () => {
    const busy = await channelOf('telegram', '7000000303', 'polling', { botToken: '7000000303:AAbusy' })
    const thin = await channelOf('telegram', '7000000304', 'polling', { botToken: '7000000304:AAthin' })
    await arrivals(busy, 'poll', 100, 30_000, 4 * minute)
    await arrivals(thin, 'poll', 5, 60 * minute, 10 * 60 * minute)

    expect(await health(busy)).toMatchObject({ status: 'ok', quietMinutes: null, usualGapSeconds: 30 })
    expect(await health(thin)).toMatchObject({ status: 'ok', quietMinutes: null, usualGapSeconds: null, arrivals: 5 })
  })

  it('shows the last webhook received apart from polled arrivals, and no poll for a webhook channel', async () => {
    const channelId = await channelOf('x', '2244994901', 'webhook', { consumerSecret: 'x-secret', accessToken: 'x-token' })
    await arrivals(channelId, 'webhook', 3, minute, 2 * minute)
    await arrivals(channelId, 'poll', 1, minute, 30 * minute)

    expect(await health(channelId)).toMatchObject({
      mode: 'webhook',
      lastPollOkAt: null,
      lastWebhookAt: new Date(clock.now().getTime() - 2 * minute).toISOString(),
      lastReceivedAt: new Date(clock.now().getTime() - 2 * minute).toISOString(),
      cursorReset: null,
    })
  })

  it('answers 403 to an agent', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/system/channel-health', headers: agent.headers })

    expect(response.statusCode).toBe(403)
  })
})

describe('usualGap', () => {
  it('is the median gap between distinct arrival times (envelopes stored together count once), from 20 arrivals on', () => {
    const at = (seconds: number) => new Date(Date.UTC(2030, 0, 1) + seconds * 1000)
    const times = [0, 10, 10, 10, 20, 30, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200, 210, 220, 230, 240].map(at)

    expect(usualGap(times)).toEqual({ usualGapMs: 10_000, arrivals: 20 })
    expect(usualGap(times.slice(1))).toEqual({ usualGapMs: null, arrivals: 19 })
  })
})
