import { blueskyCid, blueskyTid, instagramMid, mastodonSnowflake, messengerMid, numericId, whatsappMessageId, xSnowflake } from './ids.js'
import { buildBlueskyNotification, type StrongRef } from './payloads/bluesky.js'
import { buildMastodonNotification } from './payloads/mastodon.js'
import {
  buildMetaCustomerEntry,
  buildReferralEntry,
  defaultFacebookPostId,
  defaultInstagramMediaId,
  isMetaKind,
  metaBody,
  metaObjects,
  whatsappMediaId,
  whatsappUserId,
  type MetaKind,
} from './payloads/meta.js'
import { rememberPost } from './meta-objects.js'
import { buildTelegramUpdate, nextTelegramMessageId, type TelegramUpdate } from './payloads/telegram.js'
import { buildXDirectMessageEvent, buildXDmEventV2, buildXMentionTweet, buildXTweetCreateEvent, buildXUser, xScreenName } from './payloads/x.js'
import { blueskyFeed, mastodonFeed, requireAccount, telegramFeed, xFeed, type SimState } from './state.js'
import type { CustomerArrival, CustomerMessage, DeliverRawOptions, DeliveryReport, ResolvedMessage, SimAccount } from './types.js'
import { buildWebhook, deliverWebhook } from './webhook-delivery.js'

/** Fills in the kind, the time and a platform-shaped id. */
export function resolveMessage(account: Pick<SimAccount, 'kind' | 'externalId'>, message: CustomerMessage): ResolvedMessage {
  const kind = message.kind ?? 'dm'
  const at = message.at ?? new Date()
  return { ...message, kind, at, id: message.id ?? defaultMessageId(account, kind, message, at) }
}

function defaultMessageId(account: Pick<SimAccount, 'kind' | 'externalId'>, kind: ResolvedMessage['kind'], message: CustomerMessage, at: Date): string {
  switch (account.kind) {
    case 'facebook': {
      if (kind === 'dm') return messengerMid()
      const postId = message.postId ?? defaultFacebookPostId(account.externalId)
      return `${postId.split('_').pop()}_${numericId(15)}`
    }
    case 'instagram':
      return kind === 'dm' ? instagramMid() : numericId(17, '179')
    case 'whatsapp':
      return whatsappMessageId()
    case 'telegram':
      return String(nextTelegramMessageId())
    case 'x':
      return xSnowflake(at.getTime())
    case 'mastodon':
      return mastodonSnowflake(at.getTime())
    case 'bluesky':
      return blueskyTid(at.getTime())
  }
}

const notQueued = (account: SimAccount): DeliveryReport => ({
  attempts: 0,
  finalStatus: 0,
  delivered: false,
  error: `${account.kind} account ${account.externalId} has no webhookUrl`,
})

const queued: DeliveryReport = { attempts: 0, finalStatus: 0, delivered: false, queued: true }

/** A customer writes: build the platform's payload, then deliver it as a signed webhook or queue it for polling. */
export async function customerWrites(state: SimState, accountExternalId: string, message: CustomerMessage): Promise<DeliveryReport> {
  const account = requireAccount(state, accountExternalId)
  const resolved = resolveMessage(account, message)
  switch (account.kind) {
    case 'facebook':
    case 'instagram':
    case 'whatsapp': {
      const entry = buildMetaCustomerEntry(account.kind, account, resolved)
      rememberMetaMessage(state, account, resolved)
      const body = metaBody(metaObjects[account.kind], [entry])
      const outcome = account.webhookUrl ? await deliverWebhook(state, buildWebhook(account, body)) : notQueued(account)
      return { ...outcome, externalId: resolved.id, payload: body }
    }
    case 'telegram': {
      const update = buildTelegramUpdate({
        updateId: telegramFeed(state, account.externalId).nextUpdateId++,
        messageId: Number(resolved.id) || nextTelegramMessageId(),
        botUsername: account.handle,
        message: resolved,
      })
      const externalId = `${update.message?.chat.id}:${update.message?.message_id}`
      return { ...(await deliverOrQueueTelegram(state, account, update)), externalId, payload: update }
    }
    case 'x':
      return writeToX(state, account, resolved)
    case 'mastodon': {
      const notification = buildMastodonNotification(account, resolved, String(state.nextMastodonNotificationId++))
      mastodonFeed(state, account.externalId).notifications.push(notification)
      return { ...queued, externalId: resolved.id, payload: notification }
    }
    case 'bluesky':
      return writeToBluesky(state, account, resolved)
  }
}

