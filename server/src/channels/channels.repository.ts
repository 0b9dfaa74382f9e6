import { sql, type Insertable, type Selectable, type Updateable } from 'kysely'
import { idsOrNone } from '../auth/scope.js'
import type { Database } from '../db/client.js'
import type { Channels } from '../db/database.gen.js'

export type ChannelRow = Selectable<Channels>

export function findChannel(db: Database, id: string): Promise<ChannelRow | undefined> {
  return db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst()
}

export function findChannelByExternalId(db: Database, kind: string, externalId: string): Promise<ChannelRow | undefined> {
  return db.selectFrom('channels').selectAll().where('kind', '=', kind).where('externalId', '=', externalId).executeTakeFirst()
}

/** Channels by their platform id; WhatsApp channels also by their business account's (its template updates name only that). */
export function listChannelsByExternalIds(db: Database, kinds: string[], externalIds: string[]): Promise<ChannelRow[]> {
  if (externalIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('channels')
    .selectAll()
    .where('kind', 'in', kinds)
    .where((eb) =>
      eb.or([eb('externalId', 'in', externalIds), eb.and([eb('kind', '=', 'whatsapp'), eb(sql<string>`config->>'businessAccountId'`, 'in', externalIds)])]),
    )
    .orderBy('createdAt')
    .execute()
}

/** Every channel, or those of the given teams. */
export function listChannels(db: Database, teamIds: string[] | null = null): Promise<ChannelRow[]> {
  let query = db.selectFrom('channels').selectAll().orderBy('createdAt').orderBy('id')
  if (teamIds) query = query.where('teamId', 'in', idsOrNone(teamIds))
  return query.execute()
}

export function listEnabledPollingChannels(db: Database): Promise<ChannelRow[]> {
  return db
    .selectFrom('channels')
    .selectAll()
    .where('enabled', '=', true)
    .where(sql<string>`config->>'mode'`, '=', 'polling')
    .execute()
}

export function insertChannel(db: Database, row: Insertable<Channels>): Promise<ChannelRow> {
  return db.insertInto('channels').values(row).returningAll().executeTakeFirstOrThrow()
}

export function updateChannel(db: Database, id: string, patch: Updateable<Channels>): Promise<ChannelRow | undefined> {
  return db
    .updateTable('channels')
    .set({ ...patch, updatedAt: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export async function countDeadLetters(db: Database): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('inboundEvents')
    .select(['channelId', (eb) => eb.fn.countAll<number>().as('count')])
    .where('status', '=', 'dead')
    .groupBy('channelId')
    .execute()
  return new Map(rows.map((r) => [r.channelId, Number(r.count)]))
}

export function recordChannelError(db: Database, id: string, error: string, at: Date): Promise<unknown> {
  return db
    .updateTable('channels')
    .set({ errorCount: sql`error_count + 1`, lastError: error.slice(0, 1000), lastErrorAt: at })
    .where('id', '=', id)
    .execute()
}

/** Records activity at most once a second per channel: at webhook rates, every event would contend for one row. */
export function recordChannelEvent(db: Database, id: string, at: Date): Promise<unknown> {
  return db
    .updateTable('channels')
    .set({ lastEventAt: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lastEventAt', 'is', null), eb('lastEventAt', '<', new Date(at.getTime() - 1000))]))
    .execute()
}

/** A channel's circuit for sends: how many sends failed in a row, and until when sending is paused. */
export function findSendCircuit(db: Database, id: string) {
  return db.selectFrom('channels').select(['sendFailures', 'sendPausedUntil', 'sendPauseReason']).where('id', '=', id).executeTakeFirst()
}

/**
 * Takes the one trial send after a pause: moves the pause on by `holdMs` so that the channel's other waiting sends
 * keep waiting while this one finds out whether the platform is back. False when another job took it first.
 */
export async function claimTrialSend(db: Database, id: string, now: Date, holdMs: number): Promise<boolean> {
  const claimed = await db
    .updateTable('channels')
    .set({ sendPausedUntil: new Date(now.getTime() + holdMs) })
    .where('id', '=', id)
    .where('sendPausedUntil', '<=', now)
    .returning('id')
    .executeTakeFirst()
  return claimed !== undefined
}

/** One more failed send in a row. Returns the failures in a row. */
export async function recordSendFailure(db: Database, id: string): Promise<number> {
  const row = await db
    .updateTable('channels')
    .set((eb) => ({ sendFailures: eb('sendFailures', '+', 1) }))
    .where('id', '=', id)
    .returning('sendFailures')
    .executeTakeFirst()
  return row?.sendFailures ?? 0
}

/** A send went through: the circuit closes. Writes only when there is something to clear (the row is hot). */
export async function recordSendSuccess(db: Database, id: string): Promise<boolean> {
  const cleared = await db
    .updateTable('channels')
    .set({ sendFailures: 0, sendPausedUntil: null, sendPauseReason: null })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('sendFailures', '>', 0), eb('sendPausedUntil', 'is not', null)]))
    .returning('id')
    .executeTakeFirst()
  return cleared !== undefined
}

/** Pauses sending until `until` (or later, if already paused longer). */
export async function pauseSending(db: Database, id: string, until: Date, reason: string): Promise<void> {
  await db
    .updateTable('channels')
    .set({
      sendPausedUntil: sql<Date>`greatest(coalesce(send_paused_until, ${until}), ${until})`,
      sendPauseReason: reason.slice(0, 500),
    })
    .where('id', '=', id)
    .execute()
}
