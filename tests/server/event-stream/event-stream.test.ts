import { randomBytes, randomUUID } from 'node:crypto'
import net from 'node:net'
import type { EventStreamFrame } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { drainChanges } from '../../../server/src/changes/change-runner.js'
import { recordChanges, type NewChange } from '../../../server/src/changes/changes.repository.js'
import { streamConsumer } from '../../../server/src/consumers/stream.consumer.js'
import type { AppContext } from '../../../server/src/context.js'
import { pruneStreamEvents } from '../../../server/src/event-stream/stream-events.repository.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

// The live event stream over a real WebSocket on loopback: access refused before any upgrade, events in commit
// order with their sequence, filters, resuming without gaps or repeats, cursors too old or unknown, and a client
// that stops reading cut off (told where to resume) while another keeps receiving everything.

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let wsBase: string
let admin: SignedIn
let streamToken: string
let teamA: string
let teamB: string

beforeAll(async () => {
  database = await createTestDatabase()
  // A small bound, so a client that stops reading is found out after a few megabytes rather than many.
  // Tokens looked at again every second, so a revocation shows within the test.
  ctx = createTestContext(database, { streamBufferBytes: 64 * 1024, streamStallSeconds: 2, streamAccessCheckSeconds: 1 })
  app = await buildTestApp(ctx)
  const url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  wsBase = url.replace('http', 'ws')
  admin = await signedInAs(ctx, app, 'admin')
  teamA = await createTeam(ctx, 'Stream A')
  teamB = await createTeam(ctx, 'Stream B')
  streamToken = await createToken(['events:read'])
})

afterAll(async () => {
  await app?.close()
  await database?.drop()
})

async function createToken(scopes: string[], teamIds?: string[]): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/tokens',
    headers: admin.headers,
    payload: { name: `stream ${scopes.join(' ')}`, scopes, ...(teamIds && { teamIds }) },
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ secret: string }>().secret
}

async function metricsText(): Promise<string> {
  return (await app.inject({ method: 'GET', url: '/metrics' })).body
}

/** Records changes as a writer does, then lets the stream's consumer append them. */
async function record(changes: NewChange[]): Promise<void> {
  await ctx.db.transaction().execute((trx) => recordChanges(trx, changes))
  await drainChanges(ctx, [streamConsumer])
}

const contactEvent = (teamId = teamA): NewChange => ({ type: 'contact.updated', contactId: randomUUID(), teamId, data: { changed: ['name'] } })
const messageEvent = (teamId = teamA): NewChange => ({
  type: 'message.created',
  conversationId: randomUUID(),
  messageId: randomUUID(),
  teamId,
  data: { direction: 'inbound', kind: 'message', author: 'contact' },
})

interface Client {
  socket: WebSocket
  frames: EventStreamFrame[]
  closed: Promise<{ code: number }>
  /** Resolves once `n` event frames have arrived. */
  events(n: number, timeoutMs?: number): Promise<Extract<EventStreamFrame, { type: 'event' }>[]>
}

