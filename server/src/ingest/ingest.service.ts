import { recordChanges, recordMessageChanges, recordNewConversations } from '../changes/changes.repository.js'
import { applyTemplateStatus, channelsOfAccount } from '../templates/whatsapp-templates.repository.js'
import type { InboundEvent } from '../channels/connector.js'
import { upsertContactIdentity } from '../contacts/contacts.repository.js'
import { recordMessageInConversation, renameThread, upsertConversation } from '../conversations/conversations.repository.js'
import {
  applyStatus,
  applyWatermark,
  deleteMessage,
  editMessage,
  insertMessageOnce,
  messageExists,
  reactToMessage,
} from '../conversations/messages.repository.js'
import type { Database } from '../db/client.js'
import { detectLanguage } from '../routing/language.js'
import { sentimentOf } from '../sentiment/sentiment.js'
import { applyMessagesInBulk, previewOf } from './bulk-messages.js'
import { adoptByReference } from '../outbox/outbox.repository.js'
import { applyLoopClosing, loopClosedBy, type LoopClosing, type ResolvedConversation } from '../surveys/close-the-loop.js'
import { referralsOf, storeReferrals } from '../attribution/store-referrals.js'

export interface AppliedEvents {
  createdMessageIds: string[]
  updatedMessageIds: string[]
}

function eventTime(event: InboundEvent): number {
  return Date.parse(event.type === 'message' ? event.sentAt : event.at)
}

/**
 * Applies one envelope's events, whatever the platform: contacts, conversations and messages are upserted,
 * and every write is idempotent on a unique key, so a replayed envelope changes nothing.
 * Events are applied in platform time order, since receipts can race ahead of the messages they follow.
 */
