import type { ChannelKind } from './channels.js'

/**
 * What each platform accepts in a reply, written once: the composer explains and prevents what the server
 * would refuse, and the server refuses what the platform would reject. Limits from specs/platforms.md.
 */
export interface ReplyLimit {
  maxLength: number
  /** Bluesky counts graphemes; the rest count characters (UTF-16 code units is what their APIs measure). */
  unit: 'characters' | 'graphemes'
}

export function replyLimit(kind: ChannelKind, conversationKind: 'dm' | 'public'): ReplyLimit {
  switch (kind) {
    case 'facebook':
      return { maxLength: conversationKind === 'dm' ? 2000 : 8000, unit: 'characters' }
    case 'instagram':
      return { maxLength: conversationKind === 'dm' ? 1000 : 2200, unit: 'characters' }
    case 'whatsapp':
    case 'telegram':
      return { maxLength: 4096, unit: 'characters' }
    case 'x':
      return { maxLength: conversationKind === 'dm' ? 10000 : 280, unit: 'characters' }
    case 'mastodon':
      return { maxLength: 500, unit: 'characters' }
    case 'bluesky':
      return { maxLength: 300, unit: 'graphemes' }
  }
}

/** How long a reply is, as the platform counts it. */
export function replyLength(text: string, unit: ReplyLimit['unit']): number {
  if (unit === 'characters') return text.length
  let count = 0
  for (const _ of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) count += 1
  return count
}

/**
 * What the sending adds to the text: a Mastodon reply starts with `@handle ` unless the text mentions them
 * already, and the whole status counts against the limit.
 */
export function replyOverhead(kind: ChannelKind, customerHandle: string | null, text: string): number {
  if (kind !== 'mastodon' || !customerHandle) return 0
  return text.toLowerCase().includes(`@${customerHandle.toLowerCase()}`) ? 0 : customerHandle.length + 2
}

const hourMs = 60 * 60 * 1000

/** Hours before a 24-hour window closes that a chat waiting on us counts as closing (the Window closing view and badge). */
export const windowClosingHours = 2

/**
 * Whether a reply may go out now, and how.
 * - `open`: a normal reply. `closesAt` when a window will close it.
 * - `human_agent`: Messenger/Instagram DMs 24 h–7 d after the customer's last message: only a person may answer,
 *   sent with the HUMAN_AGENT tag. `closesAt` is the 7-day limit.
 * - `closed`: the platform would reject a free-form reply (`reason` says why and what is possible).
 */
export type ReplyWindow = { state: 'open'; closesAt: string | null } | { state: 'human_agent'; closesAt: string } | { state: 'closed'; reason: string }

export function replyWindow(kind: ChannelKind, conversationKind: 'dm' | 'public', lastInboundAt: string | null, now: Date): ReplyWindow {
  if (conversationKind === 'public' || !['facebook', 'instagram', 'whatsapp'].includes(kind)) return { state: 'open', closesAt: null }
  if (!lastInboundAt) return { state: 'closed', reason: 'The customer has not written yet: the platform allows no message first.' }
  const since = Date.parse(lastInboundAt)
  const elapsed = now.getTime() - since
  if (elapsed < 24 * hourMs) return { state: 'open', closesAt: new Date(since + 24 * hourMs).toISOString() }
  if (kind === 'whatsapp') {
    return { state: 'closed', reason: "WhatsApp's 24-hour window has closed: only a template message can reach the customer until they write again." }
  }
  if (elapsed < 7 * 24 * hourMs) return { state: 'human_agent', closesAt: new Date(since + 7 * 24 * hourMs).toISOString() }
  return { state: 'closed', reason: 'More than 7 days since the customer last wrote: the platform accepts no reply until they write again.' }
}
