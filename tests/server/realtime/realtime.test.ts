import type { ClientToServerEvents, ServerToClientEvents } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { socketAuth } from '../../../server/src/auth/socket-auth.js'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { taskHandlers } from '../../../server/src/queue/handlers.js'
import { startChangeRunner, type ChangeRunner } from '../../../server/src/changes/change-runner.js'
import { changeConsumers } from '../../../server/src/consumers/consumers.js'
import { startWorker, type Worker } from '../../../server/src/queue/queue.js'
import { attachRealtime } from '../../../server/src/realtime/realtime.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, firstTeamId, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { metaBytes, metaSignature } from '../../support/webhooks.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let worker: Worker
let changes: ChangeRunner
let baseUrl: string
let teamA: string
let teamB: string
const sockets: Socket[] = []

type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** A console's socket as the browser opens it: the session cookie, and the page's origin. */
function connect(cookie: string | undefined, origin = baseUrl): ConsoleSocket {
  const socket: ConsoleSocket = io(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { origin, ...(cookie && { cookie }) },
  })
  sockets.push(socket)
  return socket
}

function connected(socket: ConsoleSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
}

function refusal(socket: ConsoleSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, but should have been refused')))
    socket.once('connect_error', (error) => resolve(error.message))
  })
}

function disconnection(socket: ConsoleSocket): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)))
}

async function postToPage(pageId: string, secret: string, mid: string, text: string): Promise<void> {
  const raw = metaBytes({
    object: 'page',
    entry: [
      {
        id: pageId,
        time: 1767225600000,
        messaging: [{ sender: { id: `customer-${mid}` }, recipient: { id: pageId }, timestamp: 1767225599000, message: { mid, text } }],
      },
    ],
  })
  const response = await fetch(`${baseUrl}/webhooks/meta`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(raw, secret) },
    body: new Uint8Array(raw),
  })
  expect(response.status).toBe(200)
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  // As a running Carebox: the worker takes the webhooks' envelopes in, the change runner publishes what they became.
  app = await buildTestApp(ctx, { followChanges: false })
  ctx.realtime = attachRealtime(app.server, ctx.log, socketAuth(ctx))
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' })
  worker = await startWorker(ctx, database.pool, taskHandlers, 2)
  changes = startChangeRunner(ctx, database.url, [...changeConsumers])
  teamA = await firstTeamId(ctx)
  teamB = await createTeam(ctx, 'Team B')
  const page = { kind: 'facebook' as const, settings: { mode: 'webhook' as const, apiBaseUrl: 'http://127.0.0.1:9' } }
  await createChannel(ctx, { ...page, name: 'Acme Page', externalId: '1044', teamId: teamA, secrets: { appSecret: 's3cret', accessToken: 't' } })
  await createChannel(ctx, { ...page, name: 'Other Page', externalId: '2044', teamId: teamB, secrets: { appSecret: 'b-secret', accessToken: 't' } })
})
afterAll(async () => {
  for (const socket of sockets) socket.close()
  await changes.stop()
  await worker.stop()
  await ctx.realtime.close()
  await app.close()
  await database.drop()
})

describe('message.created', () => {
  it('reaches the consoles of the channel team, with its conversation, and no other team', async () => {
    const agentA = await signedInAs(ctx, app, 'agent', [teamA])
    const agentB = await signedInAs(ctx, app, 'agent', [teamB])
    const admin = await signedInAs(ctx, app, 'admin', [])
    const [socketA, socketB, socketAdmin] = [connect(agentA.cookie), connect(agentB.cookie), connect(admin.cookie)]
    await Promise.all([connected(socketA), connected(socketB), connected(socketAdmin)])
    const leakedToB: unknown[] = []
    socketB.on('message.created', (event) => leakedToB.push(event))
    const atA = new Promise<Parameters<ServerToClientEvents['message.created']>[0]>((resolve) => socketA.once('message.created', resolve))
    const atAdmin = new Promise<Parameters<ServerToClientEvents['message.created']>[0]>((resolve) => socketAdmin.once('message.created', resolve))

    await postToPage('1044', 's3cret', 'm_live', '<img src=x onerror=alert(1)> is my order lost?')
    const event = await atA

    expect(event.message).toMatchObject({ direction: 'inbound', authorKind: 'contact', text: '<img src=x onerror=alert(1)> is my order lost?' })
    expect(event.conversation).toMatchObject({
      channel: { kind: 'facebook', name: 'Acme Page' },
      kind: 'dm',
      status: 'open',
      messageCount: 1,
      lastMessagePreview: '<img src=x onerror=alert(1)> is my order lost?',
    })
    expect((await atAdmin).message.id).toBe(event.message.id)
    // Team B's own next message arrives at B's console: by then anything of team A would have too.
    const atB = new Promise<Parameters<ServerToClientEvents['message.created']>[0]>((resolve) => socketB.once('message.created', resolve))
    await postToPage('2044', 'b-secret', 'm_team_b', 'for team B')
    expect((await atB).message.text).toBe('for team B')
    expect(leakedToB.map((e) => (e as { message: { text: string } }).message.text)).toEqual(['for team B'])
  })
})

describe('socket handshake', () => {
  it('refuses a console without a session', async () => {
    expect(await refusal(connect(undefined))).toBe('unauthorized')
  })

  it('refuses a forged or ended session cookie', async () => {
    expect(await refusal(connect('carebox_session=not-a-session'))).toBe('unauthorized')
    const agent = await signedInAs(ctx, app, 'agent')
    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: agent.headers })
    expect(await refusal(connect(agent.cookie))).toBe('unauthorized')
  })

  it('refuses a page of another site, even with a valid session cookie', async () => {
    const agent = await signedInAs(ctx, app, 'agent')
    expect(await refusal(connect(agent.cookie, 'https://evil.example'))).toBe('forbidden')
  })
})

