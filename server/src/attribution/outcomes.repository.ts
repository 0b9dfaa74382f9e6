import type { ConversionStatus, OutcomeKind } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'

export interface OutcomeRow {
  id: string
  conversationId: string
  kind: OutcomeKind
  value: number | null
  currency: string | null
  recordedById: string | null
  recordedByName: string | null
  conversionStatus: ConversionStatus
  conversionError: string | null
  conversionSentAt: Date | null
  createdAt: Date
}

/** numeric arrives as text (pg keeps its precision); two decimals fit a JavaScript number exactly enough. */
const outcomeColumns = sql<OutcomeRow>`o.id, o.conversation_id as "conversationId", o.kind, o.value::float8 as value, o.currency,
  o.recorded_by as "recordedById", u.name as "recordedByName", o.conversion_status as "conversionStatus",
  o.conversion_error as "conversionError", o.conversion_sent_at as "conversionSentAt", o.created_at as "createdAt"`

/** A conversation's outcomes, oldest first. */
export async function listOutcomes(db: Database, conversationId: string): Promise<OutcomeRow[]> {
  const { rows } = await sql<OutcomeRow>`
    select ${outcomeColumns} from conversation_outcomes o left join users u on u.id = o.recorded_by
    where o.conversation_id = ${conversationId}::uuid order by o.created_at, o.id`.execute(db)
  return rows
}

export async function findOutcome(db: Database, id: string): Promise<OutcomeRow | undefined> {
  const { rows } = await sql<OutcomeRow>`
    select ${outcomeColumns} from conversation_outcomes o left join users u on u.id = o.recorded_by where o.id = ${id}::uuid`.execute(db)
  return rows[0]
}

/** Inserts an outcome; undefined when the conversation has one of that kind already (one of each, as Meta counts). */
export async function insertOutcome(
  db: Database,
  outcome: {
    conversationId: string
    kind: OutcomeKind
    value: number | null
    currency: string | null
    recordedBy: string | null
    conversionStatus: ConversionStatus
    at: Date
  },
): Promise<string | undefined> {
  const row = await db
    .insertInto('conversationOutcomes')
    .values({
      conversationId: outcome.conversationId,
      kind: outcome.kind,
      value: outcome.value,
      currency: outcome.currency,
      recordedBy: outcome.recordedBy,
      conversionStatus: outcome.conversionStatus,
      createdAt: outcome.at,
    })
    .onConflict((oc) => oc.constraint('conversation_outcomes_conversation_id_kind_key').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

/** Where sending an outcome to Meta stands now; attempts count every try, the last error stays until one succeeds. */
export async function updateConversion(
  db: Database,
  id: string,
  update: { status: ConversionStatus; error: string | null; sentAt?: Date; attempted: boolean },
): Promise<void> {
  await db
    .updateTable('conversationOutcomes')
    .set((eb) => ({
      conversionStatus: update.status,
      conversionError: update.error,
      ...(update.sentAt && { conversionSentAt: update.sentAt }),
      ...(update.attempted && { conversionAttempts: eb('conversionAttempts', '+', 1) }),
    }))
    .where('id', '=', id)
    .execute()
}
