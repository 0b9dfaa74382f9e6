/**
 * What the three Meta kinds (facebook, instagram, whatsapp) share on the way in: the GET hub.challenge handshake,
 * the X-Hub-Signature-256 check, splitting one POST into per-account envelopes, and dedupe keys.
 * Spec: the platform wire specs (platforms.md) A1 (handshake, signature, batching) and A4 (WhatsApp nesting).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { ChannelKind } from '@carebox/shared'
import { UnsupportedPayloadError, type Connector, type WebhookRequest } from '../connector.js'
import { isRecord, metaObjects, readId, type MetaObject } from './meta.payloads.js'

export interface MetaEnvelope {
  object: MetaObject
  /** The channel's externalId this envelope belongs to: Page id, Instagram account id, WhatsApp phone_number_id. */
  routingId: string
  /** `{ object, entry: [oneEntry] }`, the same outer shape Meta sent, narrowed to one account. */
  payload: unknown
}

const signaturePrefix = 'sha256='

/**
 * Checks `X-Hub-Signature-256: sha256=<lowercase hex HMAC-SHA256(appSecret, raw body)>` on the exact bytes Meta
 * sent (its JSON escapes non-ASCII as \uXXXX, so re-serialised JSON would not match). The legacy sha1
 * `X-Hub-Signature` is ignored. A missing secret or header fails.
 */
export function verifyMetaSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!appSecret || !header || !header.startsWith(signaturePrefix)) return false
  const received = header.slice(signaturePrefix.length)
  if (!/^[0-9a-f]{64}$/i.test(received)) return false
  const expected = createHmac('sha256', appSecret).update(rawBody).digest()
  const actual = Buffer.from(received, 'hex')
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** The signature header of a webhook request, whatever the case of its name. */
export function metaSignatureHeader(request: WebhookRequest): string | undefined {
  const name = Object.keys(request.headers).find((key) => key.toLowerCase() === 'x-hub-signature-256')
  return name === undefined ? undefined : request.headers[name]
}

/**
 * Answers Meta's GET verification: 200 with the raw `hub.challenge` when `hub.mode` is `subscribe` and
 * `hub.verify_token` equals ours, else 403. Both tokens are hashed first so the comparison takes the same
 * time whatever their lengths.
 */
export function metaHandshake(query: Record<string, string | undefined>, verifyToken: string | undefined): { status: number; body: string | object } {
  const challenge = query['hub.challenge']
  const token = query['hub.verify_token']
  if (query['hub.mode'] === 'subscribe' && verifyToken && token !== undefined && challenge !== undefined && safeEqual(token, verifyToken)) {
    return { status: 200, body: challenge }
  }
  return { status: 403, body: { error: { code: 'forbidden', message: 'The verify token does not match this channel' } } }
}

function safeEqual(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest()
  return timingSafeEqual(digest(a), digest(b))
}

/**
 * Splits one Meta POST into one envelope per account, since a single delivery may batch entries for several
 * Pages / accounts subscribed to the same app. Page and Instagram entries are routed by `entry.id`; WhatsApp
 * entries are per business account (WABA), so each change is routed by its `value.metadata.phone_number_id`,
 * falling back to the WABA id for account-level fields that carry no phone number (no channel matches those).
 * Throws UnsupportedPayloadError for a body that is not a Meta webhook body.
 */
export function splitMetaWebhook(body: unknown): MetaEnvelope[] {
  if (!isRecord(body) || !isMetaObject(body.object) || !Array.isArray(body.entry)) {
    throw new UnsupportedPayloadError(
      "Not a Meta webhook body: expected an object with 'object' page, instagram or whatsapp_business_account and an 'entry' array",
    )
  }
  const object = body.object
  const envelopes: MetaEnvelope[] = []
  for (const entry of body.entry) {
    if (!isRecord(entry)) throw new UnsupportedPayloadError('Meta webhook entry is not an object')
    const entryId = readId(entry.id)
    if (entryId === undefined) throw new UnsupportedPayloadError('Meta webhook entry without an id')
    if (object !== 'whatsapp_business_account') {
      envelopes.push({ object, routingId: entryId, payload: { object, entry: [entry] } })
      continue
    }
    if (!Array.isArray(entry.changes)) throw new UnsupportedPayloadError('WhatsApp webhook entry without a changes array')
    for (const change of entry.changes) {
      const value: unknown = isRecord(change) ? change.value : undefined
      const metadata: unknown = isRecord(value) ? value.metadata : undefined
      const routingId = (isRecord(metadata) ? readId(metadata.phone_number_id) : undefined) ?? entryId
      envelopes.push({ object, routingId, payload: { object, entry: [{ ...entry, changes: [change] }] } })
    }
  }
  return envelopes
}

function isMetaObject(value: unknown): value is MetaObject {
  return (metaObjects as readonly unknown[]).includes(value)
}

/**
 * `<kind>:<sha256 of the payload's canonical JSON>`. A retried delivery carries the same entry, so the same key;
 * `entry.time` is left out because it stamps the delivery rather than the events, which carry their own times.
 */
export function metaDedupeKey(kind: ChannelKind, payload: unknown): string {
  const stable =
    isRecord(payload) && Array.isArray(payload.entry)
      ? { ...payload, entry: payload.entry.map((entry: unknown) => (isRecord(entry) ? { ...entry, time: keepsTime(entry) ? entry.time : undefined } : entry)) }
      : payload
  return `${kind}:${createHash('sha256').update(canonicalJson(stable)).digest('hex')}`
}

/**
 * A template's status change carries no time of its own: paused, reinstated, then paused again would read the same
 * twice. Its entry's time tells the two apart (a retry of one delivery keeps it).
 */
function keepsTime(entry: Record<string, unknown>): boolean {
  return Array.isArray(entry.changes) && entry.changes.some((change: unknown) => isRecord(change) && change.field === 'message_template_status_update')
}

/** JSON with object keys sorted at every level and undefined members dropped, so equal data gives equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`
  if (isRecord(value)) {
    const members = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
    return `{${members.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/**
 * What the three Meta connectors share on the way in: the signature check with the app secret, the GET
 * handshake with the verify token (held as `webhookSecret`), and per-envelope dedupe keys.
 */
export function metaWebhookMethods(kind: ChannelKind): Pick<Connector, 'verifyWebhook' | 'dedupeKey'> & Required<Pick<Connector, 'handshake'>> {
  return {
    verifyWebhook: (request, channel) => verifyMetaSignature(request.rawBody, metaSignatureHeader(request), channel.secrets.appSecret ?? ''),
    handshake: (query, channel) => metaHandshake(query, channel.secrets.webhookSecret),
    dedupeKey: (payload) => metaDedupeKey(kind, payload),
  }
}
