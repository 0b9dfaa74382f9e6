import type { ServerToClientEvents } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { taskHandlers } from '../../../server/src/queue/handlers.js'
import { startWorker, type Worker } from '../../../server/src/queue/queue.js'
import { attachRealtime } from '../../../server/src/realtime/realtime.js'
import { buildTestApp } from '../../support/app.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { metaBytes, metaSignature } from '../../support/webhooks.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let worker: Worker
let socket: Socket<ServerToClientEvents>
let baseUrl: string

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  ctx.realtime = attachRealtime(app.server, ctx.log)
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' })
  worker = await startWorker(ctx, database.pool, taskHandlers, 2)
  await createChannel(ctx, {
    kind: 'facebook',
    name: 'Acme Page',
    externalId: '1044',
    settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
    secrets: { appSecret: 's3cret', accessToken: 't' },
  })
  socket = io(baseUrl, { path: '/socket.io', transports: ['websocket'] })
  await new Promise<void>((resolve) => socket.on('connect', () => resolve()))
})
afterAll(async () => {
  socket.close()
  await worker.stop()
  await ctx.realtime.close()
  await app.close()
  await database.drop()
})

describe('message.created', () => {
  it('reaches a connected console once the webhook is processed, with its conversation', async () => {
    const received = new Promise<Parameters<ServerToClientEvents['message.created']>[0]>((resolve) => socket.once('message.created', resolve))
    const raw = metaBytes({
      object: 'page',
      entry: [{ id: '1044', time: 1767225600000, messaging: [{ sender: { id: '61' }, recipient: { id: '1044' }, timestamp: 1767225599000, message: { mid: 'm_live', text: '<img src=x onerror=alert(1)> is my order lost?' } }] }],
    })

    await fetch(`${baseUrl}/webhooks/meta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(raw, 's3cret') },
      body: new Uint8Array(raw),
    })
    const event = await received

    expect(event.message).toMatchObject({ direction: 'inbound', authorKind: 'contact', text: '<img src=x onerror=alert(1)> is my order lost?' })
    expect(event.conversation).toMatchObject({
      channel: { kind: 'facebook', name: 'Acme Page' },
      kind: 'dm',
      status: 'open',
      messageCount: 1,
      lastMessagePreview: '<img src=x onerror=alert(1)> is my order lost?',
    })
  })
})
