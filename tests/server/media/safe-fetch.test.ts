import type { LookupOptions } from 'node:dns'
import type * as dnsPromises from 'node:dns/promises'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isPublicAddress, safeFetch, SafeFetchError, type SafeFetchOptions } from '../../../server/src/media/safe-fetch.js'

/** Names the tests make up, answered in place of the system resolver; every other name resolves for real. */
const fakeDns = vi.hoisted(() => new Map<string, { address: string; family: number }[]>())

vi.mock('node:dns/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof dnsPromises>()
  const lookup = (hostname: string, options: LookupOptions) => {
    const fake = fakeDns.get(hostname)
    return fake ? Promise.resolve(fake) : actual.lookup(hostname, options)
  }
  return { ...actual, default: { ...actual, lookup }, lookup }
})

interface TestServer {
  origin: string
  port: number
  /** Requests that reached the server, as "METHOD path". */
  requests: string[]
  /** Headers of the latest request. */
  lastHeaders: http.IncomingHttpHeaders | undefined
}

const closers: (() => Promise<void>)[] = []

afterEach(async () => {
  fakeDns.clear()
  await Promise.all(closers.splice(0).map((close) => close()))
})

async function startServer(handler: (request: IncomingMessage, response: ServerResponse) => void, host = '127.0.0.1'): Promise<TestServer> {
  const state: TestServer = { origin: '', port: 0, requests: [], lastHeaders: undefined }
  const server = http.createServer((request, response) => {
    state.requests.push(`${request.method} ${request.url}`)
    state.lastHeaders = request.headers
    handler(request, response)
  })
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve))
  closers.push(() => new Promise((resolve) => server.close(() => resolve()).closeAllConnections()))
  state.port = (server.address() as AddressInfo).port
  state.origin = `http://${host.includes(':') ? `[${host}]` : host}:${state.port}`
  return state
}

/** A server on a host this machine may not have (IPv6 loopback, 127.0.0.2); undefined where it cannot listen. */
async function startServerIfPossible(handler: (request: IncomingMessage, response: ServerResponse) => void, host: string) {
  try {
    return await startServer(handler, host)
  } catch {
    return undefined
  }
}

