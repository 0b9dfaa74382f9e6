import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, expect } from 'vitest'

/** A request as a throwaway platform saw it. */
export interface PlatformRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  /** The JSON body, parsed; undefined when there was none. */
  body: unknown
}

export interface PlatformReply {
  status?: number
  headers?: Record<string, string>
  body: unknown
}

const servers: { close: () => void }[] = []
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

/**
 * A throwaway platform on 127.0.0.1 for connector tests: records each request and answers with `answer`
 * (given the server's base URL, for replies that link back to it, such as Mastodon's Link header).
 * Servers close after each test.
 */
export async function startPlatform(answer: (request: PlatformRequest, baseUrl: string) => PlatformReply) {
  const requests: PlatformRequest[] = []
  let baseUrl = ''
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', baseUrl)
      const text = Buffer.concat(chunks).toString('utf8')
      const request = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      }
      requests.push(request)
      const reply = answer(request, baseUrl)
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...reply.headers })
      res.end(JSON.stringify(reply.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push({ close: () => server.close() && server.closeAllConnections() })
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url: baseUrl, requests }
}

/** The error a call fails with; the test fails if the call succeeds. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the call should have failed'),
    (error: unknown) => error,
  )
}
