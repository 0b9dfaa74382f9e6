import { randomUUID } from 'node:crypto'
import type { Message } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { taskHandlers } from '../../../server/src/queue/handlers.js'
import { startWorker, type Worker } from '../../../server/src/queue/queue.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { eventually } from '../../support/carebox-node.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

// A platform that never answers (every Telegram send hangs) while the running worker goes on with everything else:
// inbound messages, another channel's replies. Its sends hold only the platform slots, a share of them each, and
// none of its replies is sent twice.

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let sim: Simulator
let agent: SignedIn
let worker: Worker | undefined

const appSecret = 'meta-app-secret-hang'
const whatsapp = { externalId: '130000000000099', secrets: { appSecret, accessToken: 'wa-token' }, channelId: '' }
const telegram = { externalId: '7000000099', secrets: { botToken: '7000000099:AAhang', webhookSecret: 'tg-hang' }, channelId: '' }

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  ;(ctx.clock as unknown as { set(at: Date): void }).set(new Date())
  app = await buildTestApp(ctx)
  const appUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  // Held calls are dropped after a minute: far beyond Telegram's 5 s send timeout, so every call times out.
  sim = await startSimulator({ retryScheduleMs: [50, 200], receiptDelayMs: 20, hangMs: 60_000 })
  for (const [kind, account] of [
    ['whatsapp', whatsapp],
    ['telegram', telegram],
  ] as const) {
    const channel = await createChannel(ctx, {
      kind,
      name: `Acme ${kind}`,
      externalId: account.externalId,
      settings: { mode: 'webhook', apiBaseUrl: sim.apiBaseUrl(kind) },
      secrets: account.secrets,
    })
    account.channelId = channel.id
    const webhookUrl = kind === 'telegram' ? `${appUrl}/webhooks/telegram/${channel.id}` : `${appUrl}/webhooks/meta`
    sim.addAccount({ kind, externalId: account.externalId, secrets: { ...account.secrets }, webhookUrl })
  }
  agent = await signedInAs(ctx, app, 'agent')
  worker = await startWorker(ctx, database.pool, taskHandlers, 2, 4)
})
afterAll(async () => {
  await sim.close()
  await worker?.stop()
  await app.close()
  await database.drop()
})

async function conversationOf(externalId: string | undefined): Promise<string> {
  const row = await eventually(
    () =>
      ctx.db
        .selectFrom('messages')
        .select('conversationId')
        .where('externalId', '=', externalId ?? '')
        .executeTakeFirst(),
    (r) => r !== undefined,
    20_000,
    50,
  )
  return row!.conversationId
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

describe('a platform that never answers', { timeout: 90_000 }, () => {
  it('holds up neither inbound messages nor another channel’s replies, and sends none of its own twice', async () => {
    const telegramConversations: string[] = []
    for (let i = 0; i < 6; i++) {
      const report = await sim.customerWrites(telegram.externalId, { from: { id: String(6_400_000_000 + i), name: `Tg ${i}` }, text: `Hallo ${i}` })
      telegramConversations.push(await conversationOf(report.externalId))
    }
    sim.injectFault({ kind: 'telegram', endpoint: 'send', type: 'timeout', count: 1000 })
    const telegramReplies = await Promise.all(telegramConversations.map((id, i) => reply(id, `Telegram answer ${i}`)))
    // Every Telegram call now waits out its timeout; meanwhile customers write on WhatsApp and an agent answers one.
    await eventually(
      async () => sim.requests.filter((r) => r.kind === 'telegram' && r.endpoint === 'send').length,
      (n) => n >= 2,
      10_000,
      20,
    )
    const inbound = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sim.customerWrites(whatsapp.externalId, { from: { id: `5511955${String(i).padStart(6, '0')}`, name: `Wa ${i}` }, text: `Olá ${i}` }),
      ),
    )
    const stored = await eventually(
      () =>
        ctx.db
          .selectFrom('messages')
          .select('externalId')
          .where(
            'externalId',
            'in',
            inbound.map((r) => r.externalId ?? ''),
          )
          .execute(),
      (rows) => rows.length === 20,
      20_000,
      20,
    )
    const whatsappReply = await reply(await conversationOf(inbound[0]!.externalId), 'Já vamos verificar.')
    const whatsappSent = await eventually(
      () => ctx.db.selectFrom('messages').select('status').where('id', '=', whatsappReply.id).executeTakeFirstOrThrow(),
      (row) => row.status !== 'queued',
      20_000,
      20,
    )
    const telegramWhileHanging = await ctx.db
      .selectFrom('messages')
      .select('status')
      .where(
        'id',
        'in',
        telegramReplies.map((r) => r.id),
      )
      .execute()

    expect(stored).toHaveLength(20)
    expect(whatsappSent.status).toMatch(/sent|delivered|read/)
    // Still hanging when the rest was done: the others did not wait for them.
    expect(telegramWhileHanging.filter((r) => r.status === 'queued').length).toBeGreaterThan(0)

    // Each hung Telegram reply ends as the agent's call (Telegram cannot tell whether it went out), never re-sent.
    const settled = await eventually(
      () =>
        ctx.db
          .selectFrom('messages')
          .select(['id', 'status'])
          .where(
            'id',
            'in',
            telegramReplies.map((r) => r.id),
          )
          .execute(),
      (rows) => rows.every((r) => r.status !== 'queued'),
      60_000,
      100,
    )
    const calls = telegramReplies.map((r) => sim.sends.filter((s) => s.kind === 'telegram' && JSON.stringify(s.body).includes(r.text)).length)
    expect(settled.map((r) => r.status)).toEqual(telegramReplies.map(() => 'unknown'))
    expect(calls).toEqual(telegramReplies.map(() => 1))
    const circuit = await ctx.db
      .selectFrom('channels')
      .select(['sendFailures', 'sendPausedUntil'])
      .where('id', '=', telegram.channelId)
      .executeTakeFirstOrThrow()
    expect(circuit.sendFailures).toBeGreaterThanOrEqual(5)
    expect(circuit.sendPausedUntil).not.toBeNull()
  })
})