/** A raw TCP server, for answers node:http would not produce (a body delimited by closing the connection). */
async function startRawServer(onConnection: (socket: net.Socket) => void): Promise<TestServer> {
  const state: TestServer = { origin: '', port: 0, requests: [], lastHeaders: undefined }
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.once('data', () => {
      state.requests.push('raw')
      onConnection(socket)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(
    () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  )
  state.port = (server.address() as AddressInfo).port
  state.origin = `http://127.0.0.1:${state.port}`
  return state
}

const ok =
  (body = 'hello') =>
  (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/plain' }).end(body)
  }

function options(overrides: Partial<SafeFetchOptions> = {}): SafeFetchOptions {
  return { allowOrigins: [], maxBytes: 1024 * 1024, timeoutMs: 5_000, ...overrides }
}

async function failure(promise: Promise<unknown>): Promise<SafeFetchError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(SafeFetchError)
  return error as SafeFetchError
}

describe('safeFetch', () => {
  it('refuses a loopback address when its origin is not allowed', async () => {
    const server = await startServer(ok())

    const error = await failure(safeFetch(`${server.origin}/x`, options()))

    expect(error.reason).toBe('blocked_address')
    expect(server.requests).toEqual([])
  })

  it('fetches from a loopback address when its exact origin is allowed', async () => {
    const server = await startServer(ok('simulated photo'))

    const response = await safeFetch(`${server.origin}/x?y=1`, options({ allowOrigins: [server.origin] }))

    expect(response.status).toBe(200)
    expect(response.body.toString()).toBe('simulated photo')
    expect(response.url).toBe(`${server.origin}/x?y=1`)
    expect(server.requests).toEqual(['GET /x?y=1'])
  })

  it('refuses the cloud metadata address without trying to connect', async () => {
    const started = performance.now()

    const error = await failure(safeFetch('http://169.254.169.254/latest/meta-data', options({ timeoutMs: 10_000 })))

    expect(error.reason).toBe('blocked_address')
    expect(performance.now() - started).toBeLessThan(500)
  })

  it('refuses the IPv6 loopback', async () => {
    const server = await startServerIfPossible(ok(), '::1')
    const port = server?.port ?? 80

    const error = await failure(safeFetch(`http://[::1]:${port}/`, options()))

    expect(error.reason).toBe('blocked_address')
    expect(server?.requests ?? []).toEqual([])
  })

  it('refuses the unspecified addresses', async () => {
    const server = await startServer(ok())

    const v4 = await failure(safeFetch(`http://0.0.0.0:${server.port}/`, options()))
    const v6 = await failure(safeFetch(`http://[::]:${server.port}/`, options()))

    expect([v4.reason, v6.reason]).toEqual(['blocked_address', 'blocked_address'])
    expect(server.requests).toEqual([])
  })

  it('refuses an IPv4-mapped IPv6 loopback even when the plain IPv4 origin is allowed', async () => {
    const server = await startServer(ok())

    const error = await failure(safeFetch(`http://[::ffff:127.0.0.1]:${server.port}/`, options({ allowOrigins: [server.origin] })))

    expect(error.reason).toBe('blocked_address')
    expect(server.requests).toEqual([])
  })

  it('refuses loopback written the ways URL parsers accept (decimal, hex, short forms)', async () => {
    const server = await startServer(ok())

    const reasons = await Promise.all(
      [`http://2130706433:${server.port}/`, `http://0x7f.1:${server.port}/`, `http://127.1:${server.port}/`].map(
        async (url) => (await failure(safeFetch(url, options()))).reason,
      ),
    )

    expect(reasons).toEqual(['blocked_address', 'blocked_address', 'blocked_address'])
    expect(server.requests).toEqual([])
  })

  it('refuses a name that resolves to loopback', async () => {
    const server = await startServer(ok())

    const error = await failure(safeFetch(`http://localhost:${server.port}/`, options()))

    expect(error.reason).toBe('blocked_address')
    expect(server.requests).toEqual([])
  })

  it('refuses a name when any one of its addresses is private', async () => {
    const server = await startServer(ok())
    fakeDns.set('mixed.carebox.test', [
      { address: '93.184.215.14', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ])

    const error = await failure(safeFetch(`http://mixed.carebox.test:${server.port}/`, options()))

    expect(error.reason).toBe('blocked_address')
    expect(server.requests).toEqual([])
  })

  it('connects to the address it checked instead of resolving the name again', async () => {
    const server = await startServer(ok('pinned'))
    // The system resolver does not know this name, so the request can only arrive if the checked answer is used.
    fakeDns.set('simulator.carebox.test', [{ address: '127.0.0.1', family: 4 }])
    const origin = `http://simulator.carebox.test:${server.port}`

    const response = await safeFetch(`${origin}/photo`, options({ allowOrigins: [origin] }))

    expect(response.body.toString()).toBe('pinned')
    expect(server.lastHeaders?.host).toBe(`simulator.carebox.test:${server.port}`)
  })

  it('refuses a redirect from an allowed origin to another loopback address', async () => {
    const target = await startServerIfPossible(ok(), '127.0.0.2')
    const port = target?.port ?? 80
    const server = await startServer((_request, response) => {
      response.writeHead(302, { location: `http://127.0.0.2:${port}/secret` }).end()
    })

    const error = await failure(safeFetch(`${server.origin}/start`, options({ allowOrigins: [server.origin] })))

    expect(error.reason).toBe('blocked_address')
    expect(server.requests).toEqual(['GET /start'])
    expect(target?.requests ?? []).toEqual([])
  })

  it('refuses a redirect from an allowed origin to the metadata address', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' }).end()
    })

    const error = await failure(safeFetch(`${server.origin}/start`, options({ allowOrigins: [server.origin] })))

    expect(error.reason).toBe('blocked_address')
  })

  it('refuses a redirect to a loopback origin that is not the allowed one (other port)', async () => {
    const target = await startServer(ok('internal admin page'))
    const server = await startServer((_request, response) => {
      response.writeHead(307, { location: `${target.origin}/admin` }).end()
    })

    const error = await failure(safeFetch(`${server.origin}/start`, options({ allowOrigins: [server.origin] })))

    expect(error.reason).toBe('blocked_address')
    expect(target.requests).toEqual([])
  })

  it('follows up to three redirects, relative ones included', async () => {
    const server = await startServer((request, response) => {
      const hop = Number(request.url?.slice(1))
      if (hop < 3) response.writeHead(302, { location: `/${hop + 1}` }).end()
      else ok('arrived')(request, response)
    })

    const response = await safeFetch(`${server.origin}/0`, options({ allowOrigins: [server.origin] }))

    expect(response.body.toString()).toBe('arrived')
    expect(response.url).toBe(`${server.origin}/3`)
    expect(server.requests).toEqual(['GET /0', 'GET /1', 'GET /2', 'GET /3'])
  })

  it('refuses a fourth redirect', async () => {
    const server = await startServer((request, response) => {
      const hop = Number(request.url?.slice(1))
      response.writeHead(302, { location: `/${hop + 1}` }).end()
    })

    const error = await failure(safeFetch(`${server.origin}/0`, options({ allowOrigins: [server.origin] })))

    expect(error.reason).toBe('too_many_redirects')
    expect(server.requests).toEqual(['GET /0', 'GET /1', 'GET /2', 'GET /3'])
  })

  it('drops the Authorization header on a redirect to another origin', async () => {
    const cdn = await startServer(ok('bytes'))
    const api = await startServer((_request, response) => {
      response.writeHead(302, { location: `${cdn.origin}/file` }).end()
    })

    await safeFetch(`${api.origin}/media`, options({ allowOrigins: [api.origin, cdn.origin], headers: { Authorization: 'Bearer secret' } }))

    expect(cdn.requests).toEqual(['GET /file'])
    expect(cdn.lastHeaders?.authorization).toBeUndefined()
  })

  it('refuses a chunked body over the cap although no Content-Length announced it', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' })
      const chunk = Buffer.alloc(16 * 1024, 1)
      let sent = 0
      const write = () => {
        while (sent < 64) {
          sent++
          if (!response.write(chunk)) return response.once('drain', write)
        }
        response.end()
      }
      write()
    })

    const error = await failure(safeFetch(`${server.origin}/big`, options({ allowOrigins: [server.origin], maxBytes: 100 * 1024 })))

    expect(error.reason).toBe('too_large')
  })

  it('refuses a body delimited by closing the connection once it passes the cap', async () => {
    const server = await startRawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n')
      socket.end(Buffer.alloc(300 * 1024, 2))
    })

    const error = await failure(safeFetch(`${server.origin}/big`, options({ allowOrigins: [server.origin], maxBytes: 100 * 1024 })))

    expect(error.reason).toBe('too_large')
  })

  it('refuses at once a body whose Content-Length is over the cap', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-length': String(50 * 1024 * 1024) })
      response.write(Buffer.alloc(1024))
    })

    const error = await failure(safeFetch(`${server.origin}/big`, options({ allowOrigins: [server.origin], maxBytes: 100 * 1024 })))

    expect(error.reason).toBe('too_large')
  })

  it('accepts a body of exactly the cap', async () => {
    const server = await startServer(ok('x'.repeat(1000)))

    const response = await safeFetch(`${server.origin}/`, options({ allowOrigins: [server.origin], maxBytes: 1000 }))

    expect(response.body.length).toBe(1000)
  })

  it('times out when the server never answers', async () => {
    const server = await startServer(() => {})
    const started = performance.now()

    const error = await failure(safeFetch(`${server.origin}/slow`, options({ allowOrigins: [server.origin], timeoutMs: 200 })))

    expect(error.reason).toBe('timeout')
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  it('times out when the body trickles in past the deadline', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200)
      const timer = setInterval(() => response.write('.'), 50)
      response.on('close', () => clearInterval(timer))
    })

    const error = await failure(safeFetch(`${server.origin}/trickle`, options({ allowOrigins: [server.origin], timeoutMs: 300 })))

    expect(error.reason).toBe('timeout')
  })

  it('reports a non-2xx answer without its body', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('internal-secret-detail')
    })

    const error = await failure(safeFetch(`${server.origin}/missing`, options({ allowOrigins: [server.origin] })))

    expect(error.reason).toBe('bad_status')
    expect(error.status).toBe(404)
    expect(error.message).not.toContain('internal-secret-detail')
  })

  it('refuses URLs that are not http(s), carry credentials or do not parse', async () => {
    const reasons = await Promise.all(
      ['file:///etc/passwd', 'gopher://127.0.0.1:70/', 'http://user:pass@example.com/', 'not a url'].map(
        async (url) => (await failure(safeFetch(url, options()))).reason,
      ),
    )

    expect(reasons).toEqual(['bad_url', 'bad_url', 'bad_url', 'bad_url'])
  })
})

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '255.255.255.255',
    '192.0.2.10',
    '198.18.0.1',
    '240.0.0.1',
    '::',
    '::1',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::7f00:1',
    '64:ff9b::7f00:1',
    '2001:db8::1',
    'not an address',
  ])('is false for %s', (address) => {
    expect(isPublicAddress(address)).toBe(false)
  })

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a03:2880:f10c:83:face:b00c:0:25de', '::ffff:8.8.8.8'])(
    'is true for %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true)
    },
  )
})
