/**
 * One Facebook Page: Messenger DMs (`entry[].messaging[]`) and public comments, visitor posts and mentions
 * (`entry[].changes[]`, fields `feed` and `mention`). Spec: platforms.md A1 and A2.
 *
 * Secrets: `appSecret` verifies X-Hub-Signature-256; `webhookSecret` holds the Meta verify token answered in the
 * GET handshake (ChannelRuntime has no verify-token field, and the two secrets never coexist on one kind);
 * `accessToken` is the Page token used to send.
 */
import {
  UnsupportedPayloadError,
  ConnectorError,
  sendReference,
  type ChannelRuntime,
  type Connector,
  type InboundEvent,
  type OutboundMessage,
  type SendResult,
} from '../connector.js'
import { refuseChoices } from '../choices.js'
import { fileRefused } from '../http.js'
import { facebookCommentAction, fetchFacebookPost } from './meta.comments.js'
import { apiUrl, graphGet, graphPost, graphPostAttachment, profileText, readResultId } from './meta.graph.js'
import { parseMessagingEvent, quickReplies } from './meta.messaging.js'
import {
  epochToIso,
  isRecord,
  readId,
  readMetaBody,
  requireId,
  unknownAuthor,
  type FeedValue,
  type MessagingEvent,
  type MetaChange,
  type MetaEntry,
  type PageMentionValue,
} from './meta.payloads.js'
import { metaWebhookMethods } from './meta.webhook.js'
import { metaConnectionMethods } from './meta.connection.js'

/** Graph answers a send within a second or two: 10 s is far past a healthy answer. */
const sendTimeoutMs = 10_000
/** Meta delivers the echo of a Page's message, or the feed change of its comment, within seconds; two minutes leaves room for a slow webhook. */
const echoWaitMs = 120_000

export function postThreadKey(postId: string): string {
  return `post:${postId}`
}

export const facebookConnector = {
  kind: 'facebook',

  ...metaWebhookMethods('facebook'),
  ...metaConnectionMethods('facebook'),

  parse(payload, channel) {
    const events: InboundEvent[] = []
    for (const entry of readMetaBody(payload, 'page').entry) {
      events.push(...parsePageEntry(entry, channel.externalId))
    }
    return events
  },

  async send(message, channel) {
    if (message.conversationKind === 'dm') return sendMessengerDm(message, channel)
    refuseChoices(message, 'A Facebook comment thread')
    if (message.file) throw fileRefused('Facebook comment threads carry no files: send the file in a Messenger conversation')
    return sendCommentReply(message, channel)
  },

  sendTimeoutMs,

  commentAction(action, comment, channel) {
    return facebookCommentAction(action, comment.externalId, channel)
  },

  fetchPost(ids, channel) {
    return fetchFacebookPost(ids, channel)
  },

  // Messenger sends carry our reference in message.metadata, handed back in their echo; a public comment reply
  // comes back as the Page's own comment, matched by its text.
  unknownOutcome(message) {
    if (message.conversationKind === 'public' && message.visibility !== 'private') {
      return {
        kind: 'confirm',
        waitMs: echoWaitMs,
        check:
          "Facebook shows the Page's reply as a new comment within seconds, and none came for this one, so it most likely was not posted. " +
          'Before sending it again, look under the comment on the Page.',
      }
    }
    return {
      kind: 'confirm',
      waitMs: echoWaitMs,
      check:
        'Messenger reports every message the Page sends within seconds, and no report came for this one, so it most likely did not go out. ' +
        "Before sending it again, open the conversation in the Page's inbox (Meta Business Suite).",
    }
  },

  /** Messenger webhooks carry only the PSID: the User Profile API gives the name and picture. */
  async profile(psid, channel) {
    const url = `${apiUrl(channel.config.apiBaseUrl, psid)}?fields=first_name,last_name,profile_pic`
    const body = await graphGet(url, channel.secrets.accessToken, 'Facebook')
    const name = [profileText(body, 'first_name'), profileText(body, 'last_name')].filter(Boolean).join(' ')
    const avatarUrl = profileText(body, 'profile_pic')
    return { ...(name && { name }), ...(avatarUrl && { avatarUrl }) }
  },
} satisfies Connector

