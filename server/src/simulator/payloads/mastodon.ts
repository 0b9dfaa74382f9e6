import type { ResolvedMessage, SimAccount } from '../types.js'

/**
 * Mastodon entities (Notification, Status, Account). https://docs.joinmastodon.org/entities/Notification/ ,
 * https://docs.joinmastodon.org/entities/Status/
 */

export type MastodonAccountRef = Pick<SimAccount, 'externalId' | 'handle'>

/** The instance our account lives on, as it appears in URLs inside payloads. */
export const mastodonInstance = 'https://social.example'

export interface MastodonAccount {
  id: string
  username: string
  acct: string
  display_name: string
  url: string
  avatar: string
  bot: boolean
  created_at: string
  note: string
}

export interface MastodonStatus {
  id: string
  created_at: string
  in_reply_to_id: string | null
  in_reply_to_account_id: string | null
  sensitive: boolean
  spoiler_text: string
  visibility: 'public' | 'unlisted' | 'private' | 'direct'
  language: string | null
  uri: string
  url: string
  replies_count: number
  reblogs_count: number
  favourites_count: number
  content: string
  account: MastodonAccount
  media_attachments: MastodonMediaAttachment[]
  mentions: { id: string; username: string; acct: string; url: string }[]
  tags: unknown[]
  emojis: unknown[]
}

/** https://docs.joinmastodon.org/entities/MediaAttachment/ (the fields Carebox reads); `url` is null while processing. */
export interface MastodonMediaAttachment {
  id: string
  type: 'image' | 'gifv' | 'video' | 'audio' | 'unknown'
  url: string | null
  preview_url: string | null
  remote_url?: string | null
  description: string | null
  meta?: { original?: { size?: string } }
  blurhash?: string | null
}

export interface MastodonNotification {
  id: string
  type: 'mention' | 'status' | 'reblog' | 'follow' | 'favourite'
  created_at: string
  group_key: string
  account: MastodonAccount
  status?: MastodonStatus
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

/** Our account's username ('brand' from 'brand' or 'brand@social.example'). */
export function mastodonBrandUsername(account: MastodonAccountRef): string {
  return (account.handle ?? 'brand').replace(/^@/, '').split('@')[0] ?? 'brand'
}

export function mastodonAccount(id: string, acct: string, displayName: string, at = new Date()): MastodonAccount {
  const [username = acct, domain] = acct.replace(/^@/, '').split('@')
  const home = domain ? `https://${domain}` : mastodonInstance
  return {
    id,
    username,
    acct: acct.replace(/^@/, ''),
    display_name: displayName,
    url: `${home}/@${username}`,
    avatar: `${home}/avatars/original/${id}.png`,
    bot: false,
    created_at: new Date(at.getTime() - 700 * 86_400_000).toISOString().slice(0, 10) + 'T00:00:00.000Z',
    note: '',
  }
}

export function mastodonBrandAccount(account: MastodonAccountRef): MastodonAccount {
  const username = mastodonBrandUsername(account)
  return mastodonAccount(account.externalId, username, username)
}

/** Status HTML as Mastodon renders it: mentions as h-cards, paragraphs as <p>, line breaks as <br />. */
export function mastodonContent(text: string, mention?: { username: string; url: string }): string {
  const paragraphs = text.split(/\n{2,}/).map((paragraph) => escapeHtml(paragraph).replace(/\n/g, '<br />'))
  if (mention) {
    const card = `<span class="h-card" translate="no"><a href="${mention.url}" class="u-url mention">@<span>${mention.username}</span></a></span>`
    const first = (paragraphs[0] ?? '').replace(new RegExp(`^@${mention.username}\\b\\s*`, 'i'), '')
    paragraphs[0] = `${card} ${first}`
  }
  return paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('')
}

export function customerAcct(from: ResolvedMessage['from']): string {
  if (from.handle) return from.handle.replace(/^@/, '')
  return `${
    from.name
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z0-9]+/g, '') || 'user' + from.id
  }@mastodon.example`
}

/** A customer's status mentioning us: visibility direct for a DM, public otherwise. */
export function buildMastodonStatus(account: MastodonAccountRef, message: ResolvedMessage): MastodonStatus {
  const author = mastodonAccount(message.from.id, customerAcct(message.from), message.from.name, message.at)
  const brand = mastodonBrandAccount(account)
  return {
    id: message.id,
    created_at: message.at.toISOString(),
    in_reply_to_id: message.replyToId ?? message.postId ?? null,
    in_reply_to_account_id: message.replyToId || message.postId ? account.externalId : null,
    sensitive: false,
    spoiler_text: '',
    visibility: message.kind === 'dm' ? 'direct' : 'public',
    language: message.from.language ?? null,
    uri: `${author.url.replace(/\/@[^/]+$/, '')}/users/${author.username}/statuses/${message.id}`,
    url: `${author.url}/${message.id}`,
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    content: mastodonContent(message.text, { username: brand.username, url: brand.url }),
    account: author,
    media_attachments: (message.attachments ?? []).map((attachment, index) => ({
      id: `${message.id}${index}`,
      type: 'image' as const,
      url: attachment.url,
      preview_url: attachment.url,
      description: null,
    })),
    mentions: [{ id: brand.id, username: brand.username, acct: brand.acct, url: brand.url }],
    tags: [],
    emojis: [],
  }
}

export function buildMastodonNotification(account: MastodonAccountRef, message: ResolvedMessage, notificationId: string): MastodonNotification {
  const status = buildMastodonStatus(account, message)
  return {
    id: notificationId,
    type: 'mention',
    created_at: message.at.toISOString(),
    group_key: `ungrouped-${notificationId}`,
    account: status.account,
    status,
  }
}
