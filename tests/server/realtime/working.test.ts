import type { ClientToServerEvents, ServerToClientEvents } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { socketAuth } from '../../../server/src/auth/socket-auth.js'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { attachRealtime } from '../../../server/src/realtime/realtime.js'
import { workRecorder } from '../../../server/src/reports/working-time.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, firstTeamId, signedInAs } from '../../support/auth.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { newConversation } from '../../support/routing.js'

type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let baseUrl: string
let teamA: string
let teamB: string
let conversationA: string
let conversationB: string
const clock = createTestClock(new Date('2026-03-02T10:00:05Z'))
const sockets: ConsoleSocket[] = []

async function connectedAs(cookie: string): Promise<ConsoleSocket> {
  const socket: ConsoleSocket = io(baseUrl, { path: '/socket.io', transports: ['websocket'], reconnection: false, extraHeaders: { origin: baseUrl, cookie } })
  sockets.push(socket)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
  return socket
}

/** Watches the conversation and waits until the server let it in (it then names the viewers). */
async function watch(socket: ConsoleSocket, conversationId: string): Promise<void> {
  const admitted = new Promise<void>((resolve) => socket.once('conversation.viewers', () => resolve()))
  socket.emit('conversation.watch', { conversationId })
  await admitted
}

async function minutesOf(conversationId: string, userId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('agentWorkMinutes')
    .select('minute')
    .where('conversationId', '=', conversationId)
    .where('userId', '=', userId)
    .orderBy('minute')
    .execute()
  return rows.map((row) => new Date(row.minute).toISOString())
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 10))
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 200))

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = { ...createTestContext(database), clock }
  app = await buildTestApp(ctx, { followChanges: false })
  ctx.realtime = attachRealtime(app.server, ctx.log, socketAuth(ctx), undefined, undefined, workRecorder(ctx))
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' })
  teamA = await firstTeamId(ctx)
  teamB = await createTeam(ctx, 'Team B')
  const bot = (name: string, externalId: string, teamId: string) =>
    createChannel(ctx, {
      kind: 'telegram',
      name,
      externalId,
      teamId,
      settings: { mode: 'webhook', apiBaseUrl: 'http://127.0.0.1:9' },
      secrets: { botToken: `${externalId}:AA`, webhookSecret: 'w' },
    })
  conversationA = await newConversation(ctx, (await bot('Bot A', '801', teamA)).id)
  conversationB = await newConversation(ctx, (await bot('Bot B', '802', teamB)).id)
})
afterAll(async () => {
  for (const socket of sockets) socket.close()
  await ctx.realtime.close()
  await app.close()
  await database.drop()
})

describe('conversation.working', () => {
  it('records one minute per person however many heartbeats arrive in it', async () => {
    const agent = await signedInAs(ctx, app, 'agent', [teamA])
    const socket = await connectedAs(agent.cookie)
    await watch(socket, conversationA)

    socket.emit('conversation.working', { conversationId: conversationA })
    socket.emit('conversation.working', { conversationId: conversationA })
    await until(async () => (await minutesOf(conversationA, agent.userId)).length > 0)
    await settle()

    expect(await minutesOf(conversationA, agent.userId)).toEqual(['2026-03-02T10:00:00.000Z'])

    clock.advance(60_000)
    socket.emit('conversation.working', { conversationId: conversationA })
    await until(async () => (await minutesOf(conversationA, agent.userId)).length > 1)

    expect(await minutesOf(conversationA, agent.userId)).toEqual(['2026-03-02T10:00:00.000Z', '2026-03-02T10:01:00.000Z'])
  })

  it('is refused for a conversation the sender may not see, or does not have open', async () => {
    const outsider = await signedInAs(ctx, app, 'agent', [teamB])
    const socket = await connectedAs(outsider.cookie)

    // Not watching anything yet; then another team's conversation, which the server refuses to let it watch.
    socket.emit('conversation.working', { conversationId: conversationB })
    socket.emit('conversation.watch', { conversationId: conversationA })
    socket.emit('conversation.working', { conversationId: conversationA })
    await watch(socket, conversationB)
    socket.emit('conversation.working', { conversationId: conversationB })
    await until(async () => (await minutesOf(conversationB, outsider.userId)).length > 0)
    await settle()

    expect(await minutesOf(conversationA, outsider.userId)).toEqual([])
    expect(await minutesOf(conversationB, outsider.userId)).toHaveLength(1)
  })
})
