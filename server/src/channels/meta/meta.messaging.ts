/**
 * `entry[].messaging[]` events, the same shape on Messenger (PSID) and Instagram (IGSID): messages, echoes,
 * deliveries, reads, reactions, edits and postbacks. Spec: platforms.md A1 "Other event shapes", A3 "Inbound".
 */
import { UnsupportedPayloadError, parseSendReference, type Attachment, type InboundEvent, type OutboundMessage } from '../connector.js'
import { checkedChoices, truncateChars } from '../choices.js'
import { epochToIso, requireId, type MessagingAttachment, type MessagingEvent } from './meta.payloads.js'
import { readMessagingReferral } from './meta.referral.js'

/**
 * Keys that may sit next to sender/recipient/timestamp and carry nothing we store: opt-ins, account linking and
 * handover-protocol control changes (who owns the thread, not what was said), and referrals we cannot read.
 */
const ignoredKeys = [
  'referral',
  'optin',
  'account_linking',
  'pass_thread_control',
  'take_thread_control',
  'request_thread_control',
  'app_roles',
  'policy_enforcement',
]

export function dmThreadKey(userId: string): string {
  return `dm:${userId}`
}

export function parseMessagingEvent(event: MessagingEvent, platform: string): InboundEvent[] {
  const at = epochToIso(event.timestamp, 'ms', `${platform} event timestamp`)
  const senderId = requireId(event.sender?.id, `${platform} sender id`)

  if (event.message) {
    const message = event.message
    const mid = requireId(message.mid, `${platform} message mid`)
    if (message.is_deleted) return [{ type: 'delete', externalId: mid, at }]
    const isEcho = message.is_echo === true
    // An echo is our own send: the Page/account is the sender, the customer the recipient.
    const customerId = isEcho ? requireId(event.recipient?.id, `${platform} echo recipient id`) : senderId
    const attachments = (message.attachments ?? []).map(toAttachment)
    if (message.is_unsupported) attachments.push({ kind: 'other', name: 'unsupported message' })
    // Another app on the Page may set its own metadata: only our reference names one of our replies.
    const ref = isEcho ? parseSendReference(message.metadata) : undefined
    // A tapped quick reply (specs/outreach.md §2.3, §2.5): the payload is the option's id, the text its title.
    const choice = !isEcho && message.quick_reply?.payload ? message.quick_reply.payload : undefined
    // Only the customer arrives from an ad; an echo carries nothing of the kind.
    const referral = isEcho ? undefined : readMessagingReferral(message.referral)
    return [
      {
        type: 'message',
        externalId: mid,
        threadKey: dmThreadKey(customerId),
        conversationKind: 'dm',
        direction: isEcho ? 'echo' : 'inbound',
        contact: { externalId: customerId },
        text: message.text ?? '',
        attachments,
        sentAt: at,
        ...(message.reply_to?.mid ? { replyToExternalId: message.reply_to.mid } : {}),
        ...(ref ? { ref } : {}),
        ...(choice ? { choice } : {}),
        ...(referral ? { referral } : {}),
      },
    ]
  }

  if (event.delivery) {
    const { mids = [], watermark } = event.delivery
    const events: InboundEvent[] = mids.map((mid) => ({ type: 'status', externalId: mid, status: 'delivered', at }))
    if (watermark !== undefined) {
      events.push({
        type: 'watermark',
        threadKey: dmThreadKey(senderId),
        status: 'delivered',
        watermark: epochToIso(watermark, 'ms', `${platform} delivery watermark`),
        at,
      })
    }
    return events
  }

  if (event.read) {
    const { mid, watermark } = event.read
    if (mid === undefined && watermark === undefined) throw new UnsupportedPayloadError(`${platform} read event without watermark or mid`)
    const events: InboundEvent[] = []
    if (mid !== undefined) events.push({ type: 'status', externalId: mid, status: 'read', at })
    if (watermark !== undefined) {
      events.push({
        type: 'watermark',
        threadKey: dmThreadKey(senderId),
        status: 'read',
        watermark: epochToIso(watermark, 'ms', `${platform} read watermark`),
        at,
      })
    }
    return events
  }

  if (event.reaction) {
    const { reaction } = event
    if (reaction.action !== 'react' && reaction.action !== 'unreact') {
      throw new UnsupportedPayloadError(`${platform} reaction with unknown action '${String(reaction.action)}'`)
    }
    return [
      {
        type: 'reaction',
        externalId: requireId(reaction.mid, `${platform} reaction mid`),
        contactExternalId: senderId,
        emoji: reaction.emoji ?? '',
        action: reaction.action,
        at,
      },
    ]
  }

  if (event.message_edit) {
    return [{ type: 'edit', externalId: requireId(event.message_edit.mid, `${platform} edit mid`), text: event.message_edit.text ?? '', at }]
  }

  if (event.postback) {
    // A tapped button: record it as the customer's message so the agent sees what they chose.
    const externalId = event.postback.mid ?? `postback:${senderId}:${String(event.timestamp)}`
    // Get Started in a new thread opened from an ad or a link carries the referral (spec §4.1).
    const referral = readMessagingReferral(event.postback.referral)
    return [
      {
        type: 'message',
        externalId,
        threadKey: dmThreadKey(senderId),
        conversationKind: 'dm',
        direction: 'inbound',
        contact: { externalId: senderId },
        text: event.postback.title ?? event.postback.payload ?? '',
        attachments: [],
        sentAt: at,
        ...(referral ? { referral } : {}),
      },
    ]
  }

  // A click in an existing thread (Messenger messaging_referrals, Instagram messaging_referral): no message yet.
  const referral = 'referral' in event ? readMessagingReferral(event.referral) : undefined
  if (referral) return [{ type: 'referral', threadKey: dmThreadKey(senderId), contact: { externalId: senderId }, referral, at }]

  if (ignoredKeys.some((key) => key in event)) return []
  const keys = Object.keys(event).filter((key) => !['sender', 'recipient', 'timestamp'].includes(key))
  throw new UnsupportedPayloadError(`Unknown ${platform} messaging event (${keys.join(', ') || 'no event key'})`)
}

