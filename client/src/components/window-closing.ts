import { replyWindow, windowClosingHours, type ConversationSummary } from '@carebox/shared'

type Waiting = Pick<ConversationSummary, 'channel' | 'kind' | 'status' | 'lastInboundAt' | 'lastMessageAt'>

/**
 * Whether a platform's 24-hour window can close on this conversation while it waits on us: an open Messenger,
 * Instagram or WhatsApp chat where the customer has the last word. Nothing else ever shows the badge.
 */
export function isWaitingInWindow(conversation: Waiting): boolean {
  const { lastInboundAt } = conversation
  return (
    conversation.status === 'open' &&
    conversation.kind === 'dm' &&
    ['facebook', 'instagram', 'whatsapp'].includes(conversation.channel.kind) &&
    lastInboundAt !== null &&
    Date.parse(lastInboundAt) >= Date.parse(conversation.lastMessageAt)
  )
}

/** When the window closes, if that is within `windowClosingHours` of now; null otherwise (or when nothing waits). */
export function windowClosingAt(conversation: Waiting, now: Date): string | null {
  if (!isWaitingInWindow(conversation)) return null
  const window = replyWindow(conversation.channel.kind, conversation.kind, conversation.lastInboundAt, now)
  if (window.state !== 'open' || !window.closesAt) return null
  return Date.parse(window.closesAt) - now.getTime() <= windowClosingHours * 60 * 60_000 ? window.closesAt : null
}