function parsePageEntry(entry: MetaEntry, pageId: string): InboundEvent[] {
  const events: InboundEvent[] = []
  if (Array.isArray(entry.messaging)) {
    for (const event of entry.messaging) {
      if (!isRecord(event)) throw new UnsupportedPayloadError('Messenger messaging event is not an object')
      events.push(...parseMessagingEvent(event as MessagingEvent, 'Messenger'))
    }
  }
  if (Array.isArray(entry.changes)) {
    for (const change of entry.changes) {
      if (!isRecord(change)) throw new UnsupportedPayloadError('Facebook Page change is not an object')
      events.push(...parsePageChange(change as MetaChange, pageId, entry.time))
    }
  }
  // Handover protocol: another app owns these threads and answers them; Carebox only reads the threads it owns.
  if (!Array.isArray(entry.messaging) && !Array.isArray(entry.changes) && !Array.isArray(entry.standby)) {
    throw new UnsupportedPayloadError('Facebook Page entry with neither messaging nor changes')
  }
  return events
}

function parsePageChange(change: MetaChange, pageId: string, entryTime: number | undefined): InboundEvent[] {
  if (!isRecord(change.value)) throw new UnsupportedPayloadError(`Facebook Page change '${String(change.field)}' without a value`)
  if (change.field === 'feed') return parseFeed(change.value as FeedValue, pageId, entryTime)
  if (change.field === 'mention') return parseMention(change.value as PageMentionValue, entryTime)
  throw new UnsupportedPayloadError(`Unknown Facebook Page change field '${String(change.field)}'`)
}

/**
 * Feed items Carebox does not turn into messages: reactions and likes on posts or comments (no text to answer),
 * shares of a post, and Page events and albums.
 */
const ignoredFeedItems = new Set(['reaction', 'like', 'share', 'event', 'album'])
const postItems = new Set(['status', 'post', 'photo', 'video'])

function parseFeed(value: FeedValue, pageId: string, entryTime: number | undefined): InboundEvent[] {
  const item = value.item ?? ''
  if (ignoredFeedItems.has(item)) return []
  if (item !== 'comment' && !postItems.has(item)) throw new UnsupportedPayloadError(`Unknown Facebook feed item '${item}'`)
  const isComment = item === 'comment'
  // The Page's own posts are what customers comment on, not messages; its own comments are our replies (echoes).
  if (!isComment && value.from?.id === pageId) return []
  const postId = requireId(value.post_id, 'feed post_id')
  const externalId = isComment ? requireId(value.comment_id, 'feed comment_id') : postId
  const at = epochToIso(value.created_time ?? entryTime, 's', 'feed created_time')

  switch (value.verb) {
    case 'add': {
      const fromId = readId(value.from?.id)
      const contact = fromId ? { externalId: fromId, ...(value.from?.name ? { name: value.from.name } : {}) } : unknownAuthor()
      const media = value.photo ?? (item === 'photo' ? value.link : undefined)
      const video = value.video ?? (item === 'video' ? value.link : undefined)
      const isReplyToComment = isComment && value.parent_id !== undefined && value.parent_id !== postId
      return [
        {
          type: 'message',
          externalId,
          threadKey: postThreadKey(postId),
          conversationKind: 'public',
          direction: fromId === pageId ? 'echo' : 'inbound',
          contact,
          text: value.message ?? '',
          attachments: [...(media ? [{ kind: 'image' as const, url: media }] : []), ...(video ? [{ kind: 'video' as const, url: video }] : [])],
          sentAt: at,
          ...(isReplyToComment ? { replyToExternalId: value.parent_id } : {}),
          subject: postId,
          replyContext: isComment ? { commentId: externalId, postId } : { postId },
        },
      ]
    }
    case 'edited':
      return [{ type: 'edit', externalId, text: value.message ?? '', at }]
    case 'remove':
    case 'hide':
      return [{ type: 'delete', externalId, at }]
    case 'unhide':
      // No event restores a deleted message; the comment stays removed in Carebox.
      return []
    default:
      throw new UnsupportedPayloadError(`Unknown Facebook feed verb '${String(value.verb)}' for item '${item}'`)
  }
}

