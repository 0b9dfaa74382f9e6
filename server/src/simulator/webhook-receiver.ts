import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A throwaway HTTP endpoint that records what the simulator delivers: for tests and benchmarks that need a
 * webhook target without Carebox. Answers 200 unless `respond` (or the `statuses` queue) says otherwise.
 */

export interface ReceivedRequest {
  method: string
  /** Path and query. */
  url: string
  headers: IncomingHttpHeaders
  rawBody: Buffer
  at: Date
}

export interface ReceiverAnswer {
  status: number
  body?: string
  headers?: Record<string, string>
}

export interface WebhookReceiver {
  url: string
  received: ReceivedRequest[]
  /** Statuses to answer the next POSTs with, in order; then 200. */
  statuses: number[]
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>
  close(): Promise<void>
}

export async function startWebhookReceiver(respond?: (request: ReceivedRequest) => ReceiverAnswer | undefined): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = []
  const statuses: number[] = []
  const listeners = new Set<() => void>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks)
      const request: ReceivedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, rawBody, at: new Date() }
      received.push(request)
      for (const listener of listeners) listener()
      const answer = respond?.(request) ?? { status: request.method === 'POST' ? (statuses.shift() ?? 200) : 200 }
      res.writeHead(answer.status, answer.headers ?? { 'content-type': 'text/plain' })
      res.end(answer.body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    statuses,
    waitFor: (count, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        if (received.length >= count) return resolve(received.slice())
        const listener = () => {
          if (received.length < count) return
          clearTimeout(timer)
          listeners.delete(listener)
          resolve(received.slice())
        }
        const timer = setTimeout(() => {
          listeners.delete(listener)
          reject(new Error(`Expected ${count} webhook requests within ${timeoutMs} ms, got ${received.length}`))
        }, timeoutMs)
        listeners.add(listener)
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
