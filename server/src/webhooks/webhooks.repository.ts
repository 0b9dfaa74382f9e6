import type { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEventType } from '@carebox/shared'
import type { Insertable, Updateable } from 'kysely'
import type { Database } from '../db/client.js'
import type { WebhookEndpoints } from '../db/database.gen.js'

const endpointColumns = [
  'id',
  'url',
  'description',
  'eventTypes',
  'teamId',
  'allowPrivateNetwork',
  'enabled',
  'disabledReason',
  'failingSince',
  'previousSecretUntil',
  'createdAt',
] as const

const deliveryColumns = [
  'id',
  'eventId',
  'eventType',
  'conversationId',
  'status',
  'attempts',
  'nextAttemptAt',
  'lastAttemptAt',
  'lastStatus',
  'lastLatencyMs',
  'lastError',
  'lastResponseExcerpt',
  'createdAt',
] as const

type EndpointRow = {
  id: string
  url: string
  description: string
  eventTypes: string[]
  teamId: string | null
  allowPrivateNetwork: boolean
  enabled: boolean
  disabledReason: string | null
  failingSince: Date | null
  previousSecretUntil: Date | null
  createdAt: Date
}

export function toWebhookEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    ...row,
    eventTypes: row.eventTypes as WebhookEventType[],
    failingSince: row.failingSince?.toISOString() ?? null,
    previousSecretUntil: row.previousSecretUntil?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  }
}

type DeliveryRow = {
  id: string
  eventId: string
  eventType: string
  conversationId: string | null
  status: string
  attempts: number
  nextAttemptAt: Date | null
  lastAttemptAt: Date | null
  lastStatus: number | null
  lastLatencyMs: number | null
  lastError: string | null
  lastResponseExcerpt: string | null
  createdAt: Date
}

export function toWebhookDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    ...row,
    status: row.status as WebhookDeliveryStatus,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  }
}

export async function listEndpoints(db: Database) {
  return db.selectFrom('webhookEndpoints').select(endpointColumns).orderBy('createdAt').orderBy('id').execute()
}

export async function findEndpoint(db: Database, id: string) {
  return db.selectFrom('webhookEndpoints').select(endpointColumns).where('id', '=', id).executeTakeFirst()
}

