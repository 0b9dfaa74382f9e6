import type { ResolvedMessage, SimAccount } from '../types.js'

/**
 * X Account Activity API events (v1.1-style objects) and v2 Post objects.
 * https://developer.x.com/en/docs/x-api/enterprise/account-activity-api/guides/account-activity-data-objects ,
 * https://docs.x.com/x-api/posts/timelines/introduction
 */

export type XAccountRef = Pick<SimAccount, 'externalId' | 'handle'>

export interface XV2Tweet {
  id: string
  text: string
  edit_history_tweet_ids: string[]
  author_id: string
  created_at: string
  conversation_id: string
  in_reply_to_user_id?: string
  referenced_tweets?: { type: 'replied_to' | 'quoted'; id: string }[]
  entities: { mentions: { start: number; end: number; username: string; id: string }[] }
  lang: string
}

export interface XV2User {
  id: string
  name: string
  username: string
  created_at: string
  profile_image_url: string
  protected: boolean
  verified: boolean
}

export interface XDmEvent {
  id: string
  event_type: 'MessageCreate'
  text: string
  sender_id: string
  dm_conversation_id: string
  created_at: string
  participant_ids: string[]
  attachments?: { media_keys: string[] }
}

/** The media of a DM our account sent, as Account Activity shows it (the t.co `url` is also at the end of the text). */
export interface XSentMedia {
  id: string
  url: string
  mediaUrl: string
  type: 'photo' | 'animated_gif' | 'video'
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** v1.1 created_at: 'Thu Jan 01 00:15:00 +0000 2026'. */
export function xLegacyDate(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  const time = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`
  return `${days[at.getUTCDay()]} ${months[at.getUTCMonth()]} ${pad(at.getUTCDate())} ${time} +0000 ${at.getUTCFullYear()}`
}

export function xBrandHandle(account: XAccountRef): string {
  return (account.handle ?? 'BrandCare').replace(/^@/, '')
}

export function xScreenName(from: ResolvedMessage['from']): string {
  return (from.handle ?? from.name.toLowerCase().replace(/[^a-z0-9_]+/g, '_')).replace(/^@/, '').slice(0, 15)
}

/** The canonical DM conversation id: both user ids, lower first. */
export function xDmConversationId(a: string, b: string): string {
  return compareIds(a, b) < 0 ? `${a}-${b}` : `${b}-${a}`
}

/** Numeric id order (ids are decimal strings of varying length). */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
}

/** A mention's text always carries the @handle; X puts it first for replies. */
export function xMentionText(account: XAccountRef, text: string): string {
  const handle = xBrandHandle(account)
  return text.toLowerCase().includes(`@${handle.toLowerCase()}`) ? text : `@${handle} ${text}`
}

function legacyUser(id: string, name: string, screenName: string, at: Date) {
  return {
    id,
    id_str: id,
    created_timestamp: String(at.getTime() - 400 * 86_400_000),
    name,
    screen_name: screenName,
    protected: false,
    verified: false,
    followers_count: 120,
    friends_count: 180,
    statuses_count: 2400,
    profile_image_url_https: `https://pbs.twimg.com/profile_images/${id}/avatar_normal.jpg`,
  }
}

/** AAA direct_message_events with the users map (sender and our account). */
export function buildXDirectMessageEvent(account: XAccountRef, message: ResolvedMessage) {
  const image = message.attachments?.[0]
  return {
    for_user_id: account.externalId,
    direct_message_events: [
      {
        type: 'message_create',
        id: message.id,
        created_timestamp: String(message.at.getTime()),
        message_create: {
          target: { recipient_id: account.externalId },
          sender_id: message.from.id,
          message_data: {
            text: message.text,
            entities: { hashtags: [], symbols: [], urls: [], user_mentions: [] },
            ...(image ? { attachment: { type: 'media', media: { id_str: message.id, media_url_https: image.url, type: 'photo' } } } : {}),
          },
        },
      },
    ],
    users: {
      [message.from.id]: legacyUser(message.from.id, message.from.name, xScreenName(message.from), message.at),
      [account.externalId]: legacyUser(account.externalId, xBrandHandle(account), xBrandHandle(account), message.at),
    },
  }
}

/**
 * AAA direct_message_events for a DM our account sent: Account Activity delivers the subscribed user's own DMs
 * too, sender_id being the account. `recipient` fills the users map when the simulator knows the person.
 */