const attachmentKinds: Record<string, Attachment['kind']> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'file',
  sticker: 'sticker',
  location: 'location',
}

function toAttachment(attachment: MessagingAttachment): Attachment {
  const payload = attachment.payload
  // Messenger has long sent stickers as `image` with a sticker_id; the `sticker` type replaces that by 2026-08-30.
  const kind = payload?.sticker_id !== undefined ? 'sticker' : (attachmentKinds[attachment.type ?? ''] ?? 'other')
  const url = payload?.url ?? attachment.url
  const coordinates = payload?.coordinates
  const name =
    payload?.title ??
    attachment.title ??
    (coordinates?.lat !== undefined && coordinates.long !== undefined ? `${coordinates.lat},${coordinates.long}` : undefined) ??
    (kind === 'other' && attachment.type ? attachment.type : undefined)
  return { kind, ...(url ? { url } : {}), ...(name ? { name } : {}) }
}

/** Messenger and Instagram take up to 13 quick replies, each payload up to 1,000 characters (specs/outreach.md §2.3). */
const quickReplyLimits = (platform: string) => ({ platform, maxOptions: 13, maxIdBytes: 1000 })

/**
 * The Send API's `quick_replies` for a question's answers: text buttons above the composer that vanish once one is
 * tapped. Titles over 20 characters would be cut by the platform; cut here, so the tap's text is the title we know.
 * https://developers.facebook.com/docs/messenger-platform/send-messages/quick-replies
 */
export function quickReplies(message: OutboundMessage, platform: string): { content_type: 'text'; title: string; payload: string }[] | undefined {
  if (!message.choices) return undefined
  const { options } = checkedChoices(message, quickReplyLimits(platform))
  return options.map((option) => ({ content_type: 'text', title: truncateChars(option.title, 20), payload: option.id }))
}