export async function applyEvents(db: Database, channel: { id: string; kind: string }, events: InboundEvent[]): Promise<AppliedEvents> {
  const channelId = channel.id
  const created: string[] = []
  const updated: string[] = []
  // A status or echo carrying a reply's reference (WhatsApp biz_opaque_callback_data, Messenger metadata) says that
  // reply reached the platform, under this id, even when its send never told us: adopt it before anything else
  // looks the id up, so the echo is recognised as ours and the statuses apply to it.
  for (const event of events) {
    if (!(event.type === 'status' || (event.type === 'message' && event.direction === 'echo')) || !event.ref) continue
    const adopted = await adoptByReference(db, channelId, event.ref, event.externalId, new Date())
    if (adopted) updated.push(adopted)
  }
  // Only WhatsApp people change ids (a wa_id, later a business-scoped user_id); elsewhere ids are for life.
  const hasAliases = channel.kind === 'whatsapp'
  // Plain messages first, in bulk; then what is left, in platform time order (receipts after the messages
  // they concern, edits after the text they change).
  const messages = events.filter((e): e is Extract<InboundEvent, { type: 'message' }> => e.type === 'message')
  const bulk = await applyMessagesInBulk(db, channelId, messages)
  created.push(...bulk.createdMessageIds)
  const rest = [...bulk.leftover, ...events.filter((e) => e.type !== 'message')]
  const ordered = rest.map((event, index) => ({ event, index })).sort((a, b) => eventTime(a.event) - eventTime(b.event) || a.index - b.index)
  for (const { event } of ordered) {
    switch (event.type) {
      case 'message': {
        // An echo of a send we already recorded is our own message coming back: nothing new.
        if (event.direction === 'echo' && (await messageExists(db, channelId, event.externalId))) break
        const sentAt = new Date(event.sentAt)
        const isInbound = event.direction === 'inbound'
        // What the customer wrote in tells their language when the platform does not.
        const language = isInbound ? detectLanguage(event.text) : null
        const sentiment = isInbound ? sentimentOf(event.text, language) : null
        const person = isInbound && event.contact.language === undefined && language ? { ...event.contact, language } : event.contact
        const identity = await upsertContactIdentity(db, channelId, person, sentAt, hasAliases)
        // A DM thread is keyed by the person's primary id; when that id is upgraded (a WhatsApp wa_id, then a
        // user_id), the thread follows, so the conversation stays one whatever id later messages carry.
        const personKeys = new Set([event.contact.externalId, ...(event.contact.aliases ?? [])].map((id) => `dm:${id}`))
        const threadKey = event.conversationKind === 'dm' && personKeys.has(event.threadKey) ? `dm:${identity.externalId}` : event.threadKey
        if (identity.previousExternalId && event.conversationKind === 'dm') {
          await renameThread(db, channelId, `dm:${identity.previousExternalId}`, `dm:${identity.externalId}`)
        }
        const conversationId = await upsertConversation(db, {
          channelId,
          threadKey,
          kind: event.conversationKind,
          contactId: identity.contactId,
          subject: event.subject ?? null,
          at: sentAt,
        })
        // A survey's rating, its comment or a short thanks after a resolve is kept without reopening anything.
        const loop = isInbound ? await closingLoop(db, conversationId, { text: event.text, choice: event.choice, sentAt, sentiment }) : null
        const messageId = await insertMessageOnce(db, {
          conversationId,
          channelId,
          externalId: event.externalId,
          direction: isInbound ? 'inbound' : 'outbound',
          authorKind: isInbound ? 'contact' : 'platform',
          authorContactId: isInbound ? identity.contactId : null,
          text: event.text,
          attachments: event.attachments,
          status: isInbound ? 'received' : 'sent',
          replyToExternalId: event.replyToExternalId,
          replyContext: event.replyContext,
          sentAt,
          language,
          sentiment,
          closesLoop: loop?.closing.kind ?? null,
        })
        if (messageId) {
          await recordMessageInConversation(db, conversationId, { sentAt, preview: previewOf(event), isInbound, reopens: loop === null, language })
          if (loop) await applyLoopClosing(db, loop.closing, { id: messageId, text: event.text, sentAt }, loop.conversation, new Date())
          created.push(messageId)
        }
        break
      }
      case 'status': {
        const changed = await applyStatus(db, channelId, event.externalId, event.status, new Date(event.at), event.error)
        updated.push(...changed)
        break
      }
      case 'watermark':
        updated.push(...(await applyWatermark(db, channelId, event.threadKey, event.status, new Date(event.watermark))))
        break
      case 'edit': {
        const changed = await editMessage(db, channelId, event.externalId, event.text, new Date(event.at), sentimentOf(event.text, detectLanguage(event.text)))
        updated.push(...changed)
        break
      }
      case 'delete': {
        const changed = await deleteMessage(db, channelId, event.externalId, new Date(event.at))
        updated.push(...changed)
        break
      }
      case 'template_status': {
        const changed = await applyTemplateStatus(db, {
          businessAccountId: event.businessAccountId,
          templateId: event.templateId,
          status: event.status,
          reason: event.reason ?? null,
          at: new Date(event.at),
        })
        // Composers showing the account's templates hear of it, so a template paused now is greyed out now.
        if (changed) {
          const channels = await channelsOfAccount(db, event.businessAccountId)
          await recordChanges(
            db,
            channels.map((channel) => ({
              type: 'channel.updated',
              teamId: channel.teamId,
              actor: { type: 'system', id: 'ingest' },
              data: { channelId: channel.id },
            })),
          )
        }
        break
      }
      case 'referral':
        // A click without a message: stored with the batch's other referrals, below.
        break
      case 'reaction':
        updated.push(
          ...(await reactToMessage(db, channelId, event.externalId, {
            by: event.contactExternalId,
            emoji: event.emoji,
            action: event.action,
          })),
        )
        break
    }
  }
  const applied = { createdMessageIds: created, updatedMessageIds: [...new Set(updated)].filter((id) => !created.includes(id)) }
  // Where customers came from (ads, links), once their messages are in: attribution rides on the same transaction.
  await storeReferrals(db, channelId, referralsOf(events), created)
  // Recorded with the rows: routing, SLA, reports and the consoles follow from the record (see consumers.ts).
  await recordNewConversations(db, applied.createdMessageIds)
  await recordMessageChanges(db, 'message.created', applied.createdMessageIds)
  await recordMessageChanges(db, 'message.updated', applied.updatedMessageIds)
  return applied
}

/** Whether a customer's message closes the loop of its conversation (surveys/close-the-loop.ts), with what that needs. */
async function closingLoop(
  db: Database,
  conversationId: string,
  message: Parameters<typeof loopClosedBy>[2],
): Promise<{ closing: LoopClosing; conversation: ResolvedConversation & { channelId: string } } | null> {
  const conversation = await db
    .selectFrom('conversations')
    .select(['id', 'status', 'teamId', 'channelId'])
    .where('id', '=', conversationId)
    .executeTakeFirstOrThrow()
  const closing = await loopClosedBy(db, conversation, message)
  return closing ? { closing, conversation } : null
}
