import type { AppContext } from '../context.js'
import { SafeFetchError } from '../media/safe-fetch.js'
import { webhookSignature } from './signature.js'
import { postWebhook } from './webhook-post.js'

/** Spec: 15–30 s. */
export const webhookTimeoutMs = 15_000
export const responseExcerptBytes = 2048
/**
 * A sender starts no new request this long after its batch began, and gives back the claims it did not use, so a
 * batch takes at most this plus one timeout.
 */
export const batchWindowMs = 15_000
/**
 * When a claimed attempt that never recorded its outcome is taken for dead: longer than a batch can take, and the
 * sender lease is as long, so only a sender that died leaves such claims.
 */
export const staleClaimMs = 60_000
/** The longest Retry-After taken as given: the schedule's own longest wait. */
const maxRetryAfterMs = 24 * 3600_000
/** Statuses after which the receiver asks to be left alone for a while (Retry-After is honoured). */
const throttleStatuses = new Set([429, 502, 503, 504])

/** What a delivery attempt needs of its endpoint: where, and the sealed secrets to sign with. */
export interface SigningEndpoint {
  id: string
  url: string
  allowPrivateNetwork: boolean
  secretCiphertext: string
  previousSecretCiphertext: string | null
  previousSecretUntil: Date | null
}

export interface Answer {
  status: number | null
  latencyMs: number
  excerpt: string | null
  error: string | null
  /** Set when the receiver asked to be left alone (429 or a 5xx gateway answer with Retry-After). */
  retryAfterMs?: number
}

/** Retry-After in seconds or as an HTTP date, in ms from now. */
export function retryAfterMs(header: string | string[] | undefined, now: Date): number | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (!value) return undefined
  const seconds = Number(value)
  // Bounded: a receiver's "come back in a year" (or an overflowing number) must not become an unusable date.
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, maxRetryAfterMs)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - now.getTime()), maxRetryAfterMs)
}

/** The endpoint's current secret, and the previous one while a rotation's overlap lasts. */
export function signingSecrets(ctx: AppContext, endpoint: SigningEndpoint, now: Date): string[] {
  const secrets = [ctx.secrets.open<string>(endpoint.secretCiphertext)]
  if (endpoint.previousSecretCiphertext && endpoint.previousSecretUntil && endpoint.previousSecretUntil > now) {
    secrets.push(ctx.secrets.open<string>(endpoint.previousSecretCiphertext))
  }
  return secrets
}

/**
 * One attempt: the body signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) and posted.
 * Any answer is returned; no answer at all (refused address, timeout, connection error) is an answer without status.
 */
export async function attemptDelivery(
  ctx: AppContext,
  endpoint: SigningEndpoint,
  secrets: readonly string[],
  delivery: { id: string; eventId: string; payload: string },
): Promise<Answer> {
  const now = ctx.clock.now()
  const timestamp = Math.floor(now.getTime() / 1000)
  const headers = {
    'content-type': 'application/json',
    'webhook-id': delivery.eventId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': webhookSignature(secrets, delivery.eventId, timestamp, delivery.payload),
  }
  const started = performance.now()
  try {
    const response = await postWebhook(endpoint.url, delivery.payload, {
      allowPrivateNetwork: endpoint.allowPrivateNetwork,
      timeoutMs: webhookTimeoutMs,
      excerptBytes: responseExcerptBytes,
      headers,
    })
    return {
      status: response.status,
      latencyMs: Math.round(performance.now() - started),
      excerpt: response.excerpt,
      error: null,
      retryAfterMs: throttleStatuses.has(response.status) ? retryAfterMs(response.headers['retry-after'], now) : undefined,
    }
  } catch (error) {
    if (!(error instanceof SafeFetchError)) throw error
    ctx.log.debug({ err: error, deliveryId: delivery.id }, 'webhook attempt got no answer')
    return { status: null, latencyMs: Math.round(performance.now() - started), excerpt: null, error: error.message }
  }
}
