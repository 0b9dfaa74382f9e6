/**
 * Meta referral objects: where a customer came from when an ad or a link opened the conversation (integrations spec
 * §4). Messenger and Instagram put `{source, type, ref?, ad_id?, ads_context_data?}` on `messaging[].referral`
 * (a click in an existing thread), `postback.referral` (Get Started) and `message.referral` (the first message after
 * an ad click); WhatsApp puts `{source_url, source_id, source_type, headline, ctwa_clid, …}` on `messages[].referral`.
 *
 * Reading one never throws: a referral is a bonus on top of the message, and a shape Meta changes must never cost
 * the customer's words. What cannot be read is left out.
 */
import type { Referral } from '../connector.js'
import { isRecord } from './meta.payloads.js'

/** Longer than any real id, ref (Meta caps `ref` at 2,083 characters with the URL) or ad title. */
const maxTextLength = 2_000
/** The raw object is kept for later questions, bounded: a payload cannot grow our rows without limit. */
const maxRawDepth = 4
const maxRawKeys = 40
const maxRawItems = 20

/** PostgreSQL text and jsonb refuse U+0000: one in a referral would fail the whole ingest transaction. */
function cleanText(value: string): string {
  return value.replaceAll('\u0000', '').slice(0, maxTextLength)
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value !== 'string') return undefined
  const cleaned = cleanText(value).trim()
  return cleaned === '' ? undefined : cleaned
}

/** A bounded, NUL-free copy of plain JSON: what the `raw` column keeps. */
function boundedJson(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return cleanText(value)
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'boolean' || value === null) return value
  if (depth >= maxRawDepth) return null
  if (Array.isArray(value)) return value.slice(0, maxRawItems).map((item) => boundedJson(item, depth + 1))
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .slice(0, maxRawKeys)
        .map(([key, item]) => [cleanText(key), boundedJson(item, depth + 1)]),
    )
  }
  return null
}

/** Only the fields that are present: a referral compares equal to what a test writes by hand. */
function compact(referral: Omit<Referral, 'raw'>, raw: Record<string, unknown>): Referral | undefined {
  const fields = Object.fromEntries(Object.entries(referral).filter(([, value]) => value !== undefined)) as Omit<Referral, 'raw'>
  // An object carrying none of the fields Carebox reads tells nothing of where the customer came from.
  if (Object.keys(fields).length === 0) return undefined
  return { ...fields, raw: boundedJson(raw, 0) as Record<string, unknown> }
}

/**
 * A Messenger or Instagram referral (`referral`, `postback.referral`, `message.referral`), or undefined when the value
 * is not one. `referer_uri` is the legacy chat plugin's page.
 */
export function readMessagingReferral(value: unknown): Referral | undefined {
  if (!isRecord(value)) return undefined
  const context = isRecord(value.ads_context_data) ? value.ads_context_data : {}
  return compact(
    {
      source: text(value.source),
      type: text(value.type),
      ref: text(value.ref),
      adId: text(value.ad_id),
      sourceUrl: text(value.referer_uri),
      headline: text(context.ad_title),
    },
    value,
  )
}

/** A WhatsApp click-to-WhatsApp referral (`messages[].referral`, on the first message after the click), or undefined. */
export function readWhatsAppReferral(value: unknown): Referral | undefined {
  if (!isRecord(value)) return undefined
  return compact(
    {
      ctwaClid: text(value.ctwa_clid),
      sourceId: text(value.source_id),
      sourceType: text(value.source_type),
      sourceUrl: text(value.source_url),
      headline: text(value.headline),
    },
    value,
  )
}
