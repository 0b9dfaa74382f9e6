/**
 * One Instagram professional account: DMs (`entry[].messaging[]`, Messenger-shaped, IGSIDs), comments and live
 * comments, and @mentions (`entry[].changes[]`). Spec: platforms.md A3.
 *
 * Secrets: `appSecret` verifies X-Hub-Signature-256 (the Instagram app secret for Instagram Login apps);
 * `webhookSecret` holds the Meta verify token for the GET handshake; `accessToken` sends.
 * `config.apiBaseUrl` is graph.instagram.com (Instagram Login) or graph.facebook.com (Facebook Login), and
 * `externalId` the account (or linked Page) id that owns the /messages edge.
 */
import {
  ConnectorError,
  UnsupportedPayloadError,
  type ChannelRuntime,
  type Connector,
  type InboundEvent,
  type OutboundMessage,
  type SendResult,
} from '../connector.js'
import { refuseChoices } from '../choices.js'
import { fileRefused } from '../http.js'
import { instagramCommentAction, fetchInstagramMedia } from './meta.comments.js'
import { apiUrl, graphGet, graphPost, graphPostAttachment, profileText, readResultId } from './meta.graph.js'
import { parseMessagingEvent, quickReplies } from './meta.messaging.js'
import {
  entryTimeToIso,
  isRecord,
  readId,
  readMetaBody,
  requireId,
  unknownAuthor,
  type InstagramCommentValue,
  type InstagramMentionValue,
  type MessagingEvent,
  type MetaChange,
  type MetaEntry,
} from './meta.payloads.js'
import { metaWebhookMethods } from './meta.webhook.js'
import { metaConnectionMethods } from './meta.connection.js'

/** Graph answers a send within a second or two: 10 s is far past a healthy answer. */
const sendTimeoutMs = 10_000
/** Meta delivers the echo of the account's DM within seconds; two minutes leaves room for a slow webhook. */
const echoWaitMs = 120_000

export function mediaThreadKey(mediaId: string): string {
  return `media:${mediaId}`
}

export const instagramConnector = {
  kind: 'instagram',

  ...metaWebhookMethods('instagram'),
  ...metaConnectionMethods('instagram'),

  parse(payload, channel) {
    const events: InboundEvent[] = []
    for (const entry of readMetaBody(payload, 'instagram').entry) {
      events.push(...parseInstagramEntry(entry, channel.externalId))
    }
    return events
  },

  async send(message, channel) {
    if (message.conversationKind === 'dm') return sendDm(message, channel)
    refuseChoices(message, 'An Instagram comment thread')
    if (message.file) throw fileRefused('Instagram comment threads carry no files: send the file in a direct message')
    return message.visibility === 'private' ? sendPrivateReply(message, channel) : sendPublicReply(message, channel)
  },

  sendTimeoutMs,

  commentAction(action, comment, channel) {
    return instagramCommentAction(action, comment.externalId, channel)
  },

  fetchPost(ids, channel) {
    return fetchInstagramMedia(ids, channel)
  },

  /**
   * A DM's echo comes back with our text (Instagram echoes carry no metadata), which finds the reply in its
   * conversation. Nothing comes back for a reply under a comment or a mention, and a private reply's echo lands
   * in the DM conversation rather than this one: there the agent decides.
   */
  unknownOutcome(message) {
    if (message.conversationKind === 'dm') {
      return {
        kind: 'confirm',
        waitMs: echoWaitMs,
        check:
          'Instagram reports every message the account sends within seconds, and no report came for this one, so it most likely did not go out. ' +
          'Before sending it again, open the chat in the Instagram app or in Meta Business Suite.',
      }
    }
    if (message.visibility === 'private') {
      return {
        kind: 'ask',
        check: 'Carebox cannot tell whether this private reply went out. Before sending it again, open the chat with this person in the Instagram app.',
      }
    }
    return {
      kind: 'ask',
      check:
        "Carebox gets no reliable report of the account's own replies under comments, so it cannot tell whether this one was posted. " +
        'Before sending it again, look under the comment in the Instagram app.',
    }
  },

  /** Instagram DM webhooks carry only the IGSID: the User Profile API gives name, username, picture and followers. */
  async profile(igsid, channel) {
    const url = `${apiUrl(channel.config.apiBaseUrl, igsid)}?fields=name,username,profile_pic,follower_count`
    const body = await graphGet(url, channel.secrets.accessToken, 'Instagram')
    const name = profileText(body, 'name')
    const handle = profileText(body, 'username')
    const avatarUrl = profileText(body, 'profile_pic')
    const followers = typeof body.follower_count === 'number' && body.follower_count >= 0 ? body.follower_count : undefined
    return { ...(name && { name }), ...(handle && { handle }), ...(avatarUrl && { avatarUrl }), ...(followers !== undefined && { followers }) }
  },
} satisfies Connector

function parseInstagramEntry(entry: MetaEntry, accountId: string): InboundEvent[] {
  if (!Array.isArray(entry.messaging) && !Array.isArray(entry.changes)) {
    throw new UnsupportedPayloadError('Instagram entry with neither messaging nor changes')
  }
  const events: InboundEvent[] = []
  for (const event of entry.messaging ?? []) {
    if (!isRecord(event)) throw new UnsupportedPayloadError('Instagram messaging event is not an object')
    events.push(...parseMessagingEvent(event as MessagingEvent, 'Instagram'))
  }
  for (const change of entry.changes ?? []) {
    if (!isRecord(change) || !isRecord(change.value)) throw new UnsupportedPayloadError('Instagram change without a value')
    events.push(...parseInstagramChange(change as MetaChange, accountId, entry.time))
  }
  return events
}

