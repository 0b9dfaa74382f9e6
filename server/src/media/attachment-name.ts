const fallbackName = 'attachment'
const maxLength = 120
/** Extensions up to this long survive truncation, so a long name still opens with the right program. */
const maxKeptExtension = 10

// C0, DEL and C1 controls, and the bidi marks, embeddings, overrides and isolates that make "gpj.exe" read as "exe.jpg".
// eslint-disable-next-line no-control-regex
const unsafeChars = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
const loneSurrogates = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const pathSeparators = /[/\\]/g

/**
 * An attachment's file name, safe to show and to offer as a download: no path, no control or direction-changing
 * characters, no leading dots (hidden files), at most 120 characters. Names come from the customer.
 */
export function sanitizeAttachmentName(name: string | null | undefined): string {
  const cleaned = (name ?? '')
    .replace(loneSurrogates, '\ufffd')
    .normalize('NFC')
    .replace(unsafeChars, '')
    .replace(pathSeparators, '_')
    .trim()
    .replace(/^[.\s]+/, '')
  return truncate(cleaned) || fallbackName
}

/** Cuts by code points (never half a surrogate pair), keeping a short extension. */
function truncate(name: string): string {
  const chars = Array.from(name)
  if (chars.length <= maxLength) return name
  const dot = chars.lastIndexOf('.')
  const extension = dot > 0 && chars.length - dot <= maxKeptExtension + 1 ? chars.slice(dot) : []
  return [...chars.slice(0, maxLength - extension.length), ...extension].join('').trim()
}

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): the plain filename is an ASCII stand-in for old
 * clients, filename* carries the real name.
 */
export function attachmentContentDisposition(name: string | null | undefined): string {
  const safe = sanitizeAttachmentName(name)
  return `attachment; filename="${asciiFallback(safe)}"; filename*=UTF-8''${encodeExtValue(safe)}`
}

function asciiFallback(name: string): string {
  const ascii = name
    // Strips accents ("Relatório" → "Relatorio"); compatibility forms can also produce "/" or "." (fullwidth), handled below.
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    // Quotes and backslashes would end the quoted string; some clients percent-decode filename.
    .replace(/["\\/%]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
  return ascii || fallbackName
}

/** RFC 8187 attr-chars stay, everything else is percent-encoded UTF-8. encodeURIComponent leaves ' ( ) * as they are. */
function encodeExtValue(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
}
