import { randomUUID } from 'node:crypto'
import type { Channel, Message } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { startSimulator, type RecordedSend, type Simulator } from '../../../server/src/simulator/index.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext, type createTestClock } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'

// A send whose answer never comes back (the platform did the work, or did not) must never reach the customer twice:
// per platform, Carebox repeats it only where the repeat is harmless, waits for the platform's own report where
// there is one, and otherwise lets the agent decide. The simulator's 'lost' fault sends the message, then drops
// the connection; 'timeout' drops it without sending.

let database: TestDatabase
let ctx: AppContext
let clock: ReturnType<typeof createTestClock>
let app: FastifyInstance
let sim: Simulator
let agent: SignedIn

const appSecret = 'meta-app-secret-unknown'
type Kind = 'whatsapp' | 'telegram' | 'mastodon'
interface Account {
  kind: Kind
  externalId: string
  secrets: Record<string, string>
  handle?: string
  channelId: string
}
const accounts: Record<Kind, Account> = {
  whatsapp: { kind: 'whatsapp', externalId: '130000000000088', secrets: { appSecret, accessToken: 'wa-token' }, channelId: '' },
  telegram: { kind: 'telegram', externalId: '7000000088', secrets: { botToken: '7000000088:AAunknown', webhookSecret: 'tg-unknown' }, channelId: '' },
  mastodon: { kind: 'mastodon', externalId: '109000000000088', secrets: { accessToken: 'mastodon-unknown' }, handle: 'acme', channelId: '' },
}

let people = 0
async function conversationWith(kind: Kind): Promise<string> {
  people += 1
  const account = accounts[kind]
  const personId = kind === 'whatsapp' ? `55119777${String(people).padStart(5, '0')}` : `${6_200_000_000 + people}`
  const report = await sim.customerWrites(account.externalId, {
    from: { id: personId, name: `Customer ${people}`, ...(kind === 'mastodon' && { handle: `c${people}@mastodon.social` }) },
    text: `Where is my order ${people}?`,
    ...(kind === 'mastodon' && { kind: 'mention' as const }),
  })
  if (kind === 'mastodon') {
    const { pollHandler } = await import('../../../server/src/ingest/poll.job.js')
    await pollHandler.run(ctx, { channelId: account.channelId }, { attempts: 1, maxAttempts: 3 })
  }
  await processQueue(ctx, database.pool)
  const row = await ctx.db
    .selectFrom('messages')
    .select('conversationId')
    .where('externalId', '=', report.externalId ?? '')
    .executeTakeFirstOrThrow()
  return row.conversationId
}