/** What Graph learns of a customer who writes: a WhatsApp wa_id by BSUID, a DM sender's profile, a comment and its post. */
export function rememberMetaMessage(state: SimState, account: SimAccount, message: ResolvedMessage): void {
  if (account.kind === 'whatsapp') {
    state.meta.waIds.set(whatsappUserId(message.from.id), message.from.id)
    for (const attachment of message.attachments ?? []) state.meta.media.set(whatsappMediaId(attachment.url), attachment.url)
    return
  }
  if (message.kind === 'dm') {
    state.meta.profiles.set(message.from.id, {
      accountExternalId: account.externalId,
      kind: account.kind as 'facebook' | 'instagram',
      name: message.from.name,
      ...(message.from.handle && { handle: message.from.handle }),
    })
    return
  }
  const postId =
    account.kind === 'facebook'
      ? (message.postId ?? defaultFacebookPostId(account.externalId))
      : (message.mediaId ?? defaultInstagramMediaId(account.externalId))
  state.meta.comments.set(message.id, {
    accountExternalId: account.externalId,
    authorId: message.from.id,
    authorUsername: message.from.handle ?? message.from.name,
    postId,
    text: message.text,
    at: message.at,
  })
  rememberPost(state, account, postId, message.at)
}

export async function deliverOrQueueTelegram(state: SimState, account: SimAccount, update: TelegramUpdate): Promise<DeliveryReport> {
  const feed = telegramFeed(state, account.externalId)
  if (!account.webhookUrl) {
    feed.updates.push(update)
    for (const listener of feed.listeners) listener()
    return queued
  }
  const report = await deliverWebhook(state, buildWebhook(account, update))
  if (!report.delivered) feed.lastError = { at: new Date(), message: report.error ?? `HTTP ${report.finalStatus}` }
  return report
}

async function writeToX(state: SimState, account: SimAccount, message: ResolvedMessage): Promise<DeliveryReport> {
  const feed = xFeed(state, account.externalId)
  if (message.kind === 'dm') {
    if (!account.webhookUrl) {
      feed.dmEvents.push(buildXDmEventV2(account, message))
      feed.users.set(message.from.id, buildXUser(message.from.id, message.from.name, xScreenName(message.from), message.at))
      return { ...queued, externalId: message.id, payload: feed.dmEvents.at(-1) }
    }
    // Known by name from now on, as the users map of our own DMs to them shows (see buildXSentDirectMessageEvent).
    feed.users.set(message.from.id, buildXUser(message.from.id, message.from.name, xScreenName(message.from), message.at))
    const body = buildXDirectMessageEvent(account, message)
    return { ...(await deliverWebhook(state, buildWebhook(account, body))), externalId: message.id, payload: body }
  }
  // Mentions reach the v2 timeline whatever the delivery, as on X.
  const { tweet, author } = buildXMentionTweet(account, message)
  feed.mentions.push(tweet)
  feed.users.set(author.id, author)
  if (!account.webhookUrl) return { ...queued, externalId: message.id, payload: tweet }
  const body = buildXTweetCreateEvent(account, message)
  return { ...(await deliverWebhook(state, buildWebhook(account, body))), externalId: message.id, payload: body }
}

