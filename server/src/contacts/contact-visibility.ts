import { sql, type RawBuilder } from 'kysely'
import { visibleTeamIds, type Identity } from '../auth/identity.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'

/**
 * Whether the contact (a column reference such as 'c.id') belongs to one of the teams: it has an identity on one
 * of their channels, or a conversation one of them works (one moved there from another team's channel).
 */
export function isContactOfTeams(contactId: string, teamIds: string[]): RawBuilder<boolean> {
  const contact = sql.ref(contactId)
  return sql<boolean>`(exists (
      select 1 from contact_identities i join channels ch on ch.id = i.channel_id
      where i.contact_id = ${contact} and ch.team_id = any(${teamIds}::uuid[])
    ) or exists (select 1 from conversations cv where cv.contact_id = ${contact} and cv.team_id = any(${teamIds}::uuid[])))`
}

/**
 * A customer the caller may see: one with an identity on a channel of their teams, or a conversation their teams
 * work (admins and unlimited tokens: anyone not merged away). Another team's customer is not found, as a missing
 * one is.
 */
export async function assertContactVisible(db: Database, identity: Identity, contactId: string): Promise<void> {
  const teams = visibleTeamIds(identity)
  let query = db.selectFrom('contacts as c').select('c.id').where('c.id', '=', contactId).where('c.mergedInto', 'is', null)
  if (teams) query = query.where(isContactOfTeams('c.id', teams))
  if (!(await query.executeTakeFirst())) throw new AppError('not_found', 'No such customer.')
}
