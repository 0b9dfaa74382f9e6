import {
  buildDeliveryEntry,
  buildEchoEntry,
  buildPageCommentEchoEntry,
  buildReadEntry,
  buildWhatsAppStatusEntry,
  metaBody,
  metaObjects,
  type MetaEntry,
  type WhatsAppStatus,
} from './payloads/meta.js'
import { buildXSentDirectMessageEvent, type XSentMedia } from './payloads/x.js'
import { runInBackground, sleep, xFeed, type SimState } from './state.js'
import type { SimAccount } from './types.js'
import { buildWebhook, deliverWebhook } from './webhook-delivery.js'

/**
 * What Meta sends back after one of our sends, each as its own signed POST, in order and a few hundred ms apart
 * (each waits for the previous one's delivery, so a receiver sees them in order):
 * - WhatsApp: statuses sent → delivered → read for the wamid;
 * - Messenger and Instagram: the echo (is_echo), a delivery (mids + watermark), then a read watermark;
 * - a Page's public comment reply: the feed change with from = the Page;
 * - X (webhook accounts): the DM we sent, as Account Activity direct_message_events.
 */

function hasReceipts(state: SimState, account: SimAccount): boolean {
  return state.options.receipts && Boolean(account.webhookUrl) && !state.shutdown.signal.aborted
}

function deliverInOrder(state: SimState, account: SimAccount, steps: ((at: Date) => MetaEntry)[]): void {
  if (!hasReceipts(state, account) || account.kind === 'telegram') return
  const object = metaObjects[account.kind as 'facebook' | 'instagram' | 'whatsapp']
  runInBackground(state, async () => {
    for (const step of steps) {
      if (!(await sleep(state, state.options.receiptDelayMs))) return
      const body = metaBody(object, [step(new Date())])
      await deliverWebhook(state, buildWebhook(account, body))
    }
  })
}

/** `callbackData`: the send's biz_opaque_callback_data, repeated in each status. */
export function scheduleWhatsAppReceipts(state: SimState, account: SimAccount, sent: { messageId: string; recipientId: string; callbackData?: string }): void {
  const statuses: WhatsAppStatus[] = ['sent', 'delivered', 'read']
  deliverInOrder(
    state,
    account,
    statuses.map((status) => (at: Date) => buildWhatsAppStatusEntry(account, { ...sent, status, at })),
  )
}

/** `metadata`: the send's message.metadata, returned in the echo; `attachment`: the file it carried, echoed as `attachments[]`. */
export function scheduleMessagingReceipts(
  state: SimState,
  account: SimAccount,
  sent: { mid: string; recipientId: string; text?: string; metadata?: string; attachment?: { type: string; url: string }; at: Date },
): void {
  const watermark = sent.at.getTime()
  const { recipientId, mid, text, metadata, attachment } = sent
  deliverInOrder(state, account, [
    (at) => buildEchoEntry(account.externalId, { recipientId, mid, text, metadata, attachment, appId: state.metaAppId, at }),
    (at) => buildDeliveryEntry(account.externalId, { customerId: sent.recipientId, mids: [sent.mid], watermark, at }),
    (at) => buildReadEntry(account.externalId, { customerId: sent.recipientId, watermark, ...(account.kind === 'instagram' ? { mid: sent.mid } : {}), at }),
  ])
}

export function schedulePageCommentEcho(
  state: SimState,
  account: SimAccount,
  reply: { commentId: string; parentId: string; postId: string; text: string },
): void {
  deliverInOrder(state, account, [(at) => buildPageCommentEchoEntry(account, { ...reply, at })])
}

export function scheduleXDmEcho(state: SimState, account: SimAccount, sent: { id: string; recipientId: string; text: string; media?: XSentMedia }): void {
  if (!hasReceipts(state, account)) return
  runInBackground(state, async () => {
    if (!(await sleep(state, state.options.receiptDelayMs))) return
    const recipient = xFeed(state, account.externalId).users.get(sent.recipientId)
    const body = buildXSentDirectMessageEvent(account, { ...sent, at: new Date() }, recipient)
    await deliverWebhook(state, buildWebhook(account, body))
  })
}
