/**
 * Outbound calls to the Graph API shared by the Meta connectors, and the mapping of Graph error bodies
 * (`{error:{message, code, error_subcode}}`) to ConnectorErrors in plain words.
 * Rate limits: platforms.md A1 "Rate limits", A4 "Rate limits"; error codes:
 * https://developers.facebook.com/docs/graph-api/guides/error-handling ,
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
 */
import { ConnectorError, type OutboundFile } from '../connector.js'
import { fileBlob, fileRefused, platformError, platformFetch, retryAfterMs, unreadableAnswer, type PlatformResponse } from '../http.js'
import { isRecord } from './meta.payloads.js'

export type MetaPlatform = 'Facebook' | 'Instagram' | 'WhatsApp'

/**
 * POSTs JSON with the channel's bearer token and returns the JSON answer, or throws a ConnectorError.
 * `timeoutMs`: the connector's sendTimeoutMs.
 */
export async function graphPost(
  url: string,
  accessToken: string | undefined,
  body: object,
  platform: MetaPlatform,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  return graphSend(url, accessToken, { 'content-type': 'application/json' }, JSON.stringify(body), platform, timeoutMs)
}

/**
 * POSTs multipart/form-data (a file with its fields: WhatsApp /media, Send API `filedata`), else as graphPost.
 * fetch writes the content type with its boundary.
 */
export async function graphPostForm(
  url: string,
  accessToken: string | undefined,
  form: FormData,
  platform: MetaPlatform,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  return graphSend(url, accessToken, {}, form, platform, timeoutMs)
}

/**
 * A Send API message carrying a file, as multipart/form-data: the request's other fields (`recipient`,
 * `messaging_type`, `tag`; objects as JSON), `message` = `{"attachment":{"type","payload":{"is_reusable":false}}}`
 * with the send's `metadata`, and the bytes as `filedata`. An attachment carries no text: the caller sends the
 * reply's words as a message of their own (shared/src/files.ts, captionMaxLength 0).
 * https://developers.facebook.com/docs/messenger-platform/send-messages/saving-assets#file
 */
export async function graphPostAttachment(
  url: string,
  accessToken: string | undefined,
  fields: Record<string, string | object>,
  message: { text: string; file: OutboundFile; metadata?: string },
  platform: MetaPlatform,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  if (message.text) throw fileRefused(`${platform} attachments carry no text: send the text as a message of its own`)
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) form.append(name, typeof value === 'string' ? value : JSON.stringify(value))
  // Attachment types are named as our file kinds: image, video, audio, file.
  const attachment = { type: message.file.kind, payload: { is_reusable: false } }
  form.append('message', JSON.stringify({ attachment, ...(message.metadata ? { metadata: message.metadata } : {}) }))
  form.append('filedata', fileBlob(message.file), message.file.name)
  return graphPostForm(url, accessToken, form, platform, timeoutMs)
}

async function graphSend(
  url: string,
  accessToken: string | undefined,
  headers: Record<string, string>,
  body: string | FormData,
  platform: MetaPlatform,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  if (!accessToken) throw missingToken(platform)
  const response = await platformFetch(url, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, ...headers }, body, timeoutMs })
  if (response.status < 200 || response.status >= 300 || (isRecord(response.body) && isRecord(response.body.error))) {
    throw metaError(response, platform)
  }
  // Not retryable, and no refusal: the send most likely went through, and a retry could post the reply twice.
  if (!isRecord(response.body)) throw unreadableAnswer(response, `${platform} accepted the request but its answer was not JSON`)
  return response.body
}

function missingToken(platform: MetaPlatform): ConnectorError {
  return new ConnectorError(`The ${platform} channel has no access token: reconnect it in the channel settings`, { retryable: false, outcome: 'not_sent' })
}

