import { randomBytes, randomInt } from 'node:crypto'
import { isMetaKind } from './payloads/meta.js'
import { metaJson, signMeta, signMetaSha1, signX, xCrcResponseToken } from './signatures.js'
import { sleep, type SimState } from './state.js'
import type { DeliverRawOptions, DeliveryReport, HandshakeReport, SimAccount } from './types.js'

/** One webhook POST, exactly as the platform would send it: these bytes, these headers. */
export interface OutgoingWebhook {
  url: string
  body: string
  headers: Record<string, string>
}

/**
 * Serialises and signs a body the way `account`'s platform does: Meta escapes non-ASCII and signs hex HMAC
 * (X-Hub-Signature-256), X signs base64 HMAC (x-twitter-webhooks-signature), Telegram sends the secret token.
 * A string body is sent as is, so tests can sign odd bytes.
 */
export function buildWebhook(account: SimAccount, body: object | string, options: DeliverRawOptions = {}): OutgoingWebhook {
  if (!account.webhookUrl) throw new Error(`Account ${account.externalId} has no webhookUrl`)
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  let raw: string
  if (isMetaKind(account.kind)) {
    raw = typeof body === 'string' ? body : metaJson(body)
    headers['user-agent'] = 'facebookexternalua'
    const secret = account.secrets.appSecret
    if (secret) {
      headers['x-hub-signature'] = signMetaSha1(raw, secret)
      headers['x-hub-signature-256'] = signMeta(raw, secret)
    }
    applySignature(headers, 'x-hub-signature-256', options.signature)
  } else if (account.kind === 'x') {
    raw = typeof body === 'string' ? body : JSON.stringify(body)
    if (account.secrets.consumerSecret) headers['x-twitter-webhooks-signature'] = signX(raw, account.secrets.consumerSecret)
    applySignature(headers, 'x-twitter-webhooks-signature', options.signature)
  } else if (account.kind === 'telegram') {
    raw = typeof body === 'string' ? body : JSON.stringify(body)
    if (account.secrets.webhookSecret) headers['x-telegram-bot-api-secret-token'] = account.secrets.webhookSecret
    applySignature(headers, 'x-telegram-bot-api-secret-token', options.signature)
  } else {
    throw new Error(`${account.kind} has no webhooks: its accounts are polled`)
  }
  return { url: account.webhookUrl, body: raw, headers: { ...headers, ...options.headers } }
}

function applySignature(headers: Record<string, string>, name: string, signature: string | false | undefined): void {
  if (signature === false) delete headers[name]
  else if (signature !== undefined) headers[name] = signature
}

/**
 * POSTs a webhook, retrying on a non-2xx answer or a network error on the compressed schedule, then gives up,
 * as the platforms do over minutes to days.
 */
export async function deliverWebhook(state: SimState, webhook: OutgoingWebhook, options: { retry?: boolean } = {}): Promise<DeliveryReport> {
  const schedule = options.retry === false ? [] : state.options.retryScheduleMs
  let attempts = 0
  let finalStatus = 0
  let error: string | undefined
  for (;;) {
    if (state.shutdown.signal.aborted) return { attempts, finalStatus, delivered: false, error: 'the simulator closed' }
    attempts += 1
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: webhook.headers,
        body: webhook.body,
        redirect: 'manual',
        signal: AbortSignal.any([state.shutdown.signal, AbortSignal.timeout(state.options.webhookTimeoutMs)]),
      })
      finalStatus = response.status
      await response.arrayBuffer().catch(() => undefined)
      if (response.ok) return { attempts, finalStatus, delivered: true }
      error = `HTTP ${response.status}`
    } catch (caught) {
      finalStatus = 0
      error = (caught as Error).name === 'TimeoutError' ? `no answer within ${state.options.webhookTimeoutMs} ms` : (caught as Error).message
    }
    const wait = schedule[attempts - 1]
    state.log.debug({ url: webhook.url, attempts, error }, 'webhook attempt failed')
    if (wait === undefined || !(await sleep(state, wait))) break
  }
  state.log.warn({ url: webhook.url, attempts, error }, 'webhook delivery gave up')
  return { attempts, finalStatus, delivered: false, ...(error ? { error } : {}) }
}

async function handshakeGet(state: SimState, url: URL): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.any([state.shutdown.signal, AbortSignal.timeout(state.options.webhookTimeoutMs)]) })
    return { status: response.status, body: await response.text() }
  } catch (caught) {
    return { error: (caught as Error).message }
  }
}

/** Meta's subscription handshake: GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=<n>; the body must echo the challenge. */
export async function verifySubscription(state: SimState, account: SimAccount, verifyToken: string): Promise<HandshakeReport> {
  if (!account.webhookUrl) throw new Error(`Account ${account.externalId} has no webhookUrl`)
  const challenge = String(randomInt(100_000_000, 2_000_000_000))
  const url = new URL(account.webhookUrl)
  url.searchParams.set('hub.mode', 'subscribe')
  url.searchParams.set('hub.verify_token', verifyToken)
  url.searchParams.set('hub.challenge', challenge)
  const result = await handshakeGet(state, url)
  if ('error' in result) return { ok: false, status: 0, body: '', error: result.error }
  return { ok: result.status === 200 && result.body === challenge, ...result }
}

/** X's CRC: GET ?crc_token=<random>; the JSON response_token must be sha256=base64(HMAC(consumer secret, token)). */
export async function crcCheck(state: SimState, account: SimAccount): Promise<HandshakeReport> {
  if (!account.webhookUrl) throw new Error(`Account ${account.externalId} has no webhookUrl`)
  if (!account.secrets.consumerSecret) throw new Error(`Account ${account.externalId} has no consumerSecret`)
  const token = randomBytes(24).toString('base64url')
  const url = new URL(account.webhookUrl)
  url.searchParams.set('crc_token', token)
  const result = await handshakeGet(state, url)
  if ('error' in result) return { ok: false, status: 0, body: '', error: result.error }
  let responseToken: unknown
  try {
    responseToken = (JSON.parse(result.body) as { response_token?: unknown }).response_token
  } catch {
    responseToken = undefined
  }
  return { ok: result.status === 200 && responseToken === xCrcResponseToken(token, account.secrets.consumerSecret), ...result }
}
