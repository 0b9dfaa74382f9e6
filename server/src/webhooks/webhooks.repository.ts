import type { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEventType } from '@carebox/shared'
import { sql, type Insertable, type Updateable } from 'kysely'
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
  'pausedUntil',
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
  pausedUntil: Date | null
  previousSecretUntil: Date | null
  createdAt: Date
}

export function toWebhookEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    ...row,
    eventTypes: row.eventTypes as WebhookEventType[],
    failingSince: row.failingSince?.toISOString() ?? null,
    pausedUntil: row.pausedUntil?.toISOString() ?? null,
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

const sendingColumns = [
  'id',
  'url',
  'enabled',
  'allowPrivateNetwork',
  'secretCiphertext',
  'previousSecretCiphertext',
  'previousSecretUntil',
  'failingSince',
  'pausedUntil',
] as const

/**
 * Takes (or renews) the endpoint's sender lease until `until`, unless another sender holds a lease still running,
 * and reads the endpoint as it is now (an admin may have disabled it or changed its URL meanwhile). Undefined when
 * the lease is someone else's or the endpoint is gone.
 */
export async function takeSenderLease(db: Database, id: string, leaseId: string, now: Date, until: Date) {
  return db
    .updateTable('webhookEndpoints')
    .set({ senderLeaseId: leaseId, senderLeaseUntil: until })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('senderLeaseUntil', 'is', null), eb('senderLeaseUntil', '<', now), eb('senderLeaseId', '=', leaseId)]))
    .returning(sendingColumns)
    .executeTakeFirst()
}

export async function releaseSenderLease(db: Database, id: string, leaseId: string): Promise<void> {
  await db.updateTable('webhookEndpoints').set({ senderLeaseUntil: null }).where('id', '=', id).where('senderLeaseId', '=', leaseId).execute()
}

