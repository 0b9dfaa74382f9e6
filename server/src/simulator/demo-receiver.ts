import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Webhook } from 'standardwebhooks'
import { demoReceiverPageHtml } from './demo-receiver-page.js'

/**
 * The demo's example receiver of Carebox's outbound webhooks: what a customer's own system would be, living in the
 * simulator so that `pnpm start` shows the integration working. It checks each POST the way the integrations spec
 * tells receivers to (npm `standardwebhooks`: `new Webhook(secret).verify(rawBody, headers)` on the raw bytes),
 * answers 2xx when the signature holds and 400 with the reason when it does not, and keeps the last deliveries in
 * memory for its page (GET on the same path).
 */
export const demoReceiverPath = '/demo-receiver'

/** How many deliveries the page shows; older ones are forgotten. */
export const demoReceiverCapacity = 100

/** The `whsec_…` secrets a delivery may be signed with; a function is asked at each delivery, so it can follow rotations. */
export type DemoReceiverSecrets = readonly string[] | (() => Promise<readonly string[]>)

export interface ReceivedWebhook {
  /** The `webhook-id` header (the event's id, the same on every retry and replay); null when missing. */
  id: string | null
  /** The body's `type`, when the body is JSON that names one. */
  type: string | null
  isVerified: boolean
  /** Why the signature was not accepted, in the library's words (or ours when no check could be made). */
  problem: string | null
  /** Whether a delivery with this id was already received: a retry or a replay, which a real receiver would skip. */
  isRepeat: boolean
  receivedAt: Date
}

export interface DemoReceiver {
  /** Sets what the receiver checks signatures with (the secret Carebox gave when the endpoint was made). */
  trust(secrets: DemoReceiverSecrets): void
  /** What it received, newest first (copies). */
  received(): ReceivedWebhook[]
  /** The Fastify plugin serving the path: POST takes deliveries, GET shows them. */
  routes(app: FastifyInstance): Promise<void>
}

const signatureHeaders = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const

/** The three Standard Webhooks headers as plain strings (a repeated header is not a valid delivery: its first value is checked). */
function headersOf(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of signatureHeaders) {
    const value = request.headers[name]
    const first = Array.isArray(value) ? value[0] : value
    if (first !== undefined) out[name] = first
  }
  return out
}

/** The event type named by a body, for the page only: shown as text, at most 100 characters. */
function typeOf(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body)
    const type = parsed && typeof parsed === 'object' ? (parsed as { type?: unknown }).type : undefined
    return typeof type === 'string' ? type.slice(0, 100) : null
  } catch {
    return null
  }
}

/** Accepts the delivery if any of the secrets verifies it (a receiver mid-rotation knows the old and the new one). */
function verify(secrets: readonly string[], body: string, headers: Record<string, string>): string | null {
  if (secrets.length === 0) return 'This receiver has no secret to check signatures with.'
  let problem = 'No matching signature found'
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(body, headers, { jsonParse: false })
      return null
    } catch (error) {
      problem = (error as Error).message
    }
  }
  return problem
}

export function createDemoReceiver(): DemoReceiver {
  let source: DemoReceiverSecrets = []
  const received: ReceivedWebhook[] = []

  const record = (entry: ReceivedWebhook) => {
    received.unshift(entry)
    received.length = Math.min(received.length, demoReceiverCapacity)
  }

  return {
    trust(secrets) {
      source = secrets
    },
    received: () => received.map((entry) => ({ ...entry })),
    async routes(app) {
      // Signatures cover the exact bytes sent: the body is kept as text, whatever its type says, never re-serialised.
      app.removeAllContentTypeParsers()
      app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body))

      app.post(demoReceiverPath, async (request, reply) => {
        const body = typeof request.body === 'string' ? request.body : ''
        const headers = headersOf(request)
        let problem: string | null
        try {
          problem = verify(typeof source === 'function' ? await source() : source, body, headers)
        } catch (error) {
          problem = `The secret could not be read: ${(error as Error).message}`
        }
        const id = headers['webhook-id'] ?? null
        // Within what it remembers: enough to show a retry or a replay for what it is.
        const isRepeat = problem === null && id !== null && received.some((entry) => entry.isVerified && entry.id === id)
        record({ id, type: typeOf(body), isVerified: problem === null, problem, isRepeat, receivedAt: new Date() })
        if (problem !== null) return reply.code(400).type('text/plain; charset=utf-8').send(`Signature not accepted: ${problem}`)
        return reply.type('text/plain; charset=utf-8').send(isRepeat ? 'ok, already received' : 'ok')
      })

      app.get(demoReceiverPath, async (_request, reply) =>
        reply
          .type('text/html; charset=utf-8')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'no-store')
          .send(demoReceiverPageHtml(received)),
      )
    },
  }
}