async function connect(query = '', token = streamToken): Promise<Client> {
  const socket = new WebSocket(`${wsBase}/api/v1/events/stream${query}`, { headers: { authorization: `Bearer ${token}` } })
  const frames: EventStreamFrame[] = []
  socket.on('message', (data) => frames.push(JSON.parse(String(data)) as EventStreamFrame))
  const closed = new Promise<{ code: number }>((resolve) => socket.on('close', (code) => resolve({ code })))
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const eventsOf = () => frames.filter((f): f is Extract<EventStreamFrame, { type: 'event' }> => f.type === 'event')
  return {
    socket,
    frames,
    closed,
    async events(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (eventsOf().length < n && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
      return eventsOf()
    },
  }
}

/** The HTTP status an upgrade was refused with, or 101. */
async function upgradeStatus(query: string, authorization?: string): Promise<{ status: number; body: string }> {
  const socket = new WebSocket(`${wsBase}/api/v1/events/stream${query}`, { headers: authorization ? { authorization } : {} })
  return new Promise((resolve) => {
    socket.once('open', () => {
      socket.close()
      resolve({ status: 101, body: '' })
    })
    socket.once('unexpected-response', (_request, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    socket.once('error', () => {})
  })
}

describe('who may open the stream', () => {
  it('refuses a missing token, a token without events:read, an unknown event type and a plain GET, before any upgrade', async () => {
    expect((await upgradeStatus('')).status).toBe(401)
    expect((await upgradeStatus('', 'Bearer cbx_not-a-token')).status).toBe(401)
    const reportsOnly = await createToken(['reports:read'])
    const noScope = await upgradeStatus('', `Bearer ${reportsOnly}`)
    expect(noScope.status).toBe(403)
    expect(noScope.body).toContain('events:read')
    const unknownType = await upgradeStatus('?types=message.deleted', `Bearer ${streamToken}`)
    expect(unknownType.status).toBe(400)
    expect(JSON.parse(unknownType.body).error.message).toContain('Unknown event type "message.deleted"')
    expect((await upgradeStatus('?after=abc', `Bearer ${streamToken}`)).status).toBe(400)
    // A signed-in admin's cookie does not open it: another page of the same site could use it.
    const session = new WebSocket(`${wsBase}/api/v1/events/stream`, { headers: { cookie: admin.cookie } })
    const sessionStatus = await new Promise<number>((resolve) => {
      session.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
      session.once('open', () => resolve(101))
      session.once('error', () => {})
    })
    expect(sessionStatus).toBe(403)
    const plain = await fetch(`${wsBase.replace('ws', 'http')}/api/v1/events/stream`, { headers: { authorization: `Bearer ${streamToken}` } })
    expect(plain.status).toBe(400)
  })
})

describe('events as they happen', () => {
  it('starts at the newest event and sends each new one once, in order, shaped as the webhook body', async () => {
    await record([contactEvent()])
    const client = await connect()
    const ready = client.frames[0] ?? (await new Promise((resolve) => setTimeout(resolve, 200)), client.frames[0])
    expect(ready).toMatchObject({ type: 'ready' })
    const start = (ready as { after: number }).after
    await record([messageEvent(), contactEvent(), messageEvent()])
    const events = await client.events(3)
    expect(events.map((e) => e.event.type)).toEqual(['message.created', 'contact.updated', 'message.created'])
    expect(events.map((e) => e.sequence)).toEqual([start + 1, start + 2, start + 3])
    for (const e of events) expect(e.event.id).toMatch(/^evt_\d+$/)
    expect(events[0]!.event.data).toMatchObject({ message: { direction: 'in', visibility: 'public' } })
    client.socket.close()
    await client.closed
  })

  it('filters by type, type prefix and team', async () => {
    const messagesOfA = await connect(`?types=message.*&teamId=${teamA}`)
    const contacts = await connect('?types=contact.updated')
    await record([messageEvent(teamB), contactEvent(teamB), messageEvent(teamA), contactEvent(teamA)])
    await record([messageEvent(teamA)])
    const a = await messagesOfA.events(2)
    const c = await contacts.events(2)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(a.map((e) => [e.event.type, e.event.team_id])).toEqual([
      ['message.created', teamA],
      ['message.created', teamA],
    ])
    expect(c.map((e) => [e.event.type, e.event.team_id])).toEqual([
      ['contact.updated', teamB],
      ['contact.updated', teamA],
    ])
    messagesOfA.socket.close()
    contacts.socket.close()
  })
})

describe('a token limited to teams', () => {
  it("streams only its teams' events, and refuses a filter on another team", async () => {
    const limited = await createToken(['events:read'], [teamA])
    expect((await upgradeStatus(`?teamId=${teamB}`, `Bearer ${limited}`)).status).toBe(403)
    const client = await connect('', limited)
    await record([messageEvent(teamB), contactEvent(teamA), { type: 'contact.updated', contactId: randomUUID(), teamId: null }, messageEvent(teamA)])
    const events = await client.events(2)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(client.frames.filter((f) => f.type === 'event').map((f) => (f as { event: { team_id: string } }).event.team_id)).toEqual([teamA, teamA])
    expect(events.map((e) => e.event.type)).toEqual(['contact.updated', 'message.created'])
    client.socket.close()
  })

  it('cannot be given scopes that reach every team', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: admin.headers,
      payload: { name: 'too wide', scopes: ['events:read', 'audit:read'], teamIds: [teamA] },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json<{ error: { message: string } }>().error.message).toContain('audit:read')
  })
})

describe('resuming', () => {
  it('closes a client whose token is revoked while it listens, and refuses the token from then on', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/tokens', headers: admin.headers, payload: { name: 'to revoke', scopes: ['events:read'] } })
    const {
      token: { id },
      secret: token,
    } = created.json<{ token: { id: string }; secret: string }>()
    const client = await connect('', token)

    const revoked = await app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: admin.headers })
    const { code } = await client.closed

    expect(revoked.statusCode, revoked.body).toBe(200)
    expect(code).toBe(4403)
    expect(client.frames.at(-1)).toMatchObject({ type: 'error', code: 'access_revoked' })
    expect((await upgradeStatus('', `Bearer ${token}`)).status).toBe(401)
  })

  it('a client that reconnects with the last sequence it received misses nothing and sees nothing twice', async () => {
    const first = await connect()
    await record([contactEvent(), contactEvent()])
    const seen = await first.events(2)
    first.socket.close()
    await first.closed
    // Written while the client was away, some in one transaction, some in another.
    await record([messageEvent(), contactEvent()])
    await record([messageEvent()])
    const again = await connect(`?after=${seen.at(-1)!.sequence}`)
    const rest = await again.events(3)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(rest).toHaveLength(3)
    expect(rest[0]!.sequence).toBe(seen.at(-1)!.sequence + 1)
    expect(rest.map((e) => e.event.type)).toEqual(['message.created', 'contact.updated', 'message.created'])
    expect(new Set([...seen, ...rest].map((e) => e.event.id)).size).toBe(5)
    again.socket.close()
  })

  it('tells a client whose cursor is older than the retention so, with where it can start', async () => {
    await record([contactEvent(), contactEvent()])
    const { rows } = await ctx.db
      .selectFrom('streamEvents')
      .select((eb) => eb.fn.max('position').as('max'))
      .execute()
      .then((r) => ({ rows: r }))
    const newest = Number(rows[0]!.max)
    // Everything but the newest event is older than the retention now.
    await ctx.db
      .updateTable('streamEvents')
      .set({ createdAt: new Date(Date.now() - 40 * 86_400_000) })
      .where('position', '<', newest)
      .execute()
    expect(await pruneStreamEvents(ctx.db, 30)).toBeGreaterThan(0)

    const stale = await connect('?after=1')
    const { code } = await stale.closed
    expect(code).toBe(4410)
    expect(stale.frames).toEqual([expect.objectContaining({ type: 'error', code: 'cursor_expired', oldest: newest - 1 })])
    // From where it was told, it gets the newest event.
    const fresh = await connect(`?after=${newest - 1}`)
    expect((await fresh.events(1)).map((e) => e.sequence)).toEqual([newest])
    fresh.socket.close()

    const unknown = await connect(`?after=${newest + 1000}`)
    expect((await unknown.closed).code).toBe(4404)
    expect(unknown.frames[0]).toMatchObject({ type: 'error', code: 'cursor_unknown' })
  })
})

