import { recordChanges } from '../changes/changes.repository.js'
import type { InboundEvent } from '../channels/connector.js'
import type { Database } from '../db/client.js'
import { attachWaitingReferrals, insertReferrals, settleFirstTouches, type IncomingReferral } from './referrals.repository.js'

/** The referrals a batch of events carries: on customers' messages, and alone (a click before anything is written). */
export function referralsOf(events: InboundEvent[]): IncomingReferral[] {
  const incoming: IncomingReferral[] = []
  for (const event of events) {
    if (event.type === 'message' && event.direction === 'inbound' && event.referral) {
      incoming.push({
        dedupeKey: `message:${event.externalId}`,
        threadKey: event.threadKey,
        messageExternalId: event.externalId,
        referral: event.referral,
        receivedAt: new Date(event.sentAt),
      })
    } else if (event.type === 'referral') {
      incoming.push({
        dedupeKey: `referral:${event.threadKey}:${event.at}`,
        threadKey: event.threadKey,
        referral: event.referral,
        receivedAt: new Date(event.at),
      })
    }
  }
  return incoming
}

/**
 * Stores a batch's referrals in the ingest transaction, after its messages: each goes to the conversation its
 * message is in, or its thread's conversation; a click in a thread with no conversation yet waits for the thread's
 * first message, which `createdMessageIds` may be (so it never makes an empty conversation the agent would see).
 * Each referral that reaches a conversation is recorded as `referral.received`.
 */
export async function storeReferrals(db: Database, channelId: string, incoming: IncomingReferral[], createdMessageIds: string[]): Promise<void> {
  const inserted = await insertReferrals(db, channelId, incoming)
  const attached = await attachWaitingReferrals(db, channelId, createdMessageIds)
  const referrals = await settleFirstTouches(db, [...inserted, ...attached])
  await recordChanges(
    db,
    referrals.map((referral) => ({
      type: 'referral.received',
      conversationId: referral.conversationId,
      contactId: referral.contactId,
      actor: { type: 'contact', id: referral.contactId ?? undefined },
      data: {
        referralId: referral.id,
        kind: referral.kind,
        firstTouch: referral.firstTouch,
        ...Object.fromEntries(
          Object.entries({
            source: referral.source,
            ref: referral.ref,
            adId: referral.adId,
            sourceId: referral.sourceId,
            sourceType: referral.sourceType,
            sourceUrl: referral.sourceUrl,
            headline: referral.headline,
          }).filter(([, value]) => value !== null),
        ),
        hasClickId: referral.hasClickId,
      },
    })),
  )
}
