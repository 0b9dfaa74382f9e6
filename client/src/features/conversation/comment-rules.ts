import type { CommentActionKind, ConversationSummary, Message } from '@carebox/shared'

/** What Carebox knows of a customer's comment in a Facebook or Instagram public thread. */
export type CommentState = NonNullable<Message['comment']>

/** Whether the conversation is a thread of public comments that can be answered and acted on one by one. */
export function hasCommentTools(conversation: Pick<ConversationSummary, 'kind' | 'channel'>): boolean {
  return conversation.kind === 'public' && (conversation.channel.kind === 'facebook' || conversation.channel.kind === 'instagram')
}

/** Who wrote a comment: their name, else their handle. */
export function commentAuthor(message: Pick<Message, 'author'>): string {
  return message.author?.name ?? message.author?.handle ?? 'a customer'
}

/** The start of a text on one line, cut at a whole character (never half an emoji), with "…" when it goes on. */
export function excerpt(text: string, maxChars: number): string {
  const line = text.replace(/\s+/g, ' ').trim()
  const chars = Array.from(line)
  return chars.length <= maxChars ? line : `${chars.slice(0, maxChars).join('').trimEnd()}…`
}

/** Why a comment cannot have its private reply now (the platform allows one, within 7 days); null when it can. */
export function privateReplyBlock(comment: CommentState, now: Date): string | null {
  if (comment.privateReplied) return 'Private reply sent'
  if (now.getTime() >= Date.parse(comment.privateReplyUntil)) return 'Private reply window closed'
  return null
}

/** The latest action while the platform has not done it yet. */
export const pendingActionLabels: Record<CommentActionKind, string> = { hide: 'Hiding…', unhide: 'Unhiding…', delete: 'Deleting…', like: 'Liking…' }

/** The latest action when the platform refused it, before its reason. */
export const failedActionLabels: Record<CommentActionKind, string> = {
  hide: 'Could not hide',
  unhide: 'Could not unhide',
  delete: 'Could not delete',
  like: 'Could not like',
}

/**
 * The post's picture, only from Carebox itself: its proxy is a path on this origin. Any other address (the
 * platform's CDN, another host) is never loaded, so the browser fetches nothing the platform or a customer chose.
 */
export function careboxPictureUrl(url: string | null): string | null {
  if (!url?.startsWith('/api/')) return null
  const resolved = new URL(url, window.location.origin)
  return resolved.origin === window.location.origin ? `${resolved.pathname}${resolved.search}` : null
}

/** A link out to the post on the platform: a web address only (never javascript: or data:). */
export function webLink(url: string | null): string | null {
  if (!url) return null
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null
  } catch {
    return null
  }
}