/**
 * A client that completes the WebSocket handshake by hand and then reads nothing at all until told to: what the
 * server sent piles up in the kernel's buffers and then in Carebox's. `frames()` parses what arrived once reading.
 */
async function neverReadingClient(): Promise<{ startReading(): void; ended: Promise<void>; frames(): { opcode: number; payload: Buffer }[] }> {
  const { port } = new URL(wsBase)
  const socket = net.connect(Number(port), '127.0.0.1')
  const chunks: Buffer[] = []
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
  socket.write(
    `GET /api/v1/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${streamToken}\r\n\r\n`,
  )
  // Reads the 101 and the ready frame, then stops reading.
  await new Promise<void>((resolve) =>
    socket.on('data', function first(chunk: Buffer) {
      chunks.push(chunk)
      if (Buffer.concat(chunks).includes('"ready"')) {
        socket.off('data', first)
        socket.pause()
        resolve()
      }
    }),
  )
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  return {
    startReading() {
      socket.on('data', (chunk: Buffer) => chunks.push(chunk))
      socket.on('error', () => {})
      socket.resume()
    },
    ended,
    frames() {
      const all = Buffer.concat(chunks)
      let at = all.indexOf('\r\n\r\n') + 4
      const frames: { opcode: number; payload: Buffer }[] = []
      while (at + 2 <= all.length) {
        const opcode = all[at]! & 0x0f
        let length = all[at + 1]! & 0x7f
        let offset = at + 2
        if (length === 126) {
          length = all.readUInt16BE(offset)
          offset += 2
        } else if (length === 127) {
          length = Number(all.readBigUInt64BE(offset))
          offset += 8
        }
        if (offset + length > all.length) break
        frames.push({ opcode, payload: all.subarray(offset, offset + length) })
        at = offset + length
      }
      return frames
    },
  }
}

