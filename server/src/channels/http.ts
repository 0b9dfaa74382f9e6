import { ConnectorError } from './connector.js'

export interface PlatformResponse {
  status: number
  headers: Headers
  /** Parsed JSON when the body is JSON, else the text. */
  body: unknown
}

/**
 * fetch for connectors: a timeout on every call, and network failures turned into retryable ConnectorErrors.
 * It does not judge the status: each connector reads its platform's error body and calls `platformError`.
 */
export async function platformFetch(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<PlatformResponse> {
  const { timeoutMs = 15_000, ...rest } = init
  let response: Response
  try {
    response = await fetch(url, { ...rest, signal: AbortSignal.timeout(timeoutMs) })
  } catch (error) {
    const isTimeout = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError'
    throw new ConnectorError(isTimeout ? `The platform did not answer within ${timeoutMs / 1000} s` : `Could not reach the platform (${(error as Error).message})`, {
      retryable: true,
    })
  }
  const text = await response.text()
  let body: unknown = text
  if (text && (response.headers.get('content-type') ?? '').includes('json')) {
    try {
      body = JSON.parse(text)
    } catch {
      body = text
    }
  }
  return { status: response.status, headers: response.headers, body }
}

/**
 * How long a 429 asks us to wait: Retry-After (seconds or HTTP date), or a reset timestamp header
 * (x-rate-limit-reset in epoch seconds on X, X-RateLimit-Reset as an ISO date on Mastodon).
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after')
  if (retryAfter) {
    const seconds = Number(retryAfter)
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
    const date = Date.parse(retryAfter)
    if (Number.isFinite(date)) return Math.max(0, date - now)
  }
  const reset = headers.get('x-rate-limit-reset') ?? headers.get('x-ratelimit-reset')
  if (reset) {
    const epoch = Number(reset)
    if (Number.isFinite(epoch)) return Math.max(0, epoch * 1000 - now)
    const date = Date.parse(reset)
    if (Number.isFinite(date)) return Math.max(0, date - now)
  }
  return undefined
}

/** The standard mapping from an HTTP failure to a ConnectorError: 429 and 5xx retry, other 4xx do not. */
export function platformError(response: PlatformResponse, message: string, platformCode?: string): ConnectorError {
  const { status } = response
  if (status === 429) {
    return new ConnectorError(message, { retryable: true, retryAfterMs: retryAfterMs(response.headers) ?? 60_000, platformCode, status })
  }
  return new ConnectorError(message, { retryable: status >= 500 || status === 408, platformCode, status })
}