export function buildXSentDirectMessageEvent(
  account: XAccountRef,
  sent: { id: string; recipientId: string; text: string; media?: XSentMedia; at: Date },
  recipient?: XV2User,
) {
  const handle = xBrandHandle(account)
  const { media } = sent
  const text = media ? [sent.text, media.url].filter(Boolean).join(' ') : sent.text
  return {
    for_user_id: account.externalId,
    direct_message_events: [
      {
        type: 'message_create',
        id: sent.id,
        created_timestamp: String(sent.at.getTime()),
        message_create: {
          target: { recipient_id: sent.recipientId },
          sender_id: account.externalId,
          message_data: {
            text,
            entities: { hashtags: [], symbols: [], urls: [], user_mentions: [] },
            ...(media ? { attachment: { type: 'media', media: legacyMedia(media, text) } } : {}),
          },
        },
      },
    ],
    users: {
      [account.externalId]: legacyUser(account.externalId, handle, handle, sent.at),
      ...(recipient ? { [recipient.id]: legacyUser(recipient.id, recipient.name, recipient.username, sent.at) } : {}),
    },
  }
}

/** A v1.1 media entity; `indices` are where its t.co link sits in the text. */
function legacyMedia(media: XSentMedia, text: string) {
  const start = [...text].length - [...media.url].length
  const path = media.url.replace(/^https:\/\//, '')
  return {
    id: Number(media.id),
    id_str: media.id,
    indices: [start, start + [...media.url].length],
    media_url: media.mediaUrl.replace(/^https:/, 'http:'),
    media_url_https: media.mediaUrl,
    url: media.url,
    display_url: `pic.x.com/${path.split('/').pop()}`,
    expanded_url: `https://x.com/messages/media/${media.id}`,
    type: media.type,
    sizes: { large: { w: 1280, h: 960, resize: 'fit' }, thumb: { w: 150, h: 150, resize: 'crop' } },
  }
}

/** AAA tweet_create_events for a mention of (or reply to) our account. */
export function buildXTweetCreateEvent(account: XAccountRef, message: ResolvedMessage) {
  const handle = xBrandHandle(account)
  const text = xMentionText(account, message.text)
  const start = text.toLowerCase().indexOf(`@${handle.toLowerCase()}`)
  const replyTo = message.replyToId ?? message.postId
  return {
    for_user_id: account.externalId,
    user_has_blocked: false,
    tweet_create_events: [
      {
        created_at: xLegacyDate(message.at),
        id: Number(message.id),
        id_str: message.id,
        text,
        source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
        truncated: false,
        in_reply_to_status_id: replyTo ? Number(replyTo) : null,
        in_reply_to_status_id_str: replyTo ?? null,
        in_reply_to_user_id: replyTo ? Number(account.externalId) : null,
        in_reply_to_user_id_str: replyTo ? account.externalId : null,
        in_reply_to_screen_name: replyTo ? handle : null,
        user: legacyUser(message.from.id, message.from.name, xScreenName(message.from), message.at),
        entities: {
          hashtags: [],
          urls: [],
          symbols: [],
          user_mentions: [
            { screen_name: handle, name: handle, id: Number(account.externalId), id_str: account.externalId, indices: [start, start + handle.length + 1] },
          ],
        },
        lang: message.from.language ?? 'en',
        timestamp_ms: String(message.at.getTime()),
      },
    ],
  }
}

/** The same mention as the v2 mentions timeline serves it (every field; the route trims to what was asked). */
export function buildXMentionTweet(account: XAccountRef, message: ResolvedMessage): { tweet: XV2Tweet; author: XV2User } {
  const handle = xBrandHandle(account)
  const text = xMentionText(account, message.text)
  const start = text.toLowerCase().indexOf(`@${handle.toLowerCase()}`)
  const replyTo = message.replyToId ?? message.postId
  return {
    tweet: {
      id: message.id,
      text,
      edit_history_tweet_ids: [message.id],
      author_id: message.from.id,
      created_at: message.at.toISOString(),
      conversation_id: message.postId ?? message.id,
      ...(replyTo ? { in_reply_to_user_id: account.externalId, referenced_tweets: [{ type: 'replied_to' as const, id: replyTo }] } : {}),
      entities: { mentions: [{ start, end: start + handle.length + 1, username: handle, id: account.externalId }] },
      lang: message.from.language ?? 'en',
    },
    author: buildXUser(message.from.id, message.from.name, xScreenName(message.from), message.at),
  }
}

export function buildXUser(id: string, name: string, username: string, at = new Date()): XV2User {
  return {
    id,
    name,
    username,
    created_at: new Date(at.getTime() - 400 * 86_400_000).toISOString(),
    profile_image_url: `https://pbs.twimg.com/profile_images/${id}/avatar_normal.jpg`,
    protected: false,
    verified: false,
  }
}

/** A DM as GET /2/dm_events serves it (polling accounts). */
export function buildXDmEventV2(account: XAccountRef, message: ResolvedMessage): XDmEvent {
  return {
    id: message.id,
    event_type: 'MessageCreate',
    text: message.text,
    sender_id: message.from.id,
    dm_conversation_id: xDmConversationId(message.from.id, account.externalId),
    created_at: message.at.toISOString(),
    participant_ids: [message.from.id, account.externalId],
  }
}