/** The Page was @-mentioned in someone's post or comment (shape per Chatwoot's handler, unverified). */
function parseMention(value: PageMentionValue, entryTime: number | undefined): InboundEvent[] {
  const postId = requireId(value.post_id, 'mention post_id')
  const commentId = readId(value.comment_id)
  const externalId = value.item === 'comment' ? requireId(commentId, 'mention comment_id') : postId
  const at = epochToIso(value.created_time ?? entryTime, 's', 'mention created_time')
  switch (value.verb) {
    case 'add': {
      const senderId = readId(value.sender_id)
      return [
        {
          type: 'message',
          externalId,
          threadKey: postThreadKey(postId),
          conversationKind: 'public',
          direction: 'inbound',
          contact: senderId ? { externalId: senderId, ...(value.sender_name ? { name: value.sender_name } : {}) } : unknownAuthor(),
          text: value.message ?? '',
          attachments: [],
          sentAt: at,
          subject: postId,
          replyContext: value.item === 'comment' ? { commentId: externalId, postId } : { postId },
        },
      ]
    }
    case 'edited':
      return [{ type: 'edit', externalId, text: value.message ?? '', at }]
    case 'remove':
    case 'hide':
      return [{ type: 'delete', externalId, at }]
    default:
      throw new UnsupportedPayloadError(`Unknown Facebook mention verb '${String(value.verb)}'`)
  }
}

/** Send API: https://developers.facebook.com/docs/messenger-platform/reference/send-api */
async function sendMessengerDm(message: OutboundMessage, channel: ChannelRuntime): Promise<SendResult> {
  const url = apiUrl(channel.config.apiBaseUrl, channel.externalId, 'messages')
  const fields = {
    recipient: { id: message.recipient.externalId },
    messaging_type: message.tag ? 'MESSAGE_TAG' : 'RESPONSE',
    ...(message.tag ? { tag: message.tag } : {}),
  }
  const replies = quickReplies(message, 'Messenger')
  const result = message.file
    ? await graphPostAttachment(
        url,
        channel.secrets.accessToken,
        fields,
        { text: message.text, file: message.file, metadata: sendReference(message.id) },
        'Facebook',
        sendTimeoutMs,
      )
    : await graphPost(
        url,
        channel.secrets.accessToken,
        { ...fields, message: { ...messengerMessage(message), ...(replies && { quick_replies: replies }) } },
        'Facebook',
        sendTimeoutMs,
      )
  return { externalId: readResultId(result, result.message_id, 'Facebook') }
}

/** The Send API message: `metadata` (up to 1,000 characters) comes back in the echo, tying it to this reply. */
function messengerMessage(message: OutboundMessage): { text: string; metadata: string } {
  return { text: message.text, metadata: sendReference(message.id) }
}

/**
 * Public: a comment under the comment (or under the visitor post). Private: one Messenger message to the author
 * through the Send API's `recipient.comment_id` / `recipient.post_id`, within 7 days of the comment.
 */
async function sendCommentReply(message: OutboundMessage, channel: ChannelRuntime): Promise<SendResult> {
  const commentId = message.replyContext?.commentId
  const postId = message.replyContext?.postId
  const target = commentId ?? postId ?? message.replyToExternalId
  if (!target) {
    throw new ConnectorError('This reply names no Facebook comment or post to answer', { retryable: false, outcome: 'not_sent' })
  }
  const { accessToken } = channel.secrets
  if (message.visibility === 'private') {
    const recipient = commentId || !postId ? { comment_id: target } : { post_id: postId }
    const body = { recipient, messaging_type: 'RESPONSE', message: messengerMessage(message) }
    const result = await graphPost(apiUrl(channel.config.apiBaseUrl, channel.externalId, 'messages'), accessToken, body, 'Facebook', sendTimeoutMs)
    return { externalId: readResultId(result, result.message_id, 'Facebook') }
  }
  const result = await graphPost(apiUrl(channel.config.apiBaseUrl, target, 'comments'), accessToken, { message: message.text }, 'Facebook', sendTimeoutMs)
  return { externalId: readResultId(result, result.id, 'Facebook') }
}