function parseInstagramChange(change: MetaChange, accountId: string, entryTime: number | undefined): InboundEvent[] {
  // Comment and mention values carry no time of their own: the entry's time is when it happened.
  const at = entryTimeToIso(entryTime)
  if (change.field === 'comments' || change.field === 'live_comments') {
    const value = change.value as InstagramCommentValue
    const commentId = requireId(value.id, 'Instagram comment id')
    const mediaId = requireId(value.media?.id, 'Instagram comment media id')
    const fromId = readId(value.from?.id)
    const contact = fromId ? { externalId: fromId, ...(value.from?.username ? { handle: value.from.username } : {}) } : unknownAuthor()
    return [
      {
        type: 'message',
        externalId: commentId,
        threadKey: mediaThreadKey(mediaId),
        conversationKind: 'public',
        // Our own replies under the media come back as comments by the account: record them as echoes.
        direction: fromId === accountId ? 'echo' : 'inbound',
        contact,
        text: value.text ?? '',
        attachments: [],
        sentAt: at,
        ...(value.parent_id ? { replyToExternalId: value.parent_id } : {}),
        subject: mediaId,
        replyContext: { commentId, mediaId },
      },
    ]
  }
  if (change.field === 'mentions') {
    // Ids only: the text and author need a Graph call (mentioned_comment / mentioned_media), which parse cannot make.
    const value = change.value as InstagramMentionValue
    const mediaId = requireId(value.media_id, 'Instagram mention media_id')
    const commentId = readId(value.comment_id)
    return [
      {
        type: 'message',
        externalId: commentId ?? mediaId,
        threadKey: mediaThreadKey(mediaId),
        conversationKind: 'public',
        direction: 'inbound',
        contact: unknownAuthor(),
        text: value.text ?? '',
        attachments: [],
        sentAt: at,
        subject: mediaId,
        replyContext: { mediaId, ...(commentId ? { commentId } : {}), mention: 'true' },
      },
    ]
  }
  throw new UnsupportedPayloadError(`Unknown Instagram change field '${String(change.field)}'`)
}

function messagesUrl(channel: ChannelRuntime): string {
  return apiUrl(channel.config.apiBaseUrl, channel.externalId, 'messages')
}

async function sendDm(message: OutboundMessage, channel: ChannelRuntime): Promise<SendResult> {
  const fields = {
    recipient: { id: message.recipient.externalId },
    ...(message.tag ? { messaging_type: 'MESSAGE_TAG', tag: message.tag } : {}),
  }
  const { accessToken } = channel.secrets
  const replies = quickReplies(message, 'Instagram')
  // Instagram echoes carry no metadata, so a file goes without one, like the text.
  const result = message.file
    ? await graphPostAttachment(messagesUrl(channel), accessToken, fields, { text: message.text, file: message.file }, 'Instagram', sendTimeoutMs)
    : await graphPost(
        messagesUrl(channel),
        accessToken,
        { ...fields, message: { text: message.text, ...(replies && { quick_replies: replies }) } },
        'Instagram',
        sendTimeoutMs,
      )
  return { externalId: readResultId(result, result.message_id, 'Instagram') }
}

/** One DM to the commenter through `recipient.comment_id`, within 7 days of the comment. */
async function sendPrivateReply(message: OutboundMessage, channel: ChannelRuntime): Promise<SendResult> {
  const commentId = message.replyContext?.commentId ?? message.replyToExternalId
  if (!commentId) throw new ConnectorError('A private reply needs the Instagram comment it answers', { retryable: false, outcome: 'not_sent' })
  const body = { recipient: { comment_id: commentId }, message: { text: message.text } }
  const result = await graphPost(messagesUrl(channel), channel.secrets.accessToken, body, 'Instagram', sendTimeoutMs)
  return { externalId: readResultId(result, result.message_id, 'Instagram') }
}

/**
 * A reply under the comment: `POST /{comment-id}/replies`. A mention on someone else's media is answered
 * through `POST /{ig-user-id}/mentions` instead, since we cannot reply on their media directly.
 */
async function sendPublicReply(message: OutboundMessage, channel: ChannelRuntime): Promise<SendResult> {
  const context = message.replyContext ?? {}
  const commentId = context.commentId ?? message.replyToExternalId
  if (context.mention === 'true' && context.mediaId) {
    const body = { media_id: context.mediaId, ...(context.commentId ? { comment_id: context.commentId } : {}), message: message.text }
    const result = await graphPost(
      apiUrl(channel.config.apiBaseUrl, channel.externalId, 'mentions'),
      channel.secrets.accessToken,
      body,
      'Instagram',
      sendTimeoutMs,
    )
    return { externalId: readResultId(result, result.id, 'Instagram') }
  }
  if (!commentId) throw new ConnectorError('This reply names no Instagram comment to answer', { retryable: false, outcome: 'not_sent' })
  const url = apiUrl(channel.config.apiBaseUrl, commentId, 'replies')
  const result = await graphPost(url, channel.secrets.accessToken, { message: message.text }, 'Instagram', sendTimeoutMs)
  return { externalId: readResultId(result, result.id, 'Instagram') }
}