async function reply(conversationId: string, text: string): Promise<Message> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/conversations/${conversationId}/replies`,
    headers: agent.headers,
    payload: { text, clientKey: randomUUID() },
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<Message>()
}

function messageRow(id: string) {
  return ctx.db.selectFrom('messages').select(['status', 'externalId', 'error', 'sendStartedAt']).where('id', '=', id).executeTakeFirstOrThrow()
}

function sendsOf(kind: Kind, text: string): RecordedSend[] {
  return sim.sends.filter((send) => send.accountExternalId === accounts[kind].externalId && JSON.stringify(send.body).includes(text))
}

async function jobsOf(messageId: string) {
  const { rows } = await sql<{ task: string }>`
    select t.identifier as task from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
    where j.payload->>'messageId' = ${messageId} order by j.id`.execute(ctx.db)
  return rows.map((r) => r.task)
}

/** Runs the queue until `read` gives what `isDone` wants: statuses and echoes come back by webhook a little later. */
async function settle<T>(read: () => Promise<T>, isDone: (value: T) => boolean, options: { runScheduled?: boolean } = {}): Promise<T> {
  const deadline = Date.now() + 10_000
  for (;;) {
    await processQueue(ctx, database.pool, options)
    const value = await read()
    if (isDone(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  clock = ctx.clock as typeof clock
  clock.set(new Date())
  app = await buildTestApp(ctx)
  const appUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  sim = await startSimulator({ retryScheduleMs: [20, 50], receiptDelayMs: 20, hangMs: 200 })
  for (const account of Object.values(accounts)) {
    const mode = account.kind === 'mastodon' ? 'polling' : 'webhook'
    const channel = await createChannel(ctx, {
      kind: account.kind,
      name: `Acme ${account.kind}`,
      externalId: account.externalId,
      settings: { mode, apiBaseUrl: sim.apiBaseUrl(account.kind), ...(account.handle && { handle: account.handle }) },
      secrets: account.secrets,
    })
    account.channelId = channel.id
    const webhookUrl = account.kind === 'telegram' ? `${appUrl}/webhooks/telegram/${channel.id}` : `${appUrl}/webhooks/meta`
    sim.addAccount({
      kind: account.kind,
      externalId: account.externalId,
      secrets: { ...account.secrets },
      ...(mode === 'webhook' && { webhookUrl }),
      ...(account.handle && { handle: account.handle }),
    })
  }
  agent = await signedInAs(ctx, app, 'agent')
})
beforeEach(async () => {
  sim.clearFaults()
  clock.set(new Date())
  await ctx.db.updateTable('channels').set({ sendFailures: 0, sendPausedUntil: null, sendPauseReason: null }).execute()
})
afterAll(async () => {
  await sim.close()
  await app.close()
  await database.drop()
})

describe('a reply whose send never answered', () => {
  it('WhatsApp: is adopted from the status webhooks carrying its reference, and reaches the customer once', async () => {
    const conversationId = await conversationWith('whatsapp')
    sim.injectFault({ kind: 'whatsapp', endpoint: 'send', type: 'lost', count: 1, delayMs: 50 })
    const text = 'Your refund went out today.'
    const queued = await reply(conversationId, text)

    const row = await settle(
      () => messageRow(queued.id),
      (r) => r.status === 'read',
    )

    const sends = sendsOf('whatsapp', text)
    expect(sends).toHaveLength(1)
    expect(sends[0]!.body).toMatchObject({ biz_opaque_callback_data: `carebox:${queued.id}` })
    expect(row).toMatchObject({ status: 'read', externalId: sends[0]!.platformMessageId, error: null, sendStartedAt: null })
    await processQueue(ctx, database.pool, { runScheduled: true })
    expect(sendsOf('whatsapp', text)).toHaveLength(1)
    expect(await messageRow(queued.id)).toMatchObject({ status: 'read' })
  })

  it('WhatsApp: calls the delivery unknown once the platform had its time and reported nothing, and sends nothing more', async () => {
    const conversationId = await conversationWith('whatsapp')
    sim.injectFault({ kind: 'whatsapp', endpoint: 'send', type: 'timeout', count: 1, delayMs: 50 })
    const text = 'We are on it.'
    const queued = await reply(conversationId, text)

    await processQueue(ctx, database.pool)
    expect(await messageRow(queued.id)).toMatchObject({ status: 'queued', sendStartedAt: expect.any(Date) })
    expect(await jobsOf(queued.id)).toEqual(['reply.settle'])
    const row = await settle(
      () => messageRow(queued.id),
      (r) => r.status === 'unknown',
      { runScheduled: true },
    )

    expect(row).toMatchObject({ status: 'unknown', externalId: null, sendStartedAt: null })
    expect(row.error).toMatch(/^WhatsApp reported no such message within 2 min\. /)
    expect(sendsOf('whatsapp', text)).toHaveLength(1)
    expect(await jobsOf(queued.id)).toEqual([])
  })

  it('Telegram: leaves the decision to the agent at once, and "mark as sent" records it, audited', async () => {
    const conversationId = await conversationWith('telegram')
    sim.injectFault({ kind: 'telegram', endpoint: 'send', type: 'lost', count: 1, delayMs: 50 })
    const text = 'Your parcel is at the depot.'
    const queued = await reply(conversationId, text)

    await processQueue(ctx, database.pool, { runScheduled: true })
    const unknown = await messageRow(queued.id)
    const marked = await app.inject({ method: 'POST', url: `/api/messages/${queued.id}/mark-sent`, headers: agent.headers })

    expect(unknown).toMatchObject({ status: 'unknown', sendStartedAt: null })
    expect(unknown.error).toMatch(/Telegram/)
    expect(unknown.error).toMatch(/ask the customer/)
    expect(sendsOf('telegram', text)).toHaveLength(1)
    expect(marked.statusCode, marked.body).toBe(200)
    expect(marked.json<Message>()).toMatchObject({ id: queued.id, status: 'sent', error: null })
    const audit = await ctx.db.selectFrom('auditLog').select(['action']).where('action', '=', 'conversation.reply_marked_sent').execute()
    expect(audit).toHaveLength(1)
    const again = await app.inject({ method: 'POST', url: `/api/messages/${queued.id}/mark-sent`, headers: agent.headers })
    expect(again.statusCode).toBe(409)
  })

  it('Telegram: "send again" is the agent’s decision, and sends it a second time', async () => {
    const conversationId = await conversationWith('telegram')
    sim.injectFault({ kind: 'telegram', endpoint: 'send', type: 'timeout', count: 1, delayMs: 50 })
    const text = 'Could you send us your order number?'
    const queued = await reply(conversationId, text)
    await processQueue(ctx, database.pool, { runScheduled: true })
    expect(await messageRow(queued.id)).toMatchObject({ status: 'unknown' })

    const retried = await app.inject({ method: 'POST', url: `/api/messages/${queued.id}/retry`, headers: agent.headers })
    await processQueue(ctx, database.pool)

    expect(retried.statusCode, retried.body).toBe(200)
    expect(sendsOf('telegram', text).map((s) => s.responseStatus)).toEqual([0, 200])
    expect(await messageRow(queued.id)).toMatchObject({ status: 'sent', externalId: sendsOf('telegram', text)[1]!.platformMessageId })
  })

  it('Mastodon: repeats it under the same Idempotency-Key, so the customer sees one post', async () => {
    const conversationId = await conversationWith('mastodon')
    sim.injectFault({ kind: 'mastodon', endpoint: 'send', type: 'lost', count: 1, delayMs: 50 })
    const text = 'A fix ships tomorrow.'
    const queued = await reply(conversationId, text)

    const row = await settle(
      () => messageRow(queued.id),
      (r) => r.status === 'sent',
      { runScheduled: true },
    )

    const sends = sendsOf('mastodon', text)
    expect(sends.map((s) => s.headers['idempotency-key'])).toEqual([queued.id, queued.id])
    expect(sends[1]).toMatchObject({ deduplicated: true, platformMessageId: sends[0]!.platformMessageId })
    expect(row).toMatchObject({ status: 'sent', externalId: sends[0]!.platformMessageId })
  })

  it('after a crash in the middle of a call (the claim left behind), does not call the platform again', async () => {
    const conversationId = await conversationWith('telegram')
    sim.injectFault({ kind: 'telegram', endpoint: 'send', type: 'lost', count: 1, delayMs: 50 })
    const text = 'Checking with the courier.'
    const queued = await reply(conversationId, text)
    // The process that claimed it died mid-call: the claim stays, older than any call can last.
    await ctx.db
      .updateTable('messages')
      .set({ sendStartedAt: new Date(clock.now().getTime() - 60_000) })
      .where('id', '=', queued.id)
      .execute()

    await processQueue(ctx, database.pool, { runScheduled: true })

    expect(sendsOf('telegram', text)).toEqual([])
    expect(await messageRow(queued.id)).toMatchObject({ status: 'unknown' })
    expect((await messageRow(queued.id)).error).toMatch(/ask the customer/)
  })
})

describe('a channel whose sends keep failing', () => {
  it('pauses its sending as a whole, says so in Settings → Channels, and one trial send closes it again', async () => {
    const conversationIds = [await conversationWith('whatsapp'), await conversationWith('whatsapp')]
    sim.injectFault({ kind: 'whatsapp', endpoint: 'send', type: '500', count: 5 })
    const failing = await reply(conversationIds[0]!, 'First try')
    for (let attempt = 0; attempt < 5; attempt++) {
      await processQueue(ctx, database.pool, { runScheduled: true, timeoutMs: 5000 }).catch(() => {})
      if (
        (await ctx.db.selectFrom('channels').select('sendPausedUntil').where('id', '=', accounts.whatsapp.channelId).executeTakeFirstOrThrow()).sendPausedUntil
      )
        break
    }
    const waiting = await reply(conversationIds[1]!, 'Second, while paused')
    await processQueue(ctx, database.pool)

    const listed = await app.inject({ method: 'GET', url: '/api/channels', headers: agent.headers })
    const channel = listed.json<Channel[]>().find((c) => c.id === accounts.whatsapp.channelId)
    expect(channel?.sending).toMatchObject({ consecutiveFailures: 5, pausedUntil: expect.any(String), reason: expect.stringMatching(/./) })
    expect(sendsOf('whatsapp', 'Second, while paused')).toEqual([])
    expect(await messageRow(waiting.id)).toMatchObject({ status: 'queued' })

    // The pause runs out: the next send is the trial, it goes through, and the channel's sending is healthy again.
    clock.advance(5 * 60_000)
    const sent = await settle(
      () => Promise.all([messageRow(failing.id), messageRow(waiting.id)]),
      (rows) => rows.every((r) => r.status !== 'queued'),
      { runScheduled: true },
    )

    expect(sent.map((r) => r.status)).toEqual([expect.stringMatching(/sent|delivered|read/), expect.stringMatching(/sent|delivered|read/)])
    expect(
      await ctx.db.selectFrom('channels').select(['sendFailures', 'sendPausedUntil']).where('id', '=', accounts.whatsapp.channelId).executeTakeFirstOrThrow(),
    ).toEqual({
      sendFailures: 0,
      sendPausedUntil: null,
    })
  })
})