function writeToBluesky(state: SimState, account: SimAccount, message: ResolvedMessage): DeliveryReport {
  const feed = blueskyFeed(state, account.externalId)
  const ref = (uri: string | undefined): StrongRef | undefined => (uri ? { uri, cid: state.sessions.posts.get(uri) ?? blueskyCid(uri) } : undefined)
  const parentUri = message.replyToId ?? message.postId
  // indexedAt doubles as the cursor, so it must be strictly increasing per account.
  const indexedAt = Math.max(Date.now(), message.at.getTime(), feed.lastIndexedAt + 1)
  feed.lastIndexedAt = indexedAt
  const notification = buildBlueskyNotification(account, message, {
    indexedAt: new Date(indexedAt),
    parent: ref(parentUri),
    root: ref(message.postId),
  })
  feed.notifications.push(notification)
  state.sessions.posts.set(notification.uri, notification.cid)
  return { ...queued, externalId: notification.uri, payload: notification }
}

export interface BatchDeliveryReport extends DeliveryReport {
  externalIds: string[]
}

/**
 * Several customers' messages in one Meta POST, one entry each, as Meta batches: every account must share the
 * object type, the webhook URL and the app secret (one Meta app).
 */
export async function customerWritesBatch(state: SimState, writes: { accountExternalId: string; message: CustomerMessage }[]): Promise<BatchDeliveryReport> {
  const first = writes[0]
  if (!first) throw new Error('customerWritesBatch needs at least one message')
  const lead = requireAccount(state, first.accountExternalId)
  if (!isMetaKind(lead.kind)) throw new Error('Only Meta webhooks batch several entries per POST')
  const object = metaObjects[lead.kind]
  const entries = writes.map(({ accountExternalId, message }) => {
    const account = requireAccount(state, accountExternalId)
    const isSameApp = account.webhookUrl === lead.webhookUrl && account.secrets.appSecret === lead.secrets.appSecret
    if (!isMetaKind(account.kind) || metaObjects[account.kind] !== object || !isSameApp) {
      throw new Error(`Account ${accountExternalId} does not share ${lead.externalId}'s object, webhook URL and app secret`)
    }
    const resolved = resolveMessage(account, message)
    rememberMetaMessage(state, account, resolved)
    return { entry: buildMetaCustomerEntry(account.kind as MetaKind, account, resolved), externalId: resolved.id }
  })
  const body = metaBody(
    object,
    entries.map((item) => item.entry),
  )
  const outcome = lead.webhookUrl ? await deliverWebhook(state, buildWebhook(lead, body)) : notQueued(lead)
  return { ...outcome, externalIds: entries.map((item) => item.externalId), payload: body }
}

/** An arbitrary body, signed like the platform (or mis-signed on request), for bad-input tests and benchmarks. */
export async function deliverRaw(state: SimState, accountExternalId: string, body: object | string, options: DeliverRawOptions = {}): Promise<DeliveryReport> {
  const account = requireAccount(state, accountExternalId)
  if (account.kind === 'telegram' && !account.webhookUrl) {
    const update = (typeof body === 'string' ? JSON.parse(body) : body) as TelegramUpdate
    if (typeof update.update_id !== 'number') update.update_id = telegramFeed(state, account.externalId).nextUpdateId++
    return { ...(await deliverOrQueueTelegram(state, account, update)), payload: update }
  }
  if (!account.webhookUrl) throw new Error(`deliverRaw needs a webhook account; ${account.kind} ${account.externalId} is polled`)
  const report = await deliverWebhook(state, buildWebhook(account, body, options), { retry: options.retry })
  return { ...report, payload: body }
}

/**
 * A customer opens a Messenger or Instagram thread from an ad or a link, before writing: the referral alone, as
 * Meta sends it (`messaging_referrals`), signed and delivered to the account's webhook.
 */
export async function customerArrives(state: SimState, accountExternalId: string, arrival: CustomerArrival): Promise<DeliveryReport> {
  const account = requireAccount(state, accountExternalId)
  if (account.kind !== 'facebook' && account.kind !== 'instagram') throw new Error('Only Messenger and Instagram send a referral before the first message')
  const body = metaBody(metaObjects[account.kind], [
    buildReferralEntry(account.externalId, { customerId: arrival.from.id, referral: arrival.referral, at: arrival.at ?? new Date() }),
  ])
  if (!account.webhookUrl) return { ...notQueued(account), payload: body }
  return { ...(await deliverWebhook(state, buildWebhook(account, body))), payload: body }
}
