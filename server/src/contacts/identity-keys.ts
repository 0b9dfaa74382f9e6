import { parsePhoneNumber } from 'awesome-phonenumber'
import { AppError } from '../errors.js'

// Deliberately loose (one @, a dot in the domain, no spaces): a stricter pattern refuses real addresses, and a CRM's
// email is whatever the customer gave it.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** An email as other systems compare it (HubSpot's primary key): trimmed and lower-cased; invalid: a 400. */
export function normaliseEmail(input: string): string {
  const email = input.trim().toLowerCase()
  if (email.length > 254 || !emailPattern.test(email)) throw new AppError('validation_failed', `"${input.trim()}" is not a valid email address.`)
  return email
}

/**
 * A phone number in E.164 (+442079460958), from any common way of writing it. Without a +country code it is read
 * as a national number of `defaultRegion` (ISO 3166, e.g. GB) when one is given; invalid: a 400.
 */
export function normalisePhone(input: string, defaultRegion?: string): string {
  const parsed = parsePhoneNumber(input.trim(), defaultRegion ? { regionCode: defaultRegion } : undefined)
  if (parsed.valid) return parsed.number.e164
  const hint = input.trim().startsWith('+') || defaultRegion ? '' : ' Write it with its country code, e.g. +44 20 7946 0958.'
  throw new AppError('validation_failed', `"${input.trim()}" is not a valid phone number.${hint}`)
}

/** A link to show as a link: only http and https (never javascript:, data: and the like); otherwise a 400. */
export function normaliseRecordUrl(input: string): string {
  let url: URL
  try {
    url = new URL(input.trim())
  } catch {
    throw new AppError('validation_failed', 'url must be an absolute http or https address.')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('validation_failed', 'url must be an http or https address.')
  return url.href
}

/** The digits of an E.164 number: how WhatsApp names a person (their wa_id). */
export function whatsappIdOf(e164: string): string {
  return e164.slice(1)
}
