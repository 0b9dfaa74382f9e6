import { stableNumericId } from '../ids.js'
import type { ResolvedMessage, SimAccount, SimTemplate } from '../types.js'

/**
 * Meta webhook bodies (Messenger, Facebook Page feed, Instagram, WhatsApp Cloud API), built the way Meta sends them.
 * https://developers.facebook.com/docs/messenger-platform/webhooks ,
 * https://developers.facebook.com/docs/graph-api/webhooks/reference/page/#feed ,
 * https://developers.facebook.com/docs/graph-api/webhooks/reference/instagram ,
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 */

export type MetaKind = 'facebook' | 'instagram' | 'whatsapp'
export type MetaObject = 'page' | 'instagram' | 'whatsapp_business_account'
export type MetaAccountRef = Pick<SimAccount, 'externalId' | 'handle' | 'businessAccountId' | 'displayPhoneNumber'>

export interface MetaChange {
  field: string
  value: Record<string, unknown>
}

export interface MetaEntry {
  id: string
  time?: number
  messaging?: Record<string, unknown>[]
  changes?: MetaChange[]
}

export interface MetaWebhookBody {
  object: MetaObject
  entry: MetaEntry[]
}

export const metaObjects: Record<MetaKind, MetaObject> = {
  facebook: 'page',
  instagram: 'instagram',
  whatsapp: 'whatsapp_business_account',
}

export function isMetaKind(kind: string): kind is MetaKind {
  return kind === 'facebook' || kind === 'instagram' || kind === 'whatsapp'
}

export function metaBody(object: MetaObject, entries: MetaEntry[]): MetaWebhookBody {
  return { object, entry: entries }
}

const seconds = (at: Date) => Math.floor(at.getTime() / 1000)

function messagingAttachments(message: ResolvedMessage) {
  return message.attachments?.map((attachment) => ({ type: attachment.type, payload: { url: attachment.url } }))
}

/**
 * One Messenger or Instagram DM: entry[].messaging[].message, timestamps in epoch ms. `quickReply`: the message is a
 * tapped quick reply (its text the title), carrying the payload we gave it.
 */
export function buildMessagingEntry(accountId: string, message: ResolvedMessage, quickReply?: { payload: string }): MetaEntry {
  const attachments = messagingAttachments(message)
  return {
    id: accountId,
    time: message.at.getTime(),
    messaging: [
      {
        sender: { id: message.from.id },
        recipient: { id: accountId },
        timestamp: message.at.getTime(),
        message: {
          mid: message.id,
          ...(message.text ? { text: message.text } : {}),
          ...(quickReply ? { quick_reply: quickReply } : {}),
          ...(attachments ? { attachments } : {}),
          ...(message.replyToId ? { reply_to: { mid: message.replyToId, is_self_reply: false } } : {}),
          ...(message.referral ? { referral: message.referral } : {}),
        },
      },
    ],
  }
}

/**
 * A Messenger `messaging_referrals` (Instagram `messaging_referral`) event: the customer opened the thread from an ad
 * or an m.me / ig.me link and has written nothing yet.
 * https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messaging_referrals
 */
export function buildReferralEntry(accountId: string, arrival: { customerId: string; referral: Record<string, unknown>; at: Date }): MetaEntry {
  return {
    id: accountId,
    time: arrival.at.getTime(),
    messaging: [{ sender: { id: arrival.customerId }, recipient: { id: accountId }, timestamp: arrival.at.getTime(), referral: arrival.referral }],
  }
}

/** The Page's feed post a comment lands under when the message names none. */
export function defaultFacebookPostId(pageId: string): string {
  return `${pageId}_${stableNumericId(`post:${pageId}`, 15, '3')}`
}

export function defaultInstagramMediaId(igId: string): string {
  return stableNumericId(`media:${igId}`, 17, '179')
}

/** A comment on a Page post: field feed, item comment, verb add, epoch seconds. */
export function buildFacebookCommentEntry(pageId: string, message: ResolvedMessage): MetaEntry {
  const postId = message.postId ?? defaultFacebookPostId(pageId)
  const image = message.attachments?.[0]
  return {
    id: pageId,
    time: seconds(message.at),
    changes: [
      {
        field: 'feed',
        value: {
          from: { id: message.from.id, name: message.from.name },
          post: {
            status_type: 'added_photos',
            is_published: true,
            updated_time: message.at.toISOString().replace(/\.\d{3}Z$/, '+0000'),
            promotion_status: 'inactive',
            id: postId,
          },
          message: message.text,
          ...(image ? { photo: image.url } : {}),
          post_id: postId,
          comment_id: message.id,
          created_time: seconds(message.at),
          item: 'comment',
          parent_id: message.replyToId ?? postId,
          verb: 'add',
        },
      },
    ],
  }
}

