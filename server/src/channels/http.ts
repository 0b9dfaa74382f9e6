import { ConnectorError, type OutboundFile } from './connector.js'

export interface PlatformResponse {
  status: number
  headers: Headers
  /** Parsed JSON when the body is JSON, else the text. */
  body: unknown
}

/** Calls other than sends (polls, profiles, logins) are not in a hurry. Sends pass their connector's sendTimeoutMs. */
const defaultTimeoutMs = 15_000

/**
 * fetch for connectors: a timeout on every call, and every failure turned into a ConnectorError that says whether
 * the request can have had an effect (`outcome`), so a send whose fate is unknown is never repeated blindly.
 * It does not judge the status: each connector reads its platform's error body and calls `platformError`.
 */
export async function platformFetch(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<PlatformResponse> {
  const { timeoutMs = defaultTimeoutMs, ...rest } = init
  // One deadline for the whole exchange: the answer's body has to arrive within it too.
  const signal = AbortSignal.timeout(timeoutMs)
  let response: Response
  try {
    // A platform's API answers where it is asked: a redirect is an answer to report, never followed (it could lead a
    // call, and what it carries, to an address no platform uses).
    response = await fetch(url, { ...rest, signal, redirect: 'manual' })
  } catch (error) {
    throw networkError(error, timeoutMs)
  }
  let text: string
  try {
    text = await response.text()
  } catch (error) {
    // The status came, the rest did not: the platform saw the request, and what it did is not known.
    const why = isTimeout(error) ? `the rest did not come within ${inSeconds(timeoutMs)} s` : describeCause(error)
    throw new ConnectorError(`The platform began to answer (HTTP ${response.status}) but the answer broke off (${why}), so whether it acted is unknown`, {
      retryable: true,
      outcome: 'unknown',
    })
  }
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
 * Failures that happen before a single byte of the request reaches the platform (undici puts the code on
 * `error.cause.code`). Anything else, a reset or a closed socket included, may come after the platform read it.
 */
const notSentCauses: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'its address could not be found',
  EAI_AGAIN: 'its address could not be looked up',
  EHOSTUNREACH: 'the network could not reach it',
  ENETUNREACH: 'the network could not reach it',
  UND_ERR_CONNECT_TIMEOUT: 'connecting took too long',
}

function networkError(error: unknown, timeoutMs: number): ConnectorError {
  if (isTimeout(error)) {
    return new ConnectorError(`The platform did not answer within ${inSeconds(timeoutMs)} s, so whether it acted on the request is unknown`, {
      retryable: true,
      outcome: 'unknown',
    })
  }
  const codes = causeCodes(error)
  if (codes.length > 0 && codes.every((code) => code in notSentCauses)) {
    return new ConnectorError(`Could not reach the platform (${notSentCauses[codes[0]!]}); nothing was sent`, { retryable: true, outcome: 'not_sent' })
  }
  return new ConnectorError(`The connection to the platform broke before it answered (${describeCause(error)}), so whether it acted is unknown`, {
    retryable: true,
    outcome: 'unknown',
  })
}

function isTimeout(error: unknown): boolean {
  const name = error instanceof Error ? error.name : undefined
  return name === 'TimeoutError' || name === 'AbortError'
}

/** The error codes behind a failed fetch: its cause's, or every attempt's when Node tried several addresses (AggregateError). */
function causeCodes(error: unknown): string[] {
  const cause: unknown = error instanceof Error && error.cause !== undefined ? error.cause : error
  const attempts = cause instanceof AggregateError && cause.errors.length > 0 ? cause.errors : [cause]
  const codes = attempts.map((attempt: unknown) => (attempt instanceof Error ? (attempt as NodeJS.ErrnoException).code : undefined))
  return codes.every((code): code is string => typeof code === 'string') ? codes : []
}

function describeCause(error: unknown): string {
  const cause: unknown = error instanceof Error && error.cause !== undefined ? error.cause : error
  const code = cause instanceof Error ? (cause as NodeJS.ErrnoException).code : undefined
  if (code === 'ECONNRESET') return 'the connection was reset'
  if (code === 'UND_ERR_SOCKET') return 'the platform closed the connection'
  return cause instanceof Error ? cause.message : String(cause)
}

function inSeconds(ms: number): number {
  return Math.round(ms / 100) / 10
}

/**
 * The same failure, known to have sent nothing: it happened in a step before the send request (a login, a
 * lookup), so whatever that step's own outcome was, the reply itself never left.
 */
export function notSent(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) {
    const { retryable, retryAfterMs, platformCode, status } = error
    return new ConnectorError(error.message, { retryable, retryAfterMs, platformCode, status, outcome: 'not_sent' })
  }
  return new ConnectorError(`A step before sending failed (${error instanceof Error ? error.message : String(error)}); nothing was sent`, {
    retryable: true,
    outcome: 'not_sent',
  })
}

/**
 * A failed upload: the file goes up before the message that carries it, so whatever became of the upload, nothing
 * reached the customer and the whole send may be tried again ('not_sent'); `retryable` stays what the platform said.
 */
export function uploadFailed(error: unknown, platform: string): ConnectorError {
  const failure = notSent(error)
  const { retryable, retryAfterMs, platformCode, status } = failure
  return new ConnectorError(`${platform} did not take the file, so the message was not sent: ${failure.message}`, {
    retryable,
    retryAfterMs,
    platformCode,
    status,
    outcome: 'not_sent',
  })
}

/** An upload the platform took without saying under which id: the message cannot name it, and nothing was sent. */
export function uploadWithoutId(platform: string, status?: number): ConnectorError {
  return new ConnectorError(`${platform} answered the upload without a media id, so the message was not sent`, {
    retryable: true,
    status,
    outcome: 'not_sent',
  })
}

/** A file as a multipart part: append it with its name, `form.append(field, fileBlob(file), file.name)`. */
export function fileBlob(file: OutboundFile): Blob {
  return new Blob([asBytes(file.data)], { type: file.mimeType })
}

/**
 * A Buffer as the fetch types take one. Node's Buffers live on plain ArrayBuffers (never shared ones), which the
 * DOM typings cannot tell from the Buffer type.
 */
export function asBytes(data: Buffer): Uint8Array<ArrayBuffer> {
  return data as Uint8Array<ArrayBuffer>
}

/** A file given for a conversation where the platform carries none (the caller checks first: this is the last guard). */
export function fileRefused(reason: string): ConnectorError {
  return new ConnectorError(reason, { retryable: false, outcome: 'not_sent' })
}

/** A success status whose answer lacks what we need (the new message's id): the platform most likely acted, so this is no refusal. */
export function unreadableAnswer(response: PlatformResponse, message: string): ConnectorError {
  return new ConnectorError(message, { retryable: false, status: response.status, outcome: 'unknown' })
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