/** The endpoint with its sealed secrets, for signing. */
export async function findEndpointForDelivery(db: Database, id: string) {
  return db.selectFrom('webhookEndpoints').select(sendingColumns).where('id', '=', id).executeTakeFirst()
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
  /** Null while an earlier delivery of its conversation to the endpoint is pending: it follows that one. */
  nextAttemptAt: Date | null
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

export interface ClaimedDelivery {
  id: string
  eventId: string
  payload: string
  conversationId: string | null
  /** The attempt this claim is for. */
  attempts: number
  /** A first claim of this attempt (not one taken over from a sender that died): giving it back undoes the count. */
  fresh: boolean
  /**
   * When it was claimed: settling or giving it back touches the row only while it still holds this claim, so a
   * sender that stalled past the lease cannot undo what the sender after it did.
   */
  claimedAt: Date
}

/**
 * Claims up to `limit` deliveries due by `dueBy`, the longest waiting first, skipping any with an earlier delivery of
 * its conversation still pending (order within a conversation; normally such a one has no time yet, a replay aside).
 * An attempt claimed before `staleBefore` and never settled (its process died) is claimed again as the same attempt.
 */
export async function claimDue(db: Database, endpointId: string, dueBy: Date, limit: number, now: Date, staleBefore: Date): Promise<ClaimedDelivery[]> {
  const { rows } = await sql<Omit<ClaimedDelivery, 'claimedAt'>>`
    with due as (
      select d.id, d.attempt_started_at is null as fresh from webhook_deliveries d
      where d.endpoint_id = ${endpointId} and d.status = 'pending' and d.next_attempt_at <= ${dueBy}
        and (d.attempt_started_at is null or d.attempt_started_at < ${staleBefore})
        -- The first pending of its conversation. A scalar subquery, so each check is one index probe whatever the
        -- statistics say (an anti join planned on stale ones read every pending row per candidate).
        and (d.conversation_id is null or d.change_seq = (
          select e.change_seq from webhook_deliveries e
          where e.endpoint_id = d.endpoint_id and e.conversation_id = d.conversation_id and e.status = 'pending'
          order by e.change_seq limit 1
        ))
      order by d.next_attempt_at, d.change_seq
      limit ${limit}
      for update skip locked
    )
    update webhook_deliveries d set
      attempts = case when d.attempt_started_at is null then d.attempts + 1 else d.attempts end,
      attempt_started_at = ${now}, last_attempt_at = ${now}
    from due where d.id = due.id
    returning d.id, d.event_id as "eventId", d.payload, d.conversation_id as "conversationId", d.attempts, due.fresh`.execute(db)
  return rows.map((row) => ({ ...row, claimedAt: now }))
}

/** Gives back claims a sender did not use: the deliveries are due again as they were, their attempt not counted. */
export async function releaseClaims(db: Database, claims: { id: string; fresh: boolean; claimedAt: Date }[]): Promise<void> {
  if (claims.length === 0) return
  await sql`
    update webhook_deliveries d set attempt_started_at = null, attempts = d.attempts - case when c.fresh then 1 else 0 end
    from jsonb_to_recordset(${JSON.stringify(claims.map(({ id, fresh, claimedAt }) => ({ id, fresh, claimedAt })))}::jsonb)
      as c(id uuid, fresh boolean, "claimedAt" timestamptz)
    where d.id = c.id and d.status = 'pending' and d.attempt_started_at = c."claimedAt"`.execute(db)
}

/**
 * When something of the endpoint's next becomes due after `after`: a retry's time, or when an attempt claimed and
 * never settled is taken for dead (`staleMs` after its claim). Null when nothing pending has a time.
 */
export async function nextDueAfter(db: Database, endpointId: string, after: Date, staleMs: number): Promise<Date | null> {
  const { rows } = await sql<{ at: Date | null }>`
    select min(t.at) as at from (
      select case when attempt_started_at is null then next_attempt_at
        else greatest(next_attempt_at, attempt_started_at + make_interval(secs => ${staleMs / 1000})) end as at
      from webhook_deliveries
      where endpoint_id = ${endpointId} and status = 'pending' and next_attempt_at is not null
    ) t
    where t.at > ${after}`.execute(db)
  return rows[0]?.at ?? null
}

/**
 * The conversations (per endpoint) with a delivery pending that a new one must follow: the new one is queued
 * without a time. Locks those pending ones (FOR SHARE) until the caller commits, so one that settles meanwhile finds
 * the new delivery when it lets the next one go. One being settled right now (locked) is skipped, never waited for:
 * waiting would deadlock with the sender, and the new delivery then gets a time at once; the sender still keeps the
 * order, claiming only the first pending delivery of a conversation.
 */
export async function lockPendingHeads(db: Database, pairs: { endpointId: string; conversationId: string }[]): Promise<Set<string>> {
  if (pairs.length === 0) return new Set()
  const { rows } = await sql<{ endpointId: string; conversationId: string }>`
    select d.endpoint_id as "endpointId", d.conversation_id as "conversationId" from webhook_deliveries d
    join unnest(${pairs.map((p) => p.endpointId)}::uuid[], ${pairs.map((p) => p.conversationId)}::uuid[]) as k(endpoint_id, conversation_id)
      on d.endpoint_id = k.endpoint_id and d.conversation_id = k.conversation_id
    where d.status = 'pending' and d.next_attempt_at is not null
    for share of d skip locked`.execute(db)
  return new Set(rows.map((r) => `${r.endpointId}:${r.conversationId}`))
}

/** The first pending delivery of each conversation, if it has no time yet, is due now: the one before it settled. */
export async function promoteNextInConversations(db: Database, endpointId: string, conversationIds: string[], now: Date): Promise<void> {
  if (conversationIds.length === 0) return
  await sql`
    update webhook_deliveries d set next_attempt_at = ${now}
    from unnest(${conversationIds}::uuid[]) as c(conversation_id)
    cross join lateral (
      select w.id from webhook_deliveries w
      where w.endpoint_id = ${endpointId} and w.conversation_id = c.conversation_id and w.status = 'pending'
      order by w.change_seq limit 1
    ) first
    where d.id = first.id and d.next_attempt_at is null`.execute(db)
}

/** Everything still pending for an endpoint that was disabled: kept as failed, so a replay after re-enabling sends it. */
export async function failPending(db: Database, endpointId: string, reason: string): Promise<number> {
  const rows = await db
    .updateTable('webhookDeliveries')
    .set({ status: 'failed', nextAttemptAt: null, attemptStartedAt: null, lastError: reason })
    .where('endpointId', '=', endpointId)
    .where('status', '=', 'pending')
    .returning('id')
    .execute()
  return rows.length
}

export interface AttemptOutcome {
  status: 'pending' | 'succeeded' | 'failed'
  nextAttemptAt: Date | null
  lastStatus: number | null
  lastLatencyMs: number | null
  lastError: string | null
  lastResponseExcerpt: string | null
}

/** Writes the outcome of many attempts in one statement, releasing their claims (each only while it still holds it). */
export async function recordOutcomes(db: Database, outcomes: (AttemptOutcome & { id: string; claimedAt: Date })[]): Promise<void> {
  if (outcomes.length === 0) return
  await sql`
    update webhook_deliveries d set
      status = v.status, next_attempt_at = v."nextAttemptAt", last_status = v."lastStatus", last_latency_ms = v."lastLatencyMs",
      last_error = v."lastError", last_response_excerpt = v."lastResponseExcerpt", attempt_started_at = null
    from jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb) as v(
      id uuid, status text, "nextAttemptAt" timestamptz, "lastStatus" integer, "lastLatencyMs" integer, "lastError" text, "lastResponseExcerpt" text,
      "claimedAt" timestamptz
    )
    where d.id = v.id and d.attempt_started_at = v."claimedAt"`.execute(db)
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
