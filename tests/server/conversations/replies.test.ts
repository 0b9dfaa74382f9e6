import { randomUUID } from 'node:crypto'
import type { Message } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import { pollHandler } from '../../../server/src/ingest/poll.job.js'
import type { AppContext } from '../../../server/src/context.js'
import {
  buildEchoEntry,
  metaBody,
  nextTelegramMessageId,
  startSimulator,
  type CustomerMessage,
  type RecordedSend,
  type Simulator,
} from '../../../server/src/simulator/index.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext, type createTestClock } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'

// The outbox end to end: POST a reply, the send job talks to the platform simulator over real HTTP, and the
// platform's answers, receipts and echoes come back through signed webhooks into real PostgreSQL.
let database: TestDatabase
let ctx: AppContext
let clock: ReturnType<typeof createTestClock>
let app: FastifyInstance
let sim: Simulator
let agent: SignedIn

const hourMs = 60 * 60 * 1000
/** Sent, or further along: Messenger's delivery and read receipts can arrive while the queue still runs. */
const isSent = /^(sent|delivered|read)$/
const appSecret = 'meta-app-secret-replies'
/** Meta's app id on the echoes the simulator sends. */
const metaAppId = '1217981644879628'

interface Account {
  kind: 'whatsapp' | 'facebook' | 'telegram' | 'mastodon'
  externalId: string
  secrets: Record<string, string>
  handle?: string
  channelId: string
}

const whatsapp: Account = { kind: 'whatsapp', externalId: '130000000000077', secrets: { appSecret, accessToken: 'wa-token' }, channelId: '' }
const page: Account = { kind: 'facebook', externalId: '104400000000077', secrets: { appSecret, accessToken: 'page-token' }, channelId: '' }
const telegram: Account = {
  kind: 'telegram',
  externalId: '7000000077',
  secrets: { botToken: '7000000077:AAreplies', webhookSecret: 'tg-replies-secret' },
  channelId: '',
}
const mastodon: Account = { kind: 'mastodon', externalId: '109000000000077', secrets: { accessToken: 'mastodon-replies-token' }, handle: 'acme', channelId: '' }

let people = 0
/** A new customer id in the platform's form, so every test has a conversation of its own. */
function newPersonId(account: Account): string {
  people += 1
  return account.kind === 'whatsapp' ? `55119888${String(people).padStart(5, '0')}` : `${6_100_000_000 + people}`
}

/** A customer writes (webhook or poll), and ingest stores it; returns the conversation it landed in. */
async function customerWrote(account: Account, message: Partial<CustomerMessage> & { text: string }): Promise<{ conversationId: string; personId: string }> {
  const personId = message.from?.id ?? newPersonId(account)
  const report = await sim.customerWrites(account.externalId, { from: { id: personId, name: `Customer ${personId}` }, ...message })
  if (account.kind === 'mastodon') await pollHandler.run(ctx, { channelId: account.channelId }, { attempts: 1, maxAttempts: 3 })
  await processQueue(ctx, database.pool)
  const row = await ctx.db
    .selectFrom('messages')
    .select('conversationId')
    .where('channelId', '=', account.channelId)
    .where('externalId', '=', report.externalId ?? '')
    .executeTakeFirstOrThrow()
  return { conversationId: row.conversationId, personId }
}