describe('ending access ends the socket', () => {
  async function liveConsole(): Promise<{ user: SignedIn; socket: ConsoleSocket }> {
    const user = await signedInAs(ctx, app, 'agent', [teamA])
    const socket = connect(user.cookie)
    await connected(socket)
    return { user, socket }
  }

  it('signing out closes that session socket at once', async () => {
    const { user, socket } = await liveConsole()
    const closed = disconnection(socket)

    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: user.headers })

    expect(await closed).toBe('io server disconnect')
  })

  it('deactivating a user closes their sockets, and they cannot reconnect', async () => {
    const { user, socket } = await liveConsole()
    const admin = await signedInAs(ctx, app, 'admin')
    const closed = disconnection(socket)

    const response = await app.inject({ method: 'POST', url: `/api/users/${user.userId}/deactivate`, headers: admin.headers })

    expect(response.statusCode).toBe(200)
    expect(await closed).toBe('io server disconnect')
    expect(await refusal(connect(user.cookie))).toBe('unauthorized')
  })
})

describe('who else is here', () => {
  async function conversationOfTeamA(): Promise<string> {
    const mid = `m_presence_${Date.now()}`
    await postToPage('1044', 's3cret', mid, 'presence please')
    for (;;) {
      const row = await ctx.db.selectFrom('messages').select('conversationId').where('externalId', '=', mid).executeTakeFirst()
      if (row) return row.conversationId
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  function nextEvent<E extends keyof ServerToClientEvents>(socket: ConsoleSocket, event: E): Promise<Parameters<ServerToClientEvents[E]>[0]> {
    return new Promise((resolve) =>
      (socket.once as (e: string, cb: (payload: unknown) => void) => void)(event, (payload) => resolve(payload as Parameters<ServerToClientEvents[E]>[0])),
    )
  }

  it("shows teammates viewing and typing, and never lets another team's console into the room", async () => {
    const conversationId = await conversationOfTeamA()
    const [alex, kim, outsider] = [
      await signedInAs(ctx, app, 'agent', [teamA]),
      await signedInAs(ctx, app, 'agent', [teamA]),
      await signedInAs(ctx, app, 'agent', [teamB]),
    ]
    const [alexSocket, kimSocket, outsiderSocket] = [connect(alex.cookie), connect(kim.cookie), connect(outsider.cookie)]
    await Promise.all([connected(alexSocket), connected(kimSocket), connected(outsiderSocket)])

    const alone = nextEvent(alexSocket, 'conversation.viewers')
    alexSocket.emit('conversation.watch', { conversationId })
    expect((await alone).viewers.map((v) => v.id)).toEqual([alex.userId])

    const together = nextEvent(alexSocket, 'conversation.viewers')
    kimSocket.emit('conversation.watch', { conversationId })
    expect((await together).viewers.map((v) => v.id).sort()).toEqual([alex.userId, kim.userId].sort())

    const seenByAlex: string[] = []
    alexSocket.on('conversation.typing', ({ user }) => seenByAlex.push(user.id))
    outsiderSocket.emit('conversation.watch', { conversationId })
    outsiderSocket.emit('conversation.typing', { conversationId, mode: 'reply' })
    const kimTyping = nextEvent(alexSocket, 'conversation.typing')
    kimSocket.emit('conversation.typing', { conversationId, mode: 'note' })

    expect(await kimTyping).toMatchObject({ conversationId, user: { id: kim.userId }, mode: 'note' })
    expect(seenByAlex).toEqual([kim.userId])
  })

  it('notifies a teammate when a conversation is assigned to them or they are mentioned, and refuses mentioning a stranger', async () => {
    const conversationId = await conversationOfTeamA()
    const lead = await signedInAs(ctx, app, 'lead', [teamA])
    const agent = await signedInAs(ctx, app, 'agent', [teamA])
    const stranger = await signedInAs(ctx, app, 'agent', [teamB])
    const agentSocket = connect(agent.cookie)
    await connected(agentSocket)

    const assigned = nextEvent(agentSocket, 'notification.created')
    await app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/assign`, headers: lead.headers, payload: { assigneeId: agent.userId } })
    expect(await assigned).toMatchObject({ kind: 'assigned', conversationId, by: { id: lead.userId } })

    const mentioned = nextEvent(agentSocket, 'notification.created')
    const note = await app.inject({
      method: 'POST',
      url: `/api/conversations/${conversationId}/notes`,
      headers: lead.headers,
      payload: { text: 'can you take this one?', clientKey: crypto.randomUUID(), mentions: [agent.userId] },
    })
    expect(note.statusCode).toBe(200)
    expect(await mentioned).toMatchObject({ kind: 'mentioned', conversationId, preview: 'can you take this one?' })

    const notesBefore = await ctx.db.selectFrom('messages').select('id').where('conversationId', '=', conversationId).where('kind', '=', 'note').execute()
    const refused = await app.inject({
      method: 'POST',
      url: `/api/conversations/${conversationId}/notes`,
      headers: lead.headers,
      payload: { text: 'psst', clientKey: crypto.randomUUID(), mentions: [stranger.userId] },
    })
    expect(refused.statusCode).toBe(400)
    expect(await ctx.db.selectFrom('messages').select('id').where('conversationId', '=', conversationId).where('kind', '=', 'note').execute()).toEqual(
      notesBefore,
    )
  })
})
