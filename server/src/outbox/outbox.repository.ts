import { sql } from 'kysely'
import { teamOfConversation } from '../auth/scope.js'
import type { Database } from '../db/client.js'
import { recordMessageChanges } from '../changes/changes.repository.js'

/** Everything a send needs about a reply: the message, its conversation, channel and customer. */
export async function findReplyToSend(db: Database, messageId: string) {
  return db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversationId')
    .innerJoin('channels as ch', 'ch.id', 'm.channelId')
    .leftJoin('contactIdentities as ci', (join) => join.onRef('ci.contactId', '=', 'c.contactId').onRef('ci.channelId', '=', 'm.channelId'))
    .select([
      'm.id',
      'm.text',
      'm.attachments',
      'm.status',
      'm.sendStartedAt',
      'm.replyContext',
      'm.conversationId',
      'm.channelId',
      'm.createdAt',
      'm.sentAt',
      'c.kind as conversationKind',
      'c.threadKey',
      teamOfConversation('c').as('teamId'),
      'ch.enabled as channelEnabled',
      'ci.externalId as recipientExternalId',
      'ci.name as recipientName',
      'ci.handle as recipientHandle',
      // Other ids the customer is known by (a WhatsApp wa_id beside the user_id): some sends must use them.
      sql<string[]>`array(select a.alias from contact_identity_aliases a where a.identity_id = ci.id order by a.created_at)`.as('recipientAliases'),
      // What a public reply answers: the comment the agent chose, else the customer's latest message in the thread.
      sql<string | null>`coalesce(m.reply_to_external_id, (select lm.external_id from messages lm where lm.conversation_id = c.id
        and lm.direction = 'inbound' and lm.kind = 'message' order by lm.sent_at desc limit 1))`.as('replyToExternalId'),
      sql<Record<string, string> | null>`(select lm.reply_context from messages lm where lm.conversation_id = c.id and lm.direction = 'inbound'
        and lm.kind = 'message' and (m.reply_to_external_id is null or lm.external_id = m.reply_to_external_id)
        order by lm.sent_at desc limit 1)`.as('threadReplyContext'),
    ])
    .where('m.id', '=', messageId)
    .where('m.direction', '=', 'outbound')
    .where('m.kind', '=', 'message')
    .executeTakeFirst()
}

/**
 * The echo of a send whose outcome we did not learn (a timeout): the platform's copy of our text in this
 * conversation, recorded by ingest as written outside Carebox since it arrived before we knew its id.
 */
export async function findUnclaimedEcho(db: Database, reply: { conversationId: string; text: string; since: Date }) {
  return db
    .selectFrom('messages')
    .select(['id', 'externalId'])
    .where('conversationId', '=', reply.conversationId)
    .where('authorKind', '=', 'platform')
    .where('text', '=', reply.text)
    .where('sentAt', '>=', new Date(reply.since.getTime() - 60_000))
    .orderBy('sentAt')
    .limit(1)
    .executeTakeFirst()
}

/** What the outbox records: a send's outcome. */
const outboxActor = { type: 'system', id: 'outbox' } as const

/**
 * Records the platform's id for our reply. If the platform's echo got in first (as a message written outside
 * Carebox, under the same id), that copy is dropped: the reply is the one message.
 */
export async function markSent(db: Database, messageId: string, externalId: string, channelId: string, now: Date): Promise<boolean> {
  const echo = await db
    .deleteFrom('messages')
    .where('channelId', '=', channelId)
    .where('externalId', '=', externalId)
    .where('authorKind', '=', 'platform')
    .returning('conversationId')
    .executeTakeFirst()
  if (echo) {
    await db
      .updateTable('conversations')
      .set({ messageCount: sql`greatest(message_count - 1, 0)` })
      .where('id', '=', echo.conversationId)
      .execute()
  }
  const updated = await db
    .updateTable('messages')
    .set({ externalId, status: 'sent', error: null, sendStartedAt: null, updatedAt: now })
    .where('id', '=', messageId)
    .where('status', '=', 'queued')
    .returning('id')
    .executeTakeFirst()
  if (!updated) return false
  await recordMessageChanges(db, 'message.updated', [messageId], outboxActor)
  // Receipts the platform reported before we knew the id (the receipt beat our commit) apply now.
  const receipts = await db
    .selectFrom('messageReceipts')
    .select(['status', 'error'])
    .where('channelId', '=', channelId)
    .where('externalId', '=', externalId)
    .execute()
  const best = receipts.map((r) => r.status).sort((a, b) => statusRank(b) - statusRank(a))[0]
  if (best && best !== 'sent') {
    await db
      .updateTable('messages')
      .set({ status: best, error: receipts.find((r) => r.status === 'failed')?.error ?? null })
      .where('id', '=', messageId)
      .execute()
  }
  return true
}

function statusRank(status: string): number {
  return ({ sent: 1, delivered: 2, read: 3, failed: 0 } as Record<string, number>)[status] ?? 0
}

export async function markFailed(db: Database, messageId: string, error: string, now: Date, options = { keepClaim: false }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const failed = await trx
      .updateTable('messages')
      .set({ status: 'failed', error, ...(!options.keepClaim && { sendStartedAt: null }), updatedAt: now })
      .where('id', '=', messageId)
      .where('status', '=', 'queued')
      .returning('conversationId')
      .executeTakeFirst()
    // A reply that never reached the customer is no response: the reports and the SLA take it back.
    if (failed) await recordMessageChanges(trx, 'message.updated', [messageId], outboxActor)
  })
}

/**
 * The agent decides: Carebox asked the platform to send this reply and never learned whether it did. The claim is
 * released, so that "send again" is a fresh send.
 */
export async function markUnknown(db: Database, messageId: string, explanation: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('messages')
      .set({ status: 'unknown', error: explanation, sendStartedAt: null, updatedAt: now })
      .where('id', '=', messageId)
      .where('status', '=', 'queued')
      .returning('id')
      .executeTakeFirst()
    if (updated) await recordMessageChanges(trx, 'message.updated', [messageId], outboxActor)
    return updated !== undefined
  })
}

/**
 * The platform handed back our reference on a status or an echo: the reply it names reached the platform as
 * `externalId`, whatever its send told us (a timeout, nothing yet). Returns the adopted message's id.
 */
export async function adoptByReference(db: Database, channelId: string, messageId: string, externalId: string, now: Date): Promise<string | undefined> {
  const reply = await db
    .selectFrom('messages')
    .select(['id', 'status', 'externalId'])
    .where('id', '=', messageId)
    .where('channelId', '=', channelId)
    .where('direction', '=', 'outbound')
    .executeTakeFirst()
  if (!reply || reply.externalId !== null || (reply.status !== 'queued' && reply.status !== 'unknown' && reply.status !== 'failed')) return undefined
  // markSent takes only a queued reply: an unknown or failed one (the agent had not decided yet, or a lost answer
  // made it look refused) becomes queued again for the moment of the adoption.
  await db.updateTable('messages').set({ status: 'queued' }).where('id', '=', messageId).where('externalId', 'is', null).execute()
  return (await markSent(db, messageId, externalId, channelId, now)) ? messageId : undefined
}