/** A comment on an Instagram media: field comments. */
export function buildInstagramCommentEntry(igId: string, message: ResolvedMessage): MetaEntry {
  return {
    id: igId,
    time: seconds(message.at),
    changes: [
      {
        field: 'comments',
        value: {
          from: { id: message.from.id, username: message.from.handle ?? message.from.name },
          media: { id: message.mediaId ?? defaultInstagramMediaId(igId), media_product_type: 'FEED' },
          id: message.id,
          ...(message.replyToId ? { parent_id: message.replyToId } : {}),
          text: message.text,
        },
      },
    ],
  }
}

/** An @mention in a comment: Instagram sends ids only; the text is read with GET /{ig-user-id}?fields=mentioned_comment… */
export function buildInstagramMentionEntry(igId: string, message: ResolvedMessage): MetaEntry {
  return {
    id: igId,
    time: seconds(message.at),
    changes: [{ field: 'mentions', value: { media_id: message.mediaId ?? defaultInstagramMediaId(igId), comment_id: message.id } }],
  }
}

const bsuidCountries: [string, string][] = [
  ['420', 'CZ'],
  ['44', 'GB'],
  ['49', 'DE'],
  ['34', 'ES'],
  ['55', 'BR'],
  ['81', 'JP'],
  ['86', 'CN'],
  ['91', 'IN'],
  ['7', 'RU'],
  ['1', 'US'],
]

/** A business-scoped user id (BSUID, `CC.<digits>`) stable for a wa_id. */
export function whatsappUserId(waId: string): string {
  const country = bsuidCountries.find(([prefix]) => waId.startsWith(prefix))?.[1] ?? 'US'
  return `${country}.${stableNumericId(`bsuid:${waId}`, 19)}`
}

export function whatsappBusinessAccountId(account: MetaAccountRef): string {
  return account.businessAccountId ?? stableNumericId(`waba:${account.externalId}`, 15, '1')
}

export function whatsappMediaId(url: string): string {
  return stableNumericId(`media:${url}`, 16, '1')
}

function whatsappMetadata(account: MetaAccountRef) {
  return {
    display_phone_number: account.displayPhoneNumber ?? stableNumericId(`phone:${account.externalId}`, 11, '1555'),
    phone_number_id: account.externalId,
  }
}

/**
 * One inbound WhatsApp message: entry → changes → value{metadata, contacts, messages}, timestamp epoch seconds as a
 * string. `content` replaces the text or image the message would carry (`type` and its object).
 */
export function buildWhatsAppMessageEntry(account: MetaAccountRef, message: ResolvedMessage, content = whatsappContent(message)): MetaEntry {
  return {
    id: whatsappBusinessAccountId(account),
    changes: [
      {
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: whatsappMetadata(account),
          contacts: [{ profile: { name: message.from.name }, wa_id: message.from.id, user_id: whatsappUserId(message.from.id) }],
          messages: [
            {
              from: message.from.id,
              id: message.id,
              timestamp: String(seconds(message.at)),
              ...content,
              ...(message.replyToId ? { context: { from: whatsappMetadata(account).display_phone_number, id: message.replyToId } } : {}),
              ...(message.referral ? { referral: message.referral } : {}),
            },
          ],
        },
      },
    ],
  }
}

/** A tapped row of our list (`list_reply`) or reply button (`button_reply`), as the message's content. */
export function whatsappInteractiveReply(control: 'list' | 'button', option: { id: string; title: string; description?: string }): Record<string, unknown> {
  const reply = control === 'list' ? 'list_reply' : 'button_reply'
  const { id, title, description } = option
  return { type: 'interactive', interactive: { type: reply, [reply]: { id, title, ...(control === 'list' && description ? { description } : {}) } } }
}

function whatsappContent(message: ResolvedMessage): Record<string, unknown> {
  const image = message.attachments?.[0]
  return image
    ? {
        type: 'image',
        image: {
          ...(message.text ? { caption: message.text } : {}),
          mime_type: 'image/jpeg',
          sha256: stableNumericId(`sha:${image.url}`, 44),
          id: whatsappMediaId(image.url),
        },
      }
    : { type: 'text', text: { body: message.text } }
}

export interface TemplateStatusChange {
  event: string
  template: Pick<SimTemplate, 'id' | 'name' | 'language' | 'category'>
  reason: string | null
  otherInfo?: { title: string; description: string }
  rejectionInfo?: { reason: string; recommendation: string }
  at: Date
}

/**
 * A message_template_status_update on the WABA: entry[].id is the WABA id, and message_template_id is a number
 * here although the listing API gives it as a string.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/message_template_status_update
 */