function postReply(conversationId: string, body: Record<string, unknown>, headers = agent.headers) {
  return app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/replies`, headers, payload: body })
}

async function reply(conversationId: string, text: string, extra: Record<string, unknown> = {}): Promise<Message> {
  const response = await postReply(conversationId, { text, clientKey: randomUUID(), ...extra })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<Message>()
}

async function messageRow(id: string) {
  return ctx.db.selectFrom('messages').select(['status', 'externalId', 'error', 'text', 'sendStartedAt']).where('id', '=', id).executeTakeFirstOrThrow()
}

async function replyJobs(messageId: string) {
  const { rows } = await sql<{ runAt: Date; attempt: number; queueName: string | null }>`
    select j.run_at as "runAt", (j.payload->>'attempt')::int as attempt, q.queue_name as "queueName"
    from graphile_worker._private_jobs j
    join graphile_worker._private_tasks t on t.id = j.task_id
    left join graphile_worker._private_job_queues q on q.id = j.job_queue_id
    where t.identifier = 'reply.send' and j.payload->>'messageId' = ${messageId}
    order by j.id`.execute(ctx.db)
  return rows
}

async function outboundMessages(conversationId: string) {
  return ctx.db
    .selectFrom('messages')
    .select(['id', 'text', 'status', 'externalId', 'authorKind'])
    .where('conversationId', '=', conversationId)
    .where('direction', '=', 'outbound')
    .where('kind', '=', 'message')
    .execute()
}

async function messageCount(conversationId: string): Promise<number> {
  const row = await ctx.db.selectFrom('conversations').select('messageCount').where('id', '=', conversationId).executeTakeFirstOrThrow()
  return row.messageCount
}

function sendsOf(account: Account, predicate: (send: RecordedSend) => boolean = () => true): RecordedSend[] {
  return sim.sends.filter((send) => send.accountExternalId === account.externalId && predicate(send))
}

/** Runs the queue until `read` gives what `isDone` wants: receipts and echoes arrive by webhook, a little later. */
async function settle<T>(read: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    await processQueue(ctx, database.pool)
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
  // hangMs: a 'timeout' fault drops the connection after 200 ms, an outcome the sender never learns.
  sim = await startSimulator({ retryScheduleMs: [20, 50], receiptDelayMs: 20, hangMs: 200 })
  for (const account of [whatsapp, page, telegram, mastodon]) {
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
  // The platforms stamp messages with the real time; the reply window and backoff read the test clock.
  clock.set(new Date())
  // A test whose sends failed (a 429, failures in a row) leaves its channel's sending paused: not the next test's.
  await ctx.db.updateTable('channels').set({ sendFailures: 0, sendPausedUntil: null, sendPauseReason: null }).execute()
})
afterAll(async () => {
  await sim.close()
  await app.close()
  await database.drop()
})

describe('POST /api/conversations/:id/replies', () => {
  it('stores the reply as queued together with its send job, in the conversation queue', async () => {
    const { conversationId } = await customerWrote(whatsapp, { text: 'Oi, meu pedido não chegou' })

    const sent = await reply(conversationId, 'Olá! Vou verificar agora.')

    expect(sent).toMatchObject({ kind: 'message', direction: 'outbound', authorKind: 'agent', status: 'queued', text: 'Olá! Vou verificar agora.' })
    expect(sent.agent?.id).toBe(agent.userId)
    expect(await replyJobs(sent.id)).toEqual([expect.objectContaining({ attempt: 1, queueName: `reply:${conversationId}` })])
    expect(await messageCount(conversationId)).toBe(2)
  })

  it('stores neither the reply nor its job when the transaction fails after the insert', async () => {
    const { conversationId } = await customerWrote(whatsapp, { text: 'Alguém aí?' })
    const clientKey = randomUUID()
    // The audit entry is the last write of the reply's transaction: make it fail, as a crash there would.
    await sql`create function refuse_reply_audit() returns trigger language plpgsql as $$
      begin if new.action = 'conversation.replied' then raise exception 'audit refused'; end if; return new; end $$`.execute(ctx.db)
    await sql`create trigger refuse_reply_audit before insert on audit_log for each row execute function refuse_reply_audit()`.execute(ctx.db)

    const response = await postReply(conversationId, { text: 'Sim, estou aqui', clientKey }).finally(async () => {
      await sql`drop trigger refuse_reply_audit on audit_log`.execute(ctx.db)
      await sql`drop function refuse_reply_audit()`.execute(ctx.db)
    })

    expect(response.statusCode).toBe(500)
    expect(await ctx.db.selectFrom('messages').select('id').where('clientKey', '=', clientKey).execute()).toEqual([])
    const { rows } = await sql<{
      n: number
    }>`select count(*)::int as n from graphile_worker._private_jobs where payload::text like '%' || ${conversationId} || '%'
      or job_queue_id in (select id from graphile_worker._private_job_queues where queue_name = ${`reply:${conversationId}`})`.execute(ctx.db)
    expect(rows[0]?.n).toBe(0)
    expect(await messageCount(conversationId)).toBe(1)
  })

  it('refuses with 409 a WhatsApp reply after the 24-hour window, and stores nothing', async () => {
    const { conversationId } = await customerWrote(whatsapp, { text: 'Obrigado!', at: new Date(Date.now() - 25 * hourMs) })
    const clientKey = randomUUID()
    const jobsBefore = await sql<{ n: number }>`select count(*)::int as n from graphile_worker._private_jobs`.execute(ctx.db)

    const response = await postReply(conversationId, { text: 'De nada!', clientKey })

    expect(response.statusCode).toBe(409)
    expect(response.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/24-hour window/),
    })
    expect(await ctx.db.selectFrom('messages').select('id').where('clientKey', '=', clientKey).execute()).toEqual([])
    const jobsAfter = await sql<{ n: number }>`select count(*)::int as n from graphile_worker._private_jobs`.execute(ctx.db)
    expect(jobsAfter.rows[0]?.n).toBe(jobsBefore.rows[0]?.n)
    expect(await messageCount(conversationId)).toBe(1)
  })

  it('refuses over-length text with 400 and stores nothing', async () => {
    const { conversationId } = await customerWrote(whatsapp, { text: 'Preciso de ajuda' })
    const mastodonThread = await customerWrote(mastodon, {
      from: { id: '1098', name: 'Tom', handle: 'tom@fosstodon.org' },
      text: 'my router is bricked',
      kind: 'mention',
    })
    const keys = [randomUUID(), randomUUID(), randomUUID()]

    const tooLongForWhatsApp = await postReply(conversationId, { text: 'a'.repeat(4097), clientKey: keys[0] })
    const tooLongForAnyone = await postReply(conversationId, { text: 'a'.repeat(10_001), clientKey: keys[1] })
    const tooLongForMastodon = await postReply(mastodonThread.conversationId, { text: 'b'.repeat(501), clientKey: keys[2] })

    expect([tooLongForWhatsApp.statusCode, tooLongForAnyone.statusCode, tooLongForMastodon.statusCode]).toEqual([400, 400, 400])
    expect(tooLongForWhatsApp.json<{ error: { message: string } }>().error.message).toMatch(/at most 4096 characters/)
    expect(tooLongForMastodon.json<{ error: { message: string } }>().error.message).toMatch(
      /at most 481 characters here \(the @mention of the customer takes the rest\)/,
    )
    expect(await ctx.db.selectFrom('messages').select('id').where('clientKey', 'in', keys).execute()).toEqual([])
    expect(await messageCount(conversationId)).toBe(1)
  })

  it('stores and sends once when the same client key is posted twice, one after the other or at once', async () => {
    const { conversationId } = await customerWrote(whatsapp, { text: 'Cadê meu reembolso?' })
    const again = randomUUID()
    const atOnce = randomUUID()

    const first = await postReply(conversationId, { text: 'Já estou vendo', clientKey: again })
    const second = await postReply(conversationId, { text: 'Já estou vendo', clientKey: again })
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => postReply(conversationId, { text: 'Um momento', clientKey: atOnce })))
    await processQueue(ctx, database.pool)

    expect([first.statusCode, second.statusCode]).toEqual([200, 200])
    expect(second.json<Message>().id).toBe(first.json<Message>().id)
    expect(concurrent.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200])
    expect(new Set(concurrent.map((r) => r.json<Message>().id)).size).toBe(1)
    const stored = await ctx.db.selectFrom('messages').select('clientKey').where('clientKey', 'in', [again, atOnce]).execute()
    expect(stored).toHaveLength(2)
    const texts = sendsOf(whatsapp).map((send) => (send.body as { text?: { body?: string } }).text?.body)
    expect(texts.filter((t) => t === 'Já estou vendo')).toHaveLength(1)
    expect(texts.filter((t) => t === 'Um momento')).toHaveLength(1)
    expect(await messageCount(conversationId)).toBe(3)
  })
})

describe('reply.send', () => {
  it('sends a WhatsApp reply once, records the platform id, then follows the status webhooks to read', async () => {
    const { conversationId, personId } = await customerWrote(whatsapp, { text: 'Vocês entregam no domingo?' })
    const queued = await reply(conversationId, 'Entregamos sim, das 9h às 13h.')

    await processQueue(ctx, database.pool)

    const sends = sendsOf(whatsapp, (send) => (send.body as { text?: { body?: string } }).text?.body === 'Entregamos sim, das 9h às 13h.')
    expect(sends).toHaveLength(1)
    expect(sends[0]).toMatchObject({ responseStatus: 200, body: { messaging_product: 'whatsapp', to: personId, type: 'text' } })
    const sent = await messageRow(queued.id)
    expect(sent).toMatchObject({ status: expect.stringMatching(isSent), externalId: sends[0]!.platformMessageId, error: null, sendStartedAt: null })
    const read = await settle(
      () => messageRow(queued.id),
      (row) => row.status === 'read',
    )
    expect(read.status).toBe('read')
    const receipts = await ctx.db.selectFrom('messageReceipts').select('status').where('externalId', '=', sent.externalId!).orderBy('status').execute()
    expect(receipts.map((r) => r.status)).toEqual(['delivered', 'read', 'sent'])
    expect(await replyJobs(queued.id)).toEqual([])
  })

  it('sends a Telegram reply into the chat, quoting the customer message', async () => {
    const { conversationId, personId } = await customerWrote(telegram, { text: 'Wo bleibt mein Paket?' })
    const queued = await reply(conversationId, 'Es ist unterwegs und kommt morgen.')

    await processQueue(ctx, database.pool)

    const sends = sendsOf(telegram, (send) => (send.body as { text?: string }).text === 'Es ist unterwegs und kommt morgen.')
    expect(sends).toHaveLength(1)
    expect(sends[0]!.body).toMatchObject({ chat_id: Number(personId), reply_parameters: { allow_sending_without_reply: true } })
    expect(await messageRow(queued.id)).toMatchObject({ status: 'sent', externalId: sends[0]!.platformMessageId })
  })

  it('sends a Mastodon reply under the mention, with our message id as its Idempotency-Key', async () => {
    const { conversationId } = await customerWrote(mastodon, {
      from: { id: '1099', name: 'Eva', handle: 'eva@mastodon.social' },
      text: 'the app logs me out every hour',
      kind: 'mention',
    })
    const mention = await ctx.db.selectFrom('messages').select('externalId').where('conversationId', '=', conversationId).executeTakeFirstOrThrow()
    sim.injectFault({ kind: 'mastodon', endpoint: 'send', type: '500', count: 1 })
    const queued = await reply(conversationId, 'Thanks Eva, a fix ships tomorrow.')

    await processQueue(ctx, database.pool, { runScheduled: true })

    const sends = sendsOf(mastodon)
    expect(sends.map((send) => send.responseStatus)).toEqual([500, 200])
    expect(sends.map((send) => send.headers['idempotency-key'])).toEqual([queued.id, queued.id])
    expect(sends[1]!.body).toMatchObject({
      status: '@eva@mastodon.social Thanks Eva, a fix ships tomorrow.',
      in_reply_to_id: mention.externalId,
      visibility: 'public',
    })
    expect(await messageRow(queued.id)).toMatchObject({ status: 'sent', externalId: sends[1]!.platformMessageId })
  })

  it('answers the post chosen in a Mastodon thread, under it and to its author, not the latest one', async () => {
    const first = await customerWrote(mastodon, {
      from: { id: '1201', name: 'Ida', handle: 'ida@mastodon.social' },
      text: 'refund still missing',
      kind: 'mention',
    })
    const ida = await ctx.db.selectFrom('messages').select(['id', 'externalId']).where('conversationId', '=', first.conversationId).executeTakeFirstOrThrow()
    const second = await customerWrote(mastodon, {
      from: { id: '1202', name: 'Jon', handle: 'jon@mastodon.social' },
      text: 'same for me',
      kind: 'mention',
      replyToId: ida.externalId ?? '',
    })
    expect(second.conversationId).toBe(first.conversationId)

    const queued = await reply(first.conversationId, 'Ida, it left today.', { replyToMessageId: ida.id })
    await processQueue(ctx, database.pool)

    const [send] = sendsOf(mastodon, (s) => String((s.body as { status?: string }).status).includes('it left today'))
    expect(send!.body).toMatchObject({ status: '@ida@mastodon.social Ida, it left today.', in_reply_to_id: ida.externalId })
    expect(await messageRow(queued.id)).toMatchObject({ status: 'sent' })
  })

  it('retries a 500 with backoff, keeping the reply queued, then sends it', async () => {
    const { conversationId } = await customerWrote(whatsapp, { text: 'Meu cartão foi cobrado duas vezes' })
    sim.injectFault({ kind: 'whatsapp', endpoint: 'send', type: '500', count: 1 })
    const queued = await reply(conversationId, 'Vou estornar a cobrança duplicada.')

    await processQueue(ctx, database.pool)

    expect(await messageRow(queued.id)).toMatchObject({ status: 'queued', error: null, externalId: null })
    const [retry] = await replyJobs(queued.id)
    expect(retry).toMatchObject({ attempt: 2, queueName: `reply:${conversationId}` })
    const delay = retry!.runAt.getTime() - clock.now().getTime()
    expect(delay).toBeGreaterThanOrEqual(2000)
    expect(delay).toBeLessThan(4000)

    await processQueue(ctx, database.pool, { runScheduled: true })

    const sends = sendsOf(whatsapp, (send) => (send.body as { text?: { body?: string } }).text?.body === 'Vou estornar a cobrança duplicada.')
    expect(sends.map((send) => send.responseStatus)).toEqual([500, 200])
    expect(await messageRow(queued.id)).toMatchObject({ status: expect.stringMatching(isSent), externalId: sends[1]!.platformMessageId })
  })

  it('keeps the order replies were written in when the first one waits out a retry', async () => {
    const { conversationId } = await customerWrote(whatsapp, { text: 'Chegou quebrado' })
    sim.injectFault({ kind: 'whatsapp', endpoint: 'send', type: '500', count: 1 })
    const first = await reply(conversationId, 'Sinto muito!')
    const second = await reply(conversationId, 'Vamos enviar outro hoje.')

    await processQueue(ctx, database.pool)

    // The first waits out its backoff; the second waits behind it instead of overtaking it.
    expect((await messageRow(first.id)).status).toBe('queued')
    expect((await messageRow(second.id)).status).toBe('queued')
    const texts = ['Sinto muito!', 'Vamos enviar outro hoje.']
    const ours = () => sendsOf(whatsapp, (send) => texts.includes((send.body as { text?: { body?: string } }).text?.body ?? ''))
    expect(ours().map((send) => send.responseStatus)).toEqual([500])

    await processQueue(ctx, database.pool, { runScheduled: true })

    expect(ours().map((send) => [(send.body as { text: { body: string } }).text.body, send.responseStatus])).toEqual([
      ['Sinto muito!', 500],
      ['Sinto muito!', 200],
      ['Vamos enviar outro hoje.', 200],
    ])
    expect((await messageRow(second.id)).status).toMatch(isSent)
  })

  it.each([
    ['WhatsApp', whatsapp],
    ['Telegram', telegram],
  ])("waits out a %s 429's retry-after of 42 s before the next attempt", async (_name, account) => {
    const { conversationId } = await customerWrote(account, { text: 'hello?' })
    sim.injectFault({ kind: account.kind, endpoint: 'send', type: '429', count: 1, retryAfterSeconds: 42 })
    const queued = await reply(conversationId, `rate limited on ${account.kind}`)

    await processQueue(ctx, database.pool)

    expect((await messageRow(queued.id)).status).toBe('queued')
    const [retry] = await replyJobs(queued.id)
    expect(retry!.runAt.getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(42_000)
    // The limit is the account's: the whole channel waits it out, not only this reply.
    const channel = await ctx.db.selectFrom('channels').select('sendPausedUntil').where('id', '=', account.channelId).executeTakeFirstOrThrow()
    expect(channel.sendPausedUntil!.getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(42_000)

    clock.advance(43_000)
    await processQueue(ctx, database.pool, { runScheduled: true })

    expect((await messageRow(queued.id)).status).toMatch(isSent)
  })

  it('gives up after the last attempt and says why', async () => {
    const { conversationId } = await customerWrote(page, { text: 'is anyone there' })
    sim.injectFault({ kind: 'facebook', endpoint: 'send', type: '500', count: 6 })
    const queued = await reply(conversationId, 'Yes, sorry for the wait!')

    // After five failures in a row the channel's sending pauses: the last attempt waits for the pause to run out.
    for (let round = 0; round < 4 && (await messageRow(queued.id)).status === 'queued'; round++) {
      await processQueue(ctx, database.pool, { runScheduled: true, timeoutMs: 5_000 }).catch(() => {})
      clock.advance(5 * 60_000)
    }

    expect(sendsOf(page, (send) => (send.body as { message?: { text?: string } }).message?.text === 'Yes, sorry for the wait!')).toHaveLength(6)
    const failed = await messageRow(queued.id)
    expect(failed.status).toBe('failed')
    expect(failed.error).toBe(
      'Gave up after 6 attempts: Facebook had a temporary problem. Facebook said: "An unexpected error has occurred. Please retry your request later." (code 2)',
    )
    expect(await replyJobs(queued.id)).toEqual([])
  })

  it('fails a refused reply in the platform’s words, and sends it after POST /api/messages/:id/retry', async () => {
    const { conversationId } = await customerWrote(whatsapp, { text: 'Podem me ligar?' })
    // The platform stops accepting the channel's token (revoked), as if reconnecting were due.
    sim.addAccount({
      kind: 'whatsapp',
      externalId: whatsapp.externalId,
      secrets: { ...whatsapp.secrets, accessToken: 'rotated' },
      webhookUrl: sim.account(whatsapp.externalId)?.webhookUrl,
    })
    const queued = await reply(conversationId, 'Claro, em 5 minutos.')

    await processQueue(ctx, database.pool)

    const failed = await messageRow(queued.id)
    expect(failed).toMatchObject({ status: 'failed', externalId: null })
    expect(failed.error).toBe(
      'The WhatsApp access token is invalid or has expired: reconnect the channel. WhatsApp said: "Invalid OAuth access token - Cannot parse access token" (code 190)',
    )
    expect(await replyJobs(queued.id)).toEqual([])
    const thread = await app.inject({ method: 'GET', url: `/api/conversations/${conversationId}/messages`, headers: agent.headers })
    expect(thread.json<{ items: Message[] }>().items.find((m) => m.id === queued.id)).toMatchObject({ status: 'failed', error: failed.error })

    sim.addAccount({
      kind: 'whatsapp',
      externalId: whatsapp.externalId,
      secrets: { ...whatsapp.secrets },
      webhookUrl: sim.account(whatsapp.externalId)?.webhookUrl,
    })
    // A double click: two retries at once still send the reply once.
    const [retried, twice] = await Promise.all(
      [0, 1].map(() => app.inject({ method: 'POST', url: `/api/messages/${queued.id}/retry`, headers: agent.headers })),
    )
    expect(retried!.statusCode).toBe(200)
    expect([200, 409]).toContain(twice!.statusCode)
    expect(retried!.json<Message>()).toMatchObject({ id: queued.id, status: 'queued', error: null })
    await processQueue(ctx, database.pool)

    const sends = sendsOf(whatsapp, (send) => (send.body as { text?: { body?: string } }).text?.body === 'Claro, em 5 minutos.')
    expect(sends.map((send) => send.responseStatus)).toEqual([401, 200])
    expect(await messageRow(queued.id)).toMatchObject({ status: expect.stringMatching(isSent), externalId: sends[1]!.platformMessageId, error: null })
    const audit = await ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', conversationId)
      .where('action', '=', 'conversation.reply_retried')
      .execute()
    expect(audit).toHaveLength(1)
    const again = await app.inject({ method: 'POST', url: `/api/messages/${queued.id}/retry`, headers: agent.headers })
    expect(again.statusCode).toBe(409)
  })

  it('adopts the platform’s echo after a send whose outcome was lost, and sends nothing more', async () => {
    const { conversationId, personId } = await customerWrote(page, { text: 'my parcel is damaged' })
    sim.injectFault({ kind: 'facebook', endpoint: 'send', type: 'timeout', count: 1 })
    const text = 'So sorry! A replacement is on its way.'
    const queued = await reply(conversationId, text)

    await processQueue(ctx, database.pool)

    // Nothing more is sent: Carebox waits for the platform to report the send it may have made.
    expect(await messageRow(queued.id)).toMatchObject({ status: 'queued', sendStartedAt: expect.any(Date) })
    expect(sendsOf(page, (send) => (send.body as { message?: { text?: string } }).message?.text === text)).toEqual([
      expect.objectContaining({ responseStatus: 0 }),
    ])
    expect(await replyJobs(queued.id)).toEqual([])

    // The platform did take it: its echo arrives, without our reference (as from an older app version).
    const mid = `m_lost_${randomUUID()}`
    const echo = await sim.deliverRaw(
      page.externalId,
      metaBody('page', [buildEchoEntry(page.externalId, { recipientId: personId, mid, text, appId: metaAppId, at: new Date() })]),
    )
    expect(echo.delivered).toBe(true)
    await processQueue(ctx, database.pool)
    expect(await outboundMessages(conversationId)).toHaveLength(2)

    // When its wait is over, the reply adopts the echo of its text instead of being called unknown.
    await processQueue(ctx, database.pool, { runScheduled: true })

    expect(sendsOf(page, (send) => (send.body as { message?: { text?: string } }).message?.text === text)).toHaveLength(1)
    expect(await outboundMessages(conversationId)).toEqual([expect.objectContaining({ id: queued.id, authorKind: 'agent', status: 'sent', externalId: mid })])
    expect(await messageCount(conversationId)).toBe(2)
  })

  it('names a Messenger customer from the User Profile API, since the webhook carries only their id', async () => {
    const { personId } = await customerWrote(page, { text: 'Dobrý den', from: { id: newPersonId(page), name: 'Marta Nováková' } })

    const person = await ctx.db
      .selectFrom('contactIdentities as ci')
      .innerJoin('contacts as c', 'c.id', 'ci.contactId')
      .select(['c.name as contactName', 'ci.name as identityName', 'c.avatarUrl'])
      .where('ci.channelId', '=', page.channelId)
      .where('ci.externalId', '=', personId)
      .executeTakeFirstOrThrow()
    expect(person).toEqual({ contactName: 'Marta Nováková', identityName: 'Marta Nováková', avatarUrl: expect.stringContaining(personId) })
  })

  it('sends a Messenger reply 30 h after the customer’s last message with the HUMAN_AGENT tag', async () => {
    const { conversationId, personId } = await customerWrote(page, { text: 'hello, any news?', at: new Date(Date.now() - 30 * hourMs) })
    const queued = await reply(conversationId, 'Yes: your refund went out today.')

    await processQueue(ctx, database.pool)

    const sends = sendsOf(page, (send) => (send.body as { message?: { text?: string } }).message?.text === 'Yes: your refund went out today.')
    expect(sends).toHaveLength(1)
    expect(sends[0]!.body).toEqual({
      recipient: { id: personId },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      // Carebox's reference comes back in the echo: it tells our send apart, even when its answer was lost.
      message: { text: 'Yes: your refund went out today.', metadata: `carebox:${queued.id}` },
    })
    expect(await messageRow(queued.id)).toMatchObject({ status: expect.stringMatching(isSent), externalId: sends[0]!.platformMessageId })
    // Then come the echo of our send, a delivery and a read: the echo must not become a second message.
    expect(
      await settle(
        () => messageRow(queued.id),
        (row) => row.status === 'read',
      ),
    ).toMatchObject({ status: 'read' })
    expect(await outboundMessages(conversationId)).toEqual([expect.objectContaining({ id: queued.id, authorKind: 'agent' })])
    expect(await messageCount(conversationId)).toBe(2)
  })

  it('refuses a Messenger reply 8 days after the customer’s last message', async () => {
    const { conversationId } = await customerWrote(page, { text: 'hello?', at: new Date(Date.now() - 8 * 24 * hourMs) })

    const response = await postReply(conversationId, { text: 'Sorry for the delay', clientKey: randomUUID() })

    expect(response.statusCode).toBe(409)
    expect(response.json<{ error: { message: string } }>().error.message).toMatch(/7 days/)
  })

  it('answers an 8-day-old public comment under the comment: public threads have no window', async () => {
    const report = await customerWrote(page, { text: 'Does this come in blue?', kind: 'comment', at: new Date(Date.now() - 8 * 24 * hourMs) })
    const comment = await ctx.db.selectFrom('messages').select('externalId').where('conversationId', '=', report.conversationId).executeTakeFirstOrThrow()
    const queued = await reply(report.conversationId, 'It does, from next week!')

    await processQueue(ctx, database.pool)

    const sends = sendsOf(page, (send) => (send.body as { message?: string }).message === 'It does, from next week!')
    expect(sends).toHaveLength(1)
    expect(sends[0]!.path).toBe(`/graph/v21.0/${comment.externalId}/comments`)
    expect(await messageRow(queued.id)).toMatchObject({ status: 'sent', externalId: sends[0]!.platformMessageId })
  })

  it('refuses a second private reply to one comment before asking Facebook, which allows one', async () => {
    const report = await customerWrote(page, { text: 'I need to share my order number', kind: 'comment' })
    const first = await reply(report.conversationId, 'Sent you a message!', { visibility: 'private' })
    await processQueue(ctx, database.pool)
    const second = await postReply(report.conversationId, { text: 'And another one', clientKey: randomUUID(), visibility: 'private' })

    expect((await messageRow(first.id)).status).toMatch(isSent)
    expect(second.statusCode).toBe(409)
    expect(second.json().error.message).toBe('This comment has had its private reply already: the platform allows one per comment.')
    expect(sendsOf(page, (send) => (send.body as { message?: { text?: string } }).message?.text === 'And another one')).toHaveLength(0)
  })

  it('keeps a sent reply sent when the platform echo races its commit under the same id', async () => {
    const { conversationId, personId } = await customerWrote(telegram, { text: 'Ist die Rechnung schon raus?' })
    const text = 'Ja, sie ist per E-Mail unterwegs.'
    // The simulator numbers Telegram messages in sequence: the reply will be the next one.
    const externalId = `${personId}:${nextTelegramMessageId() + 1}`
    const queued = await reply(conversationId, text)
    const ingest = new pg.Client({ connectionString: database.url })
    await ingest.connect()
    // Ingest is storing the echo of that very send and has not committed yet.
    await ingest.query('begin')
    await ingest.query(
      `insert into messages (conversation_id, channel_id, external_id, direction, author_kind, text, status, sent_at)
       values ($1, $2, $3, 'outbound', 'platform', $4, 'sent', now())`,
      [conversationId, telegram.channelId, externalId, text],
    )
    await ingest.query('update conversations set message_count = message_count + 1 where id = $1', [conversationId])

    const run = processQueue(ctx, database.pool, { runScheduled: true })
    await expect
      .poll(async () => (await ingest.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`)).rows[0].n, { timeout: 5000 })
      .toBe(1)
    await ingest.query('commit')
    await ingest.end()
    await run

    expect(sendsOf(telegram, (send) => (send.body as { text?: string }).text === text)).toHaveLength(1)
    expect(await messageRow(queued.id)).toMatchObject({ status: 'sent', externalId, error: null })
    expect(await outboundMessages(conversationId)).toEqual([expect.objectContaining({ id: queued.id, authorKind: 'agent' })])
    expect(await messageCount(conversationId)).toBe(2)
  })

  it('counts the @mention Mastodon replies start with against the 500 characters, before anything is stored', async () => {
    const { conversationId } = await customerWrote(mastodon, {
      from: { id: '1100', name: 'Zoë', handle: 'zoe@mastodon.social' },
      text: 'where is the changelog?',
      kind: 'mention',
    })
    const before = await outboundMessages(conversationId)

    const tooLong = await postReply(conversationId, { text: 'x'.repeat(490), clientKey: randomUUID() })
    const fits = await postReply(conversationId, { text: 'x'.repeat(479), clientKey: randomUUID() })
    await processQueue(ctx, database.pool)

    expect(tooLong.statusCode).toBe(400)
    expect(tooLong.json<{ error: { message: string } }>().error.message).toContain('at most 479 characters')
    expect(fits.statusCode).toBe(200)
    const [send] = sendsOf(
      mastodon,
      (s) => typeof (s.body as { status?: string }).status === 'string' && (s.body as { status: string }).status.endsWith('x'.repeat(479)),
    )
    expect(send).toMatchObject({ responseStatus: 200, body: { status: `@zoe@mastodon.social ${'x'.repeat(479)}` } })
    expect((await outboundMessages(conversationId)).length).toBe(before.length + 1)
  })
})