describe('a client that never reads', () => {
  it('is told to resume where it was and closed, while another client receives everything meanwhile', async () => {
    const slow = await neverReadingClient()
    const steady = await connect()
    // Events of 16 KB (a catalogue event is small; these are appended as the consumer appends, to fill buffers fast).
    const padding = 'x'.repeat(16_000)
    const count = 2000
    const firstSeq = 1_000_000
    for (let i = 0; i < count; i += 250) {
      await ctx.db
        .insertInto('streamEvents')
        .values(
          Array.from({ length: 250 }, (_, j) => ({
            changeSeq: firstSeq + i + j,
            type: 'contact.updated',
            teamId: teamA,
            body: JSON.stringify({
              id: `evt_${firstSeq + i + j}`,
              type: 'contact.updated',
              occurred_at: new Date().toISOString(),
              team_id: teamA,
              data: { padding },
            }),
          })),
        )
        .execute()
    }
    // Carebox ends the slow client's session (it counts it) and gives it a while to read what it was sent.
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline && !(await metricsText()).includes('carebox_event_stream_closed_total{reason="slow_consumer"} 1')) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    slow.startReading()
    const all = await steady.events(count, 60_000)
    expect(all).toHaveLength(count)
    // Reading again, the slow client found the events it was sent, then where to resume, then the close.
    await slow.ended
    const frames = slow.frames()
    // Pings may come too; the close is the last frame that is not one.
    const close = frames.filter((f) => f.opcode !== 0x9).at(-1)!
    expect(close.opcode).toBe(0x8)
    expect(close.payload.readUInt16BE(0)).toBe(4008)
    const texts = frames.filter((f) => f.opcode === 0x1).map((f) => JSON.parse(f.payload.toString()) as EventStreamFrame)
    const last = texts.at(-1) as Extract<EventStreamFrame, { type: 'error' }>
    expect(last).toMatchObject({ type: 'error', code: 'slow_consumer' })
    const received = texts.filter((f): f is Extract<EventStreamFrame, { type: 'event' }> => f.type === 'event')
    expect(received.length).toBeLessThan(count)
    expect(last.resumeAfter).toBe(received.at(-1)?.sequence ?? all[0]!.sequence - 1)
    // Resuming from there, it gets the rest: every event once.
    const resumed = await connect(`?after=${last.resumeAfter}`)
    const rest = await resumed.events(count - received.length, 60_000)
    expect([...received, ...rest].map((e) => e.sequence)).toEqual(all.map((e) => e.sequence))
    resumed.socket.close()
    steady.socket.close()
  }, 120_000)
})
