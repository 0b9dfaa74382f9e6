import type { FollowUp, FollowUpMessage } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'

const columns = sql`f.id, f.conversation_id as "conversationId", f.due_at as "dueAt", f.note, f.message, f.status, f.outcome,
  f.created_at as "createdAt", f.created_by as "createdById", u.name as "createdByName", c.channel_id as "channelId"`

/** A follow-up with who set it and its conversation's channel. */
const from = sql`follow_ups f join conversations c on c.id = f.conversation_id left join users u on u.id = f.created_by`

interface Row {
  id: string
  conversationId: string
  dueAt: Date
  note: string | null
  message: FollowUpMessage | null
  status: FollowUp['status']
  outcome: string
  createdAt: Date
  createdById: string | null
  createdByName: string | null
  channelId: string
}

export function toFollowUp(row: Row): FollowUp {
  return {
    id: row.id,
    conversationId: row.conversationId,
    dueAt: row.dueAt.toISOString(),
    note: row.note,
    message: row.message,
    status: row.status,
    outcome: row.outcome,
    createdBy: row.createdById ? { id: row.createdById, name: row.createdByName ?? '' } : null,
    createdAt: row.createdAt.toISOString(),
  }
}

export async function listFollowUps(db: Database, conversationId: string): Promise<FollowUp[]> {
  const { rows } = await sql<Row>`
    select ${columns} from ${from}
    where f.conversation_id = ${conversationId}
    order by (f.status = 'scheduled') desc, f.due_at desc limit 50`.execute(db)
  return rows.map(toFollowUp)
}

export async function findFollowUp(db: Database, id: string, options: { lock?: boolean } = {}): Promise<Row | undefined> {
  const { rows } = await sql<Row>`
    select ${columns} from ${from} where f.id = ${id}
    ${options.lock ? sql`for update of f` : sql``}`.execute(db)
  return rows[0]
}

/** Ends the conversation's scheduled follow-up, if any, with what became of it; returns its id. */
export async function endScheduled(db: Database, conversationId: string, outcome: string, at: Date): Promise<string | undefined> {
  const { rows } = await sql<{ id: string }>`
    update follow_ups set status = 'cancelled', outcome = ${outcome}, done_at = ${at}
    where conversation_id = ${conversationId} and status = 'scheduled' returning id`.execute(db)
  return rows[0]?.id
}

export async function insertFollowUp(
  db: Database,
  followUp: { conversationId: string; createdBy: string | null; dueAt: Date; note: string | null; message: FollowUpMessage | null; outcome: string; at: Date },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    insert into follow_ups (conversation_id, created_by, due_at, note, message, outcome, created_at)
    values (${followUp.conversationId}, ${followUp.createdBy}, ${followUp.dueAt}, ${followUp.note},
            ${followUp.message ? JSON.stringify(followUp.message) : null}::jsonb, ${followUp.outcome}, ${followUp.at})
    returning id`.execute(db)
  return rows[0]!.id
}

export async function finishFollowUp(db: Database, id: string, status: 'done' | 'cancelled', outcome: string, at: Date): Promise<void> {
  await sql`update follow_ups set status = ${status}, outcome = ${outcome}, done_at = ${at} where id = ${id}`.execute(db)
}

/**
 * Cancels the scheduled follow-ups of conversations where the customer wrote after it was scheduled (one of
 * `messageIds`): they are back, and an agent answers them instead. Returns what was cancelled.
 */
export async function cancelOnCustomerMessages(
  db: Database,
  messageIds: string[],
  at: Date,
): Promise<{ id: string; conversationId: string; channelId: string }[]> {
  if (messageIds.length === 0) return []
  const { rows } = await sql<{ id: string; conversationId: string; channelId: string }>`
    update follow_ups f set status = 'cancelled', outcome = 'Cancelled: the customer wrote before it was due.', done_at = ${at}
    from conversations c
    where c.id = f.conversation_id and f.status = 'scheduled'
      and exists (select 1 from messages m where m.id = any(${messageIds}::uuid[]) and m.conversation_id = f.conversation_id
                    and m.direction = 'inbound' and m.sent_at > f.created_at)
    returning f.id, f.conversation_id as "conversationId", c.channel_id as "channelId"`.execute(db)
  return rows
}
