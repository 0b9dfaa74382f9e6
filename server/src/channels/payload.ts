import { createHash } from 'node:crypto'
import { UnsupportedPayloadError } from './connector.js'

/** Helpers every connector's parser uses on untrusted platform payloads. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** How long a public thread's subject is: enough to recognise the post in a list. */
const subjectLength = 100

/** A one-line excerpt of a post, cut on a character (not a UTF-16 unit) boundary. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  const chars = Array.from(flat)
  return chars.length <= subjectLength
    ? flat
    : `${chars
        .slice(0, subjectLength - 1)
        .join('')
        .trimEnd()}…`
}

/** A platform's date string as ISO 8601; an unreadable one makes the payload unsupported. */
export function isoDate(value: string, platform: string): string {
  const millis = Date.parse(value)
  if (!Number.isFinite(millis)) throw new UnsupportedPayloadError(`${platform} date ${value} is not readable`)
  return new Date(millis).toISOString()
}

/** A dedupe key from the raw bytes, for a delivery without an id of its own: a retry sends the same bytes. */
export function bodyKey(rawBody: Buffer, prefix = 'body'): string {
  return `${prefix}:${createHash('sha256').update(rawBody).digest('hex')}`
}