/** DELETEs a node (a comment) with the channel's bearer token; throws a ConnectorError unless Graph says it is done. */
export async function graphDelete(url: string, accessToken: string | undefined, platform: MetaPlatform, timeoutMs: number): Promise<void> {
  if (!accessToken) throw missingToken(platform)
  const response = await platformFetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${accessToken}` }, timeoutMs })
  if (response.status < 200 || response.status >= 300 || (isRecord(response.body) && isRecord(response.body.error))) {
    throw metaError(response, platform)
  }
}

/** GETs a node with the channel's bearer token and returns the JSON answer, or throws a ConnectorError. */
export async function graphGet(url: string, accessToken: string | undefined, platform: MetaPlatform): Promise<Record<string, unknown>> {
  if (!accessToken) throw missingToken(platform)
  const response = await platformFetch(url, { method: 'GET', headers: { authorization: `Bearer ${accessToken}` } })
  if (response.status < 200 || response.status >= 300 || (isRecord(response.body) && isRecord(response.body.error))) {
    throw metaError(response, platform)
  }
  if (!isRecord(response.body)) throw new ConnectorError(`${platform} answered with something other than JSON`, { retryable: true, status: response.status })
  return response.body
}

/** The fields of a profile answer that are present and of the right type. */
export function profileText(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field]
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

/** A string field of a successful Graph answer (the new message or comment id). Without it the send most likely happened: outcome unknown. */
export function readResultId(body: Record<string, unknown>, value: unknown, platform: MetaPlatform): string {
  if (typeof value === 'string' && value !== '') return value
  throw new ConnectorError(`${platform} accepted the request but returned no message id (${JSON.stringify(body).slice(0, 200)})`, {
    retryable: false,
    outcome: 'unknown',
  })
}

export function apiUrl(apiBaseUrl: string, ...segments: string[]): string {
  return [apiBaseUrl.replace(/\/+$/, ''), ...segments.map(encodeURIComponent)].join('/')
}

/** Graph throttling codes: application (4), user (17), Page (32), call-rate (613), business use case (80001–80014). */
const graphRateLimitCodes = new Set([4, 17, 32, 613])
const isBusinessUseCaseLimit = (code: number) => code >= 80001 && code <= 80014
/** Temporary errors worth retrying: unknown (1), service (2), WhatsApp "something went wrong" (131000), unavailable (131016). */
const transientCodes = new Set([1, 2, 131000, 131016])

interface GraphError {
  message?: string
  code?: number
  error_subcode?: number
  error_data?: { details?: string }
}

export function metaError(response: PlatformResponse, platform: MetaPlatform): ConnectorError {
  const error: GraphError | undefined = isRecord(response.body) && isRecord(response.body.error) ? (response.body.error as GraphError) : undefined
  const code = typeof error?.code === 'number' ? error.code : undefined
  const subcode = typeof error?.error_subcode === 'number' ? error.error_subcode : undefined
  const platformCode = code === undefined ? undefined : String(code)
  const codes = [code === undefined ? '' : `code ${code}`, subcode === undefined ? '' : `subcode ${subcode}`].filter(Boolean).join(', ')
  const said = error?.message ? ` ${platform} said: "${error.error_data?.details ?? error.message}"${codes ? ` (${codes})` : ''}` : ''
  const { status } = response

  const rateLimitDelay = code === undefined ? undefined : rateLimitDefaultMs(code)
  if (rateLimitDelay !== undefined) {
    const waitMs = retryAfterMs(response.headers) ?? businessUseCaseWaitMs(response.headers) ?? rateLimitDelay
    return new ConnectorError(`${rateLimitWords(code ?? 0, platform)}; the reply will be retried.${said}`, {
      retryable: true,
      retryAfterMs: waitMs,
      platformCode,
      status,
    })
  }
  if (code !== undefined && transientCodes.has(code) && status !== 401 && status !== 403) {
    return new ConnectorError(`${platform} had a temporary problem; the reply will be retried.${said}`, {
      retryable: true,
      retryAfterMs: retryAfterMs(response.headers),
      platformCode,
      status,
    })
  }
  if (status >= 500 || status === 429 || status === 408) {
    return platformError(response, `${platform} could not take the request (HTTP ${status}); the reply will be retried.${said}`, platformCode)
  }
  return new ConnectorError(`${refusalWords(code, subcode, platform)}.${said}`, { retryable: false, platformCode, status })
}

function rateLimitDefaultMs(code: number): number | undefined {
  // WhatsApp pair rate: about one message per 6 s to the same person.
  if (code === 131056) return 6_000
  // WhatsApp throughput: 80 messages/s per number, so a short pause is enough.
  if (code === 130429) return 5_000
  // Graph windows are rolling hours; a minute lets the usage percentage fall.
  if (graphRateLimitCodes.has(code) || isBusinessUseCaseLimit(code)) return 60_000
  return undefined
}

function rateLimitWords(code: number, platform: MetaPlatform): string {
  if (code === 131056) return 'Too many messages were sent to this customer in a short time'
  if (code === 130429) return 'WhatsApp is throttling this phone number (too many messages per second)'
  return `${platform} is rate-limiting this account`
}

/**
 * `X-Business-Use-Case-Usage: {"<id>":[{"type":"messenger","estimated_time_to_regain_access":<minutes>,…}]}`:
 * the longest wait it announces.
 */
function businessUseCaseWaitMs(headers: Headers): number | undefined {
  const header = headers.get('x-business-use-case-usage')
  if (!header) return undefined
  let usage: unknown
  try {
    usage = JSON.parse(header)
  } catch {
    return undefined
  }
  if (!isRecord(usage)) return undefined
  const minutes = Object.values(usage)
    .flatMap((entries) => (Array.isArray(entries) ? entries : []))
    .map((entry: unknown) => (isRecord(entry) ? entry.estimated_time_to_regain_access : undefined))
    .filter((value): value is number => typeof value === 'number' && value > 0)
  return minutes.length ? Math.max(...minutes) * 60_000 : undefined
}

function refusalWords(code: number | undefined, subcode: number | undefined, platform: MetaPlatform): string {
  // Messenger 10/2018278 and Instagram 10/2534022: outside the 24 h window without a usable tag.
  if (subcode === 2018278 || subcode === 2534022) {
    return "The 24-hour reply window has closed: reply with the Human Agent tag (within 7 days of the customer's last message) or wait for them to write again"
  }
  if (code === 131047) {
    return 'More than 24 hours have passed since the customer last wrote, so WhatsApp only accepts a template message now'
  }
  if (code === 190) return `The ${platform} access token is invalid or has expired: reconnect the channel`
  if (code === 551) return 'This person cannot receive messages from the account right now'
  if (code === 131026) return 'WhatsApp could not deliver to this number (it may not use WhatsApp, or must accept the latest terms)'
  if (code === 131051) return 'WhatsApp does not support this message type'
  if (code === 10 || code === 3 || (code !== undefined && code >= 200 && code <= 299)) {
    return `The ${platform} token lacks a permission needed to send this reply`
  }
  if (code === 100) return `${platform} rejected the request as invalid (the comment or person may no longer exist)`
  return `${platform} refused the reply`
}
