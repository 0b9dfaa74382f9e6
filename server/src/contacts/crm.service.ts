import type { ContactCrm } from '@carebox/shared'
import { recordAudit, type AuditRecord } from '../audit/audit.repository.js'
import { visibleTeamIds, type Identity } from '../auth/identity.js'
import { recordChanges } from '../changes/changes.repository.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { assertContactVisible } from './contact-visibility.js'
import { changeActor } from './contacts.service.js'
import { findCrmRow, listExternalIds, listMergeSuggestions, listTeamsOfContacts } from './crm.repository.js'
import { normaliseEmail, normalisePhone } from './identity-keys.js'

type Actor = AuditRecord['actor']

/**
 * The team a contact change is reported under: the contact's, when it has exactly one; otherwise `fallback`
 * (the team a limited token works for), else none, and only consumers of every team's events see it.
 */
export async function teamOfContactChange(db: Database, contactId: string, fallback: string[] | null = null): Promise<string | null> {
  const teams = [...new Set((await listTeamsOfContacts(db, [contactId])).get(contactId) ?? [])]
  if (teams.length === 1) return teams[0] ?? null
  return teams.length === 0 && fallback?.length === 1 ? (fallback[0] ?? null) : null
}

/** A customer's keys and CRM fields, and who may be the same person, for a caller who may see them. */
export async function getContactCrm(ctx: AppContext, identity: Identity, contactId: string): Promise<ContactCrm> {
  await assertContactVisible(ctx.db, identity, contactId)
  const [row, externalIds, suggestions] = await Promise.all([
    findCrmRow(ctx.db, contactId),
    listExternalIds(ctx.db, contactId),
    listMergeSuggestions(ctx.db, contactId, visibleTeamIds(identity)),
  ])
  if (!row) throw new AppError('not_found', 'No such customer.')
  return {
    contactId,
    email: row.email,
    phone: row.phone,
    company: row.crmCompany,
    tier: row.crmTier,
    owner: row.crmOwner,
    lifetimeValue: row.crmLifetimeValue === null ? null : Number(row.crmLifetimeValue),
    currency: row.crmCurrency,
    externalIds,
    crmUpdatedAt: row.crmUpdatedAt?.toISOString() ?? null,
    suggestions,
  }
}

/** An agent's edit of a customer's email or phone: normalised and validated as a CRM's are. Empty clears. */
export async function updateContactKeys(
  ctx: AppContext,
  identity: Identity,
  actor: Actor,
  contactId: string,
  input: { email?: string | null; phone?: string | null },
): Promise<ContactCrm> {
  const email = input.email === undefined ? undefined : input.email?.trim() ? normaliseEmail(input.email) : null
  const phone = input.phone === undefined ? undefined : input.phone?.trim() ? normalisePhone(input.phone) : null
  await assertContactVisible(ctx.db, identity, contactId)
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findCrmRow(trx, contactId, { forUpdate: true })
    if (!before) throw new AppError('not_found', 'No such customer.')
    const changed = [...(email !== undefined && email !== before.email ? ['email'] : []), ...(phone !== undefined && phone !== before.phone ? ['phone'] : [])]
    if (changed.length === 0) return
    await trx
      .updateTable('contacts')
      .set({ ...(email !== undefined && { email }), ...(phone !== undefined && { phone }), updatedAt: ctx.clock.now() })
      .where('id', '=', contactId)
      .execute()
    await recordAudit(trx, { action: 'contact.updated', actor, target: { type: 'contact', id: contactId }, details: { changed } })
    await recordChanges(trx, [
      { type: 'contact.updated', contactId, teamId: await teamOfContactChange(trx, contactId), actor: changeActor(actor), data: { changed } },
    ])
  })
  return getContactCrm(ctx, identity, contactId)
}
