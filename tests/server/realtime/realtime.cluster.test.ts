import type { ServerToClientEvents } from '@carebox/shared'
import Fastify, { type FastifyInstance } from 'fastify'
import pg from 'pg'
import pino from 'pino'
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rooms } from '@carebox/shared'
import { attachRealtime, emitterRealtime, type Realtime, type SocketAuth } from '../../../server/src/realtime/realtime.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

// Two Carebox nodes and a standalone worker sharing one database (CAREBOX_REALTIME=postgres).
let database: TestDatabase
let nodeA: { app: FastifyInstance; realtime: Realtime; url: string }
let nodeB: { app: FastifyInstance; realtime: Realtime; url: string }
let console: Socket<ServerToClientEvents>
const log = pino({ level: 'silent' })
// Sessions are not what this file tests: one admin session, known to every node.
const auth: SocketAuth = {
  isAllowedOrigin: () => true,
  identify: async (cookie) =>
    cookie === 'carebox_session=admin-session'
      ? { kind: 'user', userId: 'u1', email: 'a@example.test', name: 'A', role: 'admin', teamIds: [], sessionId: 's1', csrfToken: 'c' }
      : null,
  canSeeConversation: async () => true,
}

async function startNode() {
  const app = Fastify()
  const realtime = attachRealtime(app.server, log, auth, database.pool)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, realtime, url }
}

beforeAll(async () => {
  database = await createTestDatabase()
  nodeA = await startNode()
  nodeB = await startNode()
  console = io(nodeA.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: 'carebox_session=admin-session' } })
  await new Promise<void>((resolve) => console.on('connect', () => resolve()))
})
afterAll(async () => {
  console.close()
  for (const node of [nodeA, nodeB]) {
    await node.realtime.close()
    await node.app.close()
  }
  await database.drop()
})

function nextChannelUpdate(): Promise<string> {
  return new Promise((resolve) => console.once('channel.updated', ({ channelId }) => resolve(channelId)))
}

describe('realtime across nodes', () => {
  it('delivers an event published on another node to a console connected here', async () => {
    const received = nextChannelUpdate()

    // Each node's adapter subscribes asynchronously once started: publish until the first one gets through.
    const publishing = setInterval(() => nodeB.realtime.publish('channel.updated', rooms.allTeams(), { channelId: 'from-node-b' }), 50)
    const channelId = await received
    clearInterval(publishing)

    expect(channelId).toBe('from-node-b')
  })

  it('delivers an event a standalone worker publishes', async () => {
    const received = nextChannelUpdate()

    const worker = emitterRealtime(database.pool, log)
    // The adapter subscribes asynchronously; a worker publishes many events, the first once it has.
    const publishing = setInterval(() => worker.publish('channel.updated', rooms.allTeams(), { channelId: 'from-worker' }), 50)

    const channelId = await received
    clearInterval(publishing)
    await worker.close()

    expect(channelId).toBe('from-worker')
  })

  it('gives its pool connection back when closed, so that the pool can end and the node stop', async () => {
    const listeners = async () => {
      const { rows } = await database.pool.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'idle' and query ilike 'LISTEN%'",
      )
      return rows[0]?.n ?? 0
    }
    const before = await listeners()
    const pool = new pg.Pool({ connectionString: database.url, max: 2 })
    const app = Fastify()
    const realtime = attachRealtime(app.server, log, auth, pool)
    // The adapter takes a connection of the pool to LISTEN on, asynchronously once attached, and holds it from the
    // moment PostgreSQL has answered (closed before that, the adapter itself would keep it).
    while ((await listeners()) === before) await new Promise((resolve) => setTimeout(resolve, 20))
    await new Promise((resolve) => setTimeout(resolve, 100))

    await realtime.close()
    await app.close()

    // A pool ends once every connection is back: kept by the adapter, this would wait for ever.
    await expect(pool.end()).resolves.toBeUndefined()
  })
})
