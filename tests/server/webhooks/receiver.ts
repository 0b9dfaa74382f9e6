import { createRequire } from 'node:module'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** The parts of npm `standardwebhooks` the tests use (a devDependency of the server, loaded from there). */
export interface StandardWebhook {
  sign(msgId: string, timestamp: Date, payload: string): string
  verify(payload: string, headers: Record<string, string>): unknown
}
const library = createRequire(new URL('../../../server/package.json', import.meta.url))('standardwebhooks') as {
  Webhook: new (secret: string) => StandardWebhook
}
export const Webhook = library.Webhook

export interface Received {
  headers: Record<string, string>
  body: string
}

/**
 * A webhook receiver on 127.0.0.1 (reached through the admin's explicit private-network exception). It answers
 * each request with the next status of `answers`, then with `then` (200 unless set).
 */
export async function startReceiver() {
  const received: Received[] = []
  const state = { answers: [] as { status: number; body?: string; headers?: Record<string, string> }[], then: 200 }
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ headers: request.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') })
      const answer = state.answers.shift() ?? { status: state.then }
      response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers })
      response.end(answer.body ?? `answered ${answer.status}`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
