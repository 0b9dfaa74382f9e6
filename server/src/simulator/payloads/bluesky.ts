import { blueskyCid } from '../ids.js'
import type { ResolvedMessage, SimAccount } from '../types.js'

/**
 * Bluesky (AT Protocol) objects. Lexicons: app.bsky.notification.listNotifications, app.bsky.feed.post,
 * app.bsky.richtext.facet. https://github.com/bluesky-social/atproto/tree/main/lexicons
 */

export type BlueskyAccountRef = Pick<SimAccount, 'externalId' | 'handle'>

export interface StrongRef {
  uri: string
  cid: string
}

export interface BlueskyPostRecord {
  $type: 'app.bsky.feed.post'
  text: string
  createdAt: string
  langs?: string[]
  facets?: { index: { byteStart: number; byteEnd: number }; features: { $type: string; did: string }[] }[]
  reply?: { root: StrongRef; parent: StrongRef }
  embed?: unknown
}

export interface BlueskyProfileView {
  did: string
  handle: string
  displayName: string
  avatar: string
  createdAt: string
  labels: unknown[]
  viewer: { muted: boolean; blockedBy: boolean }
}

export interface BlueskyNotification {
  uri: string
  cid: string
  author: BlueskyProfileView
  reason: 'mention' | 'reply' | 'quote' | 'like' | 'repost' | 'follow'
  reasonSubject?: string
  record: BlueskyPostRecord
  isRead: boolean
  indexedAt: string
  labels: unknown[]
}

export function blueskyBrandHandle(account: BlueskyAccountRef): string {
  return (account.handle ?? 'brand.bsky.social').replace(/^@/, '')
}

export function blueskyPostUri(did: string, rkey: string): string {
  return `at://${did}/app.bsky.feed.post/${rkey}`
}

export function blueskyProfile(did: string, handle: string, displayName: string): BlueskyProfileView {
  return {
    did,
    handle,
    displayName,
    avatar: `https://cdn.bsky.app/img/avatar/plain/${did}/bafkreiavatar@jpeg`,
    createdAt: '2024-02-06T10:00:00.000Z',
    labels: [],
    viewer: { muted: false, blockedBy: false },
  }
}

export function customerBlueskyHandle(from: ResolvedMessage['from']): string {
  if (from.handle) return from.handle.replace(/^@/, '')
  return `${
    from.name
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z0-9]+/g, '') || 'user'
  }.bsky.social`
}

/** An image as a blob ref; `url` is the simulator's addition so a client can show it without a blob fetch. */
function imageEmbed(attachment: { url: string }) {
  return { alt: '', image: { $type: 'blob', ref: { $link: blueskyCid(attachment.url) }, mimeType: 'image/jpeg', size: 120_000 }, url: attachment.url }
}

/** A mention facet: UTF-8 byte offsets of '@handle' in the text. */
function mentionFacet(text: string, handle: string, did: string) {
  const at = text.indexOf(`@${handle}`)
  if (at < 0) return undefined
  const byteStart = Buffer.byteLength(text.slice(0, at))
  return { index: { byteStart, byteEnd: byteStart + Buffer.byteLength(`@${handle}`) }, features: [{ $type: 'app.bsky.richtext.facet#mention', did }] }
}

/**
 * A customer's post mentioning us (reason mention), or replying to one of our posts (reason reply, when the
 * message names `postId`, the uri of our post). `parent`/`root` carry the cids of the posts replied to.
 */
export function buildBlueskyNotification(
  account: BlueskyAccountRef,
  message: ResolvedMessage,
  context: { indexedAt: Date; parent?: StrongRef; root?: StrongRef },
): BlueskyNotification {
  const handle = blueskyBrandHandle(account)
  const isReply = Boolean(context.parent)
  const text = isReply || message.text.includes(`@${handle}`) ? message.text : `@${handle} ${message.text}`
  const facet = mentionFacet(text, handle, account.externalId)
  const record: BlueskyPostRecord = {
    $type: 'app.bsky.feed.post',
    text,
    createdAt: message.at.toISOString(),
    ...(message.from.language ? { langs: [message.from.language] } : {}),
    ...(facet ? { facets: [facet] } : {}),
    ...(context.parent ? { reply: { root: context.root ?? context.parent, parent: context.parent } } : {}),
    ...(message.attachments?.length ? { embed: { $type: 'app.bsky.embed.images', images: message.attachments.map(imageEmbed) } } : {}),
  }
  const uri = message.id.startsWith('at://') ? message.id : blueskyPostUri(message.from.id, message.id)
  return {
    uri,
    cid: blueskyCid(record),
    author: blueskyProfile(message.from.id, customerBlueskyHandle(message.from), message.from.name),
    reason: isReply ? 'reply' : 'mention',
    ...(isReply && context.parent ? { reasonSubject: context.parent.uri } : {}),
    record,
    isRead: false,
    indexedAt: context.indexedAt.toISOString(),
    labels: [],
  }
}
