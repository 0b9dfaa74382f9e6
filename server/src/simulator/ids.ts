import { createHash, randomBytes } from 'node:crypto'

/** Platform-shaped identifiers. Random where the platform's are opaque, time-ordered where clients compare them. */

const twitterEpochMs = 1288834974657n
let lastSnowflake = 0n

/** X snowflake: 41 bits of ms since the Twitter epoch, then 22 bits of sequence. Strictly increasing. */
export function xSnowflake(at = Date.now()): string {
  let id = (BigInt(at) - twitterEpochMs) << 22n
  if (id <= lastSnowflake) id = lastSnowflake + 1n
  lastSnowflake = id
  return id.toString()
}

let lastMastodonId = 0n

/** Mastodon status ids: ms since epoch shifted by 16 bits plus a sequence. Strictly increasing. */
export function mastodonSnowflake(at = Date.now()): string {
  let id = BigInt(at) << 16n
  if (id <= lastMastodonId) id = lastMastodonId + 1n
  lastMastodonId = id
  return id.toString()
}

const tidAlphabet = '234567abcdefghijklmnopqrstuvwxyz'
let lastTid = 0n

/** AT Protocol TID (record key): 53 bits of µs since epoch and 10 bits of clock id, base32-sortable, 13 chars. */
export function blueskyTid(at = Date.now()): string {
  let value = (BigInt(at) * 1000n) << 10n
  if (value <= lastTid) value = lastTid + 1n
  lastTid = value
  let out = ''
  for (let i = 0; i < 13; i++) {
    out = tidAlphabet[Number(value & 31n)] + out
    value >>= 5n
  }
  return out
}

/** Where counters that must keep rising across restarts start counting: a run starts at the milliseconds since then. */
const risingIdEpochMs = Date.UTC(2025, 0, 1)

/**
 * The first id of a run of a counter the platform never moves backwards (Telegram update_id and message_id, Mastodon
 * notification ids): the milliseconds since 2025 as the run starts; each id after it is one more, sequential as the
 * platform's. A restarted simulator thus carries on above every id the run before it handed out (unless that run gave
 * out more than one id per millisecond of its life), as the real platforms do, without writing anything down: a
 * client's stored cursor stays valid, and no new id is taken for an old one.
 */
export function firstRisingId(at = Date.now()): number {
  return at - risingIdEpochMs
}

const base32Alphabet = 'abcdefghijklmnopqrstuvwxyz234567'

function base32(bytes: Buffer): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += base32Alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += base32Alphabet[(value << (5 - bits)) & 31]
  return out
}

/** CIDv1 (dag-cbor, sha2-256) in base32, the shape of every Bluesky record cid ('bafyrei…'). */
export function blueskyCid(content: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(content)).digest()
  return 'b' + base32(Buffer.concat([Buffer.from([0x01, 0x71, 0x12, 0x20]), digest]))
}

/** The CIDv1 of a blob (raw codec, sha2-256) in base32: 'bafkrei…', as uploadBlob answers it. */
export function blueskyBlobCid(bytes: Buffer): string {
  const digest = createHash('sha256').update(bytes).digest()
  return 'b' + base32(Buffer.concat([Buffer.from([0x01, 0x55, 0x12, 0x20]), digest]))
}

/** A did:plc-shaped DID, stable for a seed. */
export function blueskyDid(seed: string): string {
  return 'did:plc:' + base32(createHash('sha256').update(seed).digest()).slice(0, 24)
}

export function messengerMid(): string {
  return 'm_' + randomBytes(30).toString('base64url')
}

export function instagramMid(): string {
  return 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlE' + randomBytes(24).toString('base64url')
}

export function whatsappMessageId(): string {
  return 'wamid.HBgL' + randomBytes(27).toString('base64')
}

/** A decimal id of `length` digits not starting with 0. */
export function numericId(length: number, prefix = ''): string {
  let out = prefix || String(1 + Math.floor(Math.random() * 9))
  while (out.length < length) out += String(Math.floor(Math.random() * 10))
  return out
}

/** A stable decimal id of `length` digits for a seed (personas keep their ids across runs). */
export function stableNumericId(seed: string, length: number, prefix = '1'): string {
  const hex = createHash('sha256').update(seed).digest('hex')
  let out = prefix
  for (let i = 0; out.length < length; i++) out += String(parseInt(hex[i % hex.length] ?? '0', 16) % 10)
  return out
}

export function fbtraceId(): string {
  return randomBytes(8).toString('base64url')
}
