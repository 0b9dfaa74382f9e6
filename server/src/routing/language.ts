import { eld } from 'eld/medium'

/**
 * The language of a customer's message, as an ISO 639-1 code, or null when the text is too short or mixed to
 * tell: "ok" or "thanks!" must not route a Czech customer to the English queue. eld's medium database detects
 * a message in about 30 µs, cheap enough for the ingest path.
 */
export function detectLanguage(text: string): string | null {
  const trimmed = text.trim()
  if (trimmed.length < 2) return null
  const result = eld.detect(trimmed)
  return result.language && result.isReliable() ? result.language : null
}
