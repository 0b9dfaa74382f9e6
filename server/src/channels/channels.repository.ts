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

export function listChannelsByExternalIds(db: Database, kinds: string[], externalIds: string[]): Promise<ChannelRow[]> {
  if (externalIds.length === 0) return Promise.resolve([])
  return db.selectFrom('channels').selectAll().where('kind', 'in', kinds).where('externalId', 'in', externalIds).execute()
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
