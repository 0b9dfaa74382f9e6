import { createServer as createHttpServer } from 'node:http'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ConnectorError } from '../../../server/src/channels/connector.js'
import { notSent, platformFetch } from '../../../server/src/channels/http.js'

const servers: { server: Server; sockets: Set<Socket> }[] = []

afterEach(async () => {
  for (const { server, sockets } of servers.splice(0)) {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
})

/** A loopback server that does `onRequest` with each connection once the request bytes have arrived. */
async function startServer(onRequest: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.once('data', () => onRequest(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push({ server, sockets })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`
}

/** A port on loopback that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createHttpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => expect.unreachable('the call should have failed'),
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(ConnectorError)
  return error as ConnectorError
}

const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hello"}' }

describe('platformFetch', () => {
  it('says nothing was sent when the connection is refused', async () => {
    const port = await closedPort()

    const error = await failureOf(platformFetch(`http://127.0.0.1:${port}/send`, post))

    expect(error).toMatchObject({ outcome: 'not_sent', retryable: true, status: undefined })
    expect(error.message).toBe('Could not reach the platform (the connection was refused); nothing was sent')
  })

  it('calls the outcome unknown when the platform never answers within the timeout', async () => {
    const url = await startServer(() => undefined)

    const error = await failureOf(platformFetch(url, { ...post, timeoutMs: 200 }))

    expect(error).toMatchObject({ outcome: 'unknown', retryable: true })
    expect(error.message).toBe('The platform did not answer within 0.2 s, so whether it acted on the request is unknown')
  })

  it('calls the outcome unknown when the platform drops the connection after reading the request', async () => {
    const url = await startServer((socket) => socket.destroy())

    const error = await failureOf(platformFetch(url, post))

    expect(error).toMatchObject({ outcome: 'unknown', retryable: true, status: undefined })
    expect(error.message).toMatch(/^The connection to the platform broke before it answered \(.+\), so whether it acted is unknown$/)
  })

  it('calls the outcome unknown when the answer breaks off after its status', async () => {
    const url = await startServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"id":')
      setTimeout(() => socket.destroy(), 20)
    })

    const error = await failureOf(platformFetch(url, post))

    expect(error).toMatchObject({ outcome: 'unknown', status: undefined })
    expect(error.message).toMatch(/^The platform began to answer \(HTTP 200\) but the answer broke off/)
  })

  it('reads a JSON answer', async () => {
    const url = await startServer((socket) => socket.end('HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"id":"42"}'))

    const response = await platformFetch(url, post)

    expect(response).toMatchObject({ status: 201, body: { id: '42' } })
  })
})

describe('notSent', () => {
  it("keeps a failure's words and status but marks that the reply never left", () => {
    const loginFailed = new ConnectorError('Bluesky login failed: rate limit reached', { retryable: true, retryAfterMs: 5000, status: 429 })

    expect(notSent(loginFailed)).toMatchObject({ message: loginFailed.message, retryable: true, retryAfterMs: 5000, status: 429, outcome: 'not_sent' })
    expect(notSent(new Error('boom'))).toMatchObject({ outcome: 'not_sent', retryable: true })
  })
})