/** The endpoint with its sealed secrets, for signing. */
export async function findEndpointForDelivery(db: Database, id: string) {
  return db
    .selectFrom('webhookEndpoints')
    .select(['id', 'url', 'enabled', 'allowPrivateNetwork', 'secretCiphertext', 'previousSecretCiphertext', 'previousSecretUntil', 'failingSince'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function insertEndpoint(db: Database, values: Insertable<WebhookEndpoints>) {
  return db.insertInto('webhookEndpoints').values(values).returning(endpointColumns).executeTakeFirstOrThrow()
}

export async function updateEndpoint(db: Database, id: string, values: Updateable<WebhookEndpoints>) {
  return db
    .updateTable('webhookEndpoints')
    .set({ ...values, updatedAt: new Date() })
    .where('id', '=', id)
    .returning(endpointColumns)
    .executeTakeFirst()
}

export async function deleteEndpoint(db: Database, id: string): Promise<boolean> {
  const row = await db.deleteFrom('webhookEndpoints').where('id', '=', id).returning('id').executeTakeFirst()
  return row !== undefined
}

/** Enabled endpoints, for the consumer to match changes against. */
export async function listEnabledEndpoints(db: Database) {
  return db.selectFrom('webhookEndpoints').select(['id', 'eventTypes', 'teamId', 'createdAt']).where('enabled', '=', true).execute()
}

export interface NewDelivery {
  endpointId: string
  eventId: string
  eventType: string
  changeSeq: number | null
  conversationId: string | null
  payload: string
  nextAttemptAt: Date
}

/** Inserts deliveries; one already made for the same (endpoint, event) is kept as it is. Returns the new ones. */
export async function insertDeliveries(db: Database, deliveries: NewDelivery[]) {
  if (deliveries.length === 0) return []
  return db
    .insertInto('webhookDeliveries')
    .values(deliveries)
    .onConflict((oc) => oc.columns(['endpointId', 'eventId']).doNothing())
    .returning(['id', 'endpointId', 'conversationId'])
    .execute()
}

export async function findDelivery(db: Database, id: string) {
  return db
    .selectFrom('webhookDeliveries')
    .select([...deliveryColumns, 'endpointId', 'payload', 'changeSeq', 'attemptStartedAt'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function findEndpointDelivery(db: Database, endpointId: string, id: string) {
  return db.selectFrom('webhookDeliveries').select(deliveryColumns).where('endpointId', '=', endpointId).where('id', '=', id).executeTakeFirst()
}

/** Newest first; the cursor is the last delivery seen. */
export async function listDeliveries(db: Database, endpointId: string, options: { status?: WebhookDeliveryStatus; cursor?: string; limit: number }) {
  let query = db
    .selectFrom('webhookDeliveries')
    .select(deliveryColumns)
    .where('endpointId', '=', endpointId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit + 1)
  if (options.status) query = query.where('status', '=', options.status)
  if (options.cursor) {
    const cursor = options.cursor
    query = query.where((eb) =>
      eb(eb.refTuple('createdAt', 'id'), '<', eb.tuple(eb.selectFrom('webhookDeliveries').select('createdAt').where('id', '=', cursor), cursor)),
    )
  }
  const rows = await query.execute()
  const page = rows.slice(0, options.limit)
  return { rows: page, nextCursor: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null }
}

/**
 * An earlier delivery of the same conversation to the same endpoint that has not settled: deliveries of one
 * conversation go in the order of the changes, so this one waits behind it.
 */
export async function findEarlierPending(db: Database, delivery: { id: string; endpointId: string; conversationId: string | null; changeSeq: number | null }) {
  if (delivery.conversationId === null || delivery.changeSeq === null) return undefined
  return db
    .selectFrom('webhookDeliveries')
    .select(['id', 'nextAttemptAt'])
    .where('endpointId', '=', delivery.endpointId)
    .where('conversationId', '=', delivery.conversationId)
    .where('status', '=', 'pending')
    .where('changeSeq', '<', delivery.changeSeq)
    .orderBy('changeSeq')
    .limit(1)
    .executeTakeFirst()
}

/** The next pending delivery of the conversation after this one, to nudge once this one settles. */
export async function findNextPending(db: Database, delivery: { endpointId: string; conversationId: string | null; changeSeq: number | null }) {
  if (delivery.conversationId === null || delivery.changeSeq === null) return undefined
  return db
    .selectFrom('webhookDeliveries')
    .select(['id', 'attempts', 'endpointId', 'conversationId'])
    .where('endpointId', '=', delivery.endpointId)
    .where('conversationId', '=', delivery.conversationId)
    .where('status', '=', 'pending')
    .where('changeSeq', '>', delivery.changeSeq)
    .orderBy('changeSeq')
    .limit(1)
    .executeTakeFirst()
}

/**
 * Claims attempt `attempt` of a pending delivery, atomically: a second job for the same attempt finds it claimed.
 * A claim older than `staleBefore` is taken over (its process died mid-attempt).
 */
export async function claimAttempt(db: Database, id: string, attempt: number, now: Date, staleBefore: Date): Promise<boolean> {
  const row = await db
    .updateTable('webhookDeliveries')
    .set({ attempts: attempt, attemptStartedAt: now, lastAttemptAt: now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([
        eb.and([eb('attempts', '=', attempt - 1), eb('attemptStartedAt', 'is', null)]),
        eb.and([eb('attempts', '=', attempt), eb('attemptStartedAt', '<', staleBefore)]),
      ]),
    )
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

export interface AttemptOutcome {
  status: 'pending' | 'succeeded' | 'failed'
  nextAttemptAt: Date | null
  lastStatus: number | null
  lastLatencyMs: number | null
  lastError: string | null
  lastResponseExcerpt: string | null
}

export async function recordAttempt(db: Database, id: string, outcome: AttemptOutcome): Promise<void> {
  await db
    .updateTable('webhookDeliveries')
    .set({ ...outcome, attemptStartedAt: null })
    .where('id', '=', id)
    .execute()
}

/** Back to pending for a fresh run of the schedule (a replay): same event id, same bytes, attempts from zero. */
export async function resetDeliveries(db: Database, ids: string[], now: Date) {
  if (ids.length === 0) return []
  return db
    .updateTable('webhookDeliveries')
    .set({ status: 'pending', attempts: 0, attemptStartedAt: null, nextAttemptAt: now, lastError: null })
    .where('id', 'in', ids)
    .returning(['id', 'endpointId', 'conversationId'])
    .execute()
}

export async function listFailedSince(db: Database, endpointId: string, since: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('webhookDeliveries')
    .select('id')
    .where('endpointId', '=', endpointId)
    .where('status', '=', 'failed')
    .where('createdAt', '>=', since)
    .orderBy('changeSeq')
    .orderBy('createdAt')
    .execute()
  return rows.map((r) => r.id)
}