export function buildTemplateStatusEntry(businessAccountId: string, change: TemplateStatusChange): MetaEntry {
  return {
    id: businessAccountId,
    time: seconds(change.at),
    changes: [
      {
        field: 'message_template_status_update',
        value: {
          event: change.event,
          message_template_id: Number(change.template.id),
          message_template_name: change.template.name,
          message_template_language: change.template.language,
          message_template_category: change.template.category,
          reason: change.reason,
          ...(change.otherInfo ? { other_info: change.otherInfo } : {}),
          ...(change.rejectionInfo ? { rejection_info: change.rejectionInfo } : {}),
        },
      },
    ],
  }
}

export type WhatsAppStatus = 'sent' | 'delivered' | 'read' | 'failed'

/** A status update for one of our sends (sent → delivered → read), with the send's biz_opaque_callback_data when it had one. */
export function buildWhatsAppStatusEntry(
  account: MetaAccountRef,
  status: { messageId: string; status: WhatsAppStatus; recipientId: string; callbackData?: string; at: Date },
): MetaEntry {
  return {
    id: whatsappBusinessAccountId(account),
    changes: [
      {
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: whatsappMetadata(account),
          statuses: [
            {
              id: status.messageId,
              status: status.status,
              timestamp: String(seconds(status.at)),
              recipient_id: status.recipientId,
              ...(status.callbackData ? { biz_opaque_callback_data: status.callbackData } : {}),
              pricing: { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' },
            },
          ],
        },
      },
    ],
  }
}

/** The echo of a message our Page/IG account sent: sender is the account, message.is_echo true, and the send's metadata if any. */
export function buildEchoEntry(
  accountId: string,
  echo: { recipientId: string; mid: string; text?: string; metadata?: string; attachment?: { type: string; url: string }; appId: string; at: Date },
): MetaEntry {
  return {
    id: accountId,
    time: echo.at.getTime(),
    messaging: [
      {
        sender: { id: accountId },
        recipient: { id: echo.recipientId },
        timestamp: echo.at.getTime(),
        message: {
          mid: echo.mid,
          is_echo: true,
          app_id: Number(echo.appId),
          ...(echo.metadata ? { metadata: echo.metadata } : {}),
          ...(echo.text ? { text: echo.text } : {}),
          ...(echo.attachment ? { attachments: [{ type: echo.attachment.type, payload: { url: echo.attachment.url } }] } : {}),
        },
      },
    ],
  }
}

/** message_deliveries: everything we sent before `watermark` (epoch ms) reached the person. */
export function buildDeliveryEntry(accountId: string, delivery: { customerId: string; mids: string[]; watermark: number; at: Date }): MetaEntry {
  return {
    id: accountId,
    time: delivery.at.getTime(),
    messaging: [
      {
        sender: { id: delivery.customerId },
        recipient: { id: accountId },
        timestamp: delivery.at.getTime(),
        delivery: { mids: delivery.mids, watermark: delivery.watermark },
      },
    ],
  }
}

/** message_reads (Instagram: messaging_seen, which also names the mid): everything before `watermark` was read. */
export function buildReadEntry(accountId: string, read: { customerId: string; watermark: number; mid?: string; at: Date }): MetaEntry {
  return {
    id: accountId,
    time: read.at.getTime(),
    messaging: [
      {
        sender: { id: read.customerId },
        recipient: { id: accountId },
        timestamp: read.at.getTime(),
        read: { ...(read.mid ? { mid: read.mid } : {}), watermark: read.watermark },
      },
    ],
  }
}

/** The feed change a Page's own comment reply produces; receivers must recognise from.id as the Page. */
export function buildPageCommentEchoEntry(
  account: MetaAccountRef,
  reply: { commentId: string; parentId: string; postId: string; text: string; at: Date },
): MetaEntry {
  return buildFacebookCommentEntry(account.externalId, {
    from: { id: account.externalId, name: account.handle ?? 'Page' },
    text: reply.text,
    kind: 'comment',
    id: reply.commentId,
    postId: reply.postId,
    replyToId: reply.parentId,
    at: reply.at,
  })
}

/** The entry a customer's message becomes on a Meta account. */
export function buildMetaCustomerEntry(kind: MetaKind, account: MetaAccountRef, message: ResolvedMessage): MetaEntry {
  if (kind === 'whatsapp') return buildWhatsAppMessageEntry(account, message)
  if (kind === 'facebook') {
    return message.kind === 'dm' ? buildMessagingEntry(account.externalId, message) : buildFacebookCommentEntry(account.externalId, message)
  }
  if (message.kind === 'comment') return buildInstagramCommentEntry(account.externalId, message)
  if (message.kind === 'mention') return buildInstagramMentionEntry(account.externalId, message)
  return buildMessagingEntry(account.externalId, message)
}
