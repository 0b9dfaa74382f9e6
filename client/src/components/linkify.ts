/**
 * Splits customer text into plain text and web links. Customer text is hostile: only http(s) URLs that the
 * browser's own URL parser accepts become links, and the href is that parser's normalised form, so the place we
 * checked is the place the browser goes.
 */
export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string }

/** Links are looked for in this much of a message; the rest is shown as plain text. */
export const linkifyMaxChars = 10_000
/** Longer candidates are left as text: no real link is this long, and parsing one is wasted work. */
const maxLinkChars = 2_048

const leadingOpeners = new Set(['(', '[', '{', '<', '"', "'", '“', '‘', '«', '‹'])
const trailingPunctuation = new Set(['.', ',', ';', ':', '!', '?', '"', "'", '”', '’', '»', '›', '…', '>'])
const closerToOpener: Record<string, string> = { ')': '(', ']': '[', '}': '{' }

/**
 * Characters that make text read as something else: controls, bidi marks, embeddings, overrides and isolates,
 * zero-width space and BOM ("evil\u202Etxt.exe" reads as "evilexe.txt").
 */
export function isHiddenCharacter(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x61c ||
    code === 0x200b ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff
  )
}

/** A link shown with one of these would read as somewhere else; a backslash is read as "/" in http(s) URLs. */
function hasSpoofingCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code === 0x5c || isHiddenCharacter(code)) return true
  }
  return false
}

/** Splits `text` into text and link parts, in order; joining every part's `text` gives back `text`. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = []
  const pushText = (value: string) => {
    if (!value) return
    const last = parts.at(-1)
    if (last?.kind === 'text') last.text += value
    else parts.push({ kind: 'text', text: value })
  }

  const tokens = /\S+/g
  let done = 0
  for (let match = tokens.exec(text); match; match = tokens.exec(text)) {
    const tokenEnd = match.index + match[0].length
    if (tokenEnd > linkifyMaxChars) break
    const found = findLink(match[0])
    if (!found) continue
    const start = match.index + found.start
    pushText(text.slice(done, start))
    parts.push({ kind: 'link', text: found.text, href: found.href })
    done = start + found.text.length
  }
  pushText(text.slice(done))
  return parts
}

/** The link inside one whitespace-free token, if there is one, with its offset in the token. */
function findLink(token: string): { start: number; text: string; href: string } | null {
  let start = 0
  while (start < token.length && leadingOpeners.has(token[start]!)) start++
  const lower = token.slice(start, start + 8).toLowerCase()
  const isBareHost = lower.startsWith('www.')
  if (!isBareHost && !lower.startsWith('http://') && !lower.startsWith('https://')) return null

  const candidate = trimTrailing(token.slice(start))
  if (candidate.length > maxLinkChars || hasSpoofingCharacter(candidate)) return null
  const href = safeHref(isBareHost ? `https://${candidate}` : candidate, isBareHost)
  return href ? { start, text: candidate, href } : null
}

/**
 * Drops sentence punctuation after a URL ("see https://x.com/a." → "https://x.com/a"), but keeps a closing
 * bracket that closes one inside the URL (https://en.wikipedia.org/wiki/Foo_(bar)).
 */
function trimTrailing(candidate: string): string {
  const open: Record<string, number> = { '(': 0, '[': 0, '{': 0 }
  const close: Record<string, number> = { '(': 0, '[': 0, '{': 0 }
  for (const char of candidate) {
    if (char in open) open[char]!++
    else if (char in closerToOpener) close[closerToOpener[char]!]!++
  }
  let end = candidate.length
  while (end > 0) {
    const char = candidate[end - 1]!
    const opener = closerToOpener[char]
    if (opener !== undefined) {
      if (close[opener]! <= open[opener]!) break
      close[opener]!--
    } else if (!trailingPunctuation.has(char)) {
      break
    }
    end--
  }
  return candidate.slice(0, end)
}

/** The normalised href when `raw` is a plain http(s) URL without credentials, else null. */
function safeHref(raw: string, isBareHost: boolean): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  if (url.username || url.password) return null
  if (!/[a-z0-9]/i.test(url.hostname)) return null
  // "www." on its own, or "www.example" without a dot after it, is more likely prose than a host.
  if (isBareHost && url.hostname.split('.').filter(Boolean).length < 3) return null
  return url.href
}
