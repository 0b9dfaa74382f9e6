import { upsertMatchKeys, type ContactUpsert, type UpsertMatchKey, type UpsertResult } from '@carebox/shared'
import { sql } from 'kysely'
import { recordAudit, type AuditRecord } from '../audit/audit.repository.js'
import { visibleTeamIds, type Identity } from '../auth/identity.js'
import { recordChanges } from '../changes/changes.repository.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { changeActor } from './contacts.service.js'
import {
  findCrmRow,
  findExternalId,
  findLiveContactIds,
  listContactIdsByEmail,
  listContactIdsByPhone,
  listTeamsOfContacts,
  type CrmRow,
} from './crm.repository.js'
import { teamOfContactChange } from './crm.service.js'
import { normaliseEmail, normalisePhone, normaliseRecordUrl } from './identity-keys.js'

type Actor = AuditRecord['actor']

/** The upsert's keys and fields, validated and normalised: undefined is "not given", null is "clear it". */
interface Normalised {
  externalId?: { system: string; id: string; url?: string }
  email?: string | null
  phone?: string | null
  fields: Partial<Record<'name' | 'company' | 'tier' | 'owner' | 'currency', string | null>> & { lifetime_value?: number | null }
  attributes?: Record<string, string>
}

const defaultSystem = 'crm'

/** Empty or blank text is no value: a CRM sending "" for an unknown company means "none". */
function text(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value
  return value.trim() === '' ? null : value.trim()
}

function normalise(input: ContactUpsert): Normalised {
  if (input.url !== undefined && input.external_id === undefined)
    throw new AppError('validation_failed', 'url links to a record elsewhere: give its external_id too.')
  const email = text(input.email)
  const phone = text(input.phone)
  return {
    ...(input.external_id !== undefined && {
      externalId: {
        system: input.system ?? defaultSystem,
        id: input.external_id.trim(),
        ...(input.url !== undefined && { url: normaliseRecordUrl(input.url) }),
      },
    }),
    ...(email !== undefined && { email: email === null ? null : normaliseEmail(email) }),
    ...(phone !== undefined && { phone: phone === null ? null : normalisePhone(phone, input.default_region) }),
    fields: {
      ...(input.name !== undefined && { name: text(input.name) }),
      ...(input.company !== undefined && { company: text(input.company) }),
      ...(input.tier !== undefined && { tier: text(input.tier) }),
      ...(input.owner !== undefined && { owner: text(input.owner) }),
      ...(input.lifetime_value !== undefined && { lifetime_value: input.lifetime_value === null ? null : Math.round(input.lifetime_value * 100) / 100 }),
      ...(input.currency !== undefined && { currency: input.currency }),
    },
    ...(input.attributes !== undefined && { attributes: input.attributes }),
  }
}

/**
 * The keys to match on, strongest first: `match_on`'s order (default external_id, email, phone). An external_id
 * is unique to one customer, so it is matched even when `match_on` leaves it out (last, then).
 */
function matchOrder(input: ContactUpsert, keys: Normalised): { key: UpsertMatchKey; value: string }[] {
  const order: UpsertMatchKey[] = [...(input.match_on ?? upsertMatchKeys)]
  if (!order.includes('external_id')) order.push('external_id')
  const value = (key: UpsertMatchKey): string | null | undefined =>
    key === 'external_id' ? keys.externalId && `${keys.externalId.system}:${keys.externalId.id}` : keys[key]
  return order.flatMap((key) => {
    const v = value(key)
    return typeof v === 'string' ? [{ key, value: v }] : []
  })
}

async function contactsWithKey(trx: Database, key: UpsertMatchKey, keys: Normalised): Promise<string[]> {
  if (key === 'external_id' && keys.externalId) {
    const found = await findExternalId(trx, keys.externalId.system, keys.externalId.id)
    return found ? [found.contactId] : []
  }
  if (key === 'email' && keys.email) return listContactIdsByEmail(trx, keys.email)
  if (key === 'phone' && keys.phone) return listContactIdsByPhone(trx, keys.phone)
  return []
}

/**
 * The team rule for a token limited to teams: it may touch a customer of one of its teams (an identity on one of
 * their channels, or a conversation they work), or one no team has talked to yet (known only from CRMs). A customer
 * only other teams talk to is refused, even to report a conflict: their ids are not the token's to learn.
 */
async function assertMayTouch(trx: Database, identity: Identity, contactIds: string[]): Promise<void> {
  const allowed = visibleTeamIds(identity)
  if (!allowed || contactIds.length === 0) return
  const teams = await listTeamsOfContacts(trx, contactIds)
  for (const id of contactIds) {
    const theirs = teams.get(id) ?? []
    if (theirs.length > 0 && !theirs.some((team) => allowed.includes(team))) {
      throw new AppError('forbidden', 'This customer talks only to teams this API token is not allowed to reach, so it may not change them.')
    }
  }
}

const fieldColumns = { name: 'name', company: 'crmCompany', tier: 'crmTier', owner: 'crmOwner', currency: 'crmCurrency' } as const

/** The columns to set, and the names (as the API spells them) of what they change. */
function patchFor(keys: Normalised, before: CrmRow | null): { set: Record<string, unknown>; changed: string[] } {
  const set: Record<string, unknown> = {}
  const changed: string[] = []
  const put = (name: string, column: string, value: unknown, current: unknown) => {
    if (value === undefined || (before && value === current)) return
    if (!before && value === null) return
    set[column] = value
    changed.push(name)
  }
  put('email', 'email', keys.email, before?.email)
  put('phone', 'phone', keys.phone, before?.phone)
  for (const [name, column] of Object.entries(fieldColumns)) put(name, column, keys.fields[name as keyof typeof fieldColumns], before?.[column])
  const value = keys.fields.lifetime_value
  const current = before?.crmLifetimeValue === null || before?.crmLifetimeValue === undefined ? null : Number(before.crmLifetimeValue)
  put('lifetime_value', 'crmLifetimeValue', value, current)
  if (keys.attributes) {
    const merged = { ...((before?.attributes as Record<string, string> | undefined) ?? {}), ...keys.attributes }
    if (Object.keys(merged).length > 30) throw new AppError('validation_failed', 'A customer has at most 30 attributes.')
    if (JSON.stringify(merged) !== JSON.stringify(before?.attributes ?? {})) {
      set.attributes = JSON.stringify(merged)
      changed.push('attributes')
    }
  }
  return { set, changed }
}

/** Stores the customer's id in the other system (or its new link); says whether that changed anything. */
async function saveExternalId(trx: Database, contactId: string, keys: Normalised, now: Date): Promise<boolean> {
  if (!keys.externalId) return false
  const { system, id, url } = keys.externalId
  const existing = await findExternalId(trx, system, id)
  if (existing && (url === undefined || url === existing.url)) return false
  await trx
    .insertInto('contactExternalIds')
    .values({ contactId, system, externalId: id, url: url ?? null })
    .onConflict((oc) => oc.constraint('contact_external_ids_system_external_id_key').doUpdateSet({ url: url ?? null, updatedAt: now }))
    .execute()
  return true
}

/**
 * A CRM's push about one customer (integrations spec §5): matched by its keys, strongest first, then updated, or
 * created when nothing matches. Keys that point at two customers are a conflict: reported with both ids, nothing
 * changed, never merged (an agent decides, from the merge suggestion the console shows). What changes raises
 * contact.created / contact.updated in the record of changes, in the same transaction.
 */
export async function upsertContact(ctx: AppContext, identity: Identity, actor: Actor, input: ContactUpsert): Promise<UpsertResult> {
  const keys = normalise(input)
  const order = matchOrder(input, keys)
  if (order.length === 0) {
    throw new AppError('validation_failed', `Nothing to match on: give ${(input.match_on ?? upsertMatchKeys).join(', ')} (at least one of them).`)
  }
  return ctx.db.transaction().execute(async (trx) => {
    // Two pushes about the same new customer at once create one contact: the second waits, then finds it.
    for (const { key, value } of [...order].sort((a, b) => `${a.key}:${a.value}`.localeCompare(`${b.key}:${b.value}`))) {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`contact-upsert:${key}:${value}`}, 0))`.execute(trx)
    }
    const found: string[] = []
    for (const { key } of order) found.push(...(await contactsWithKey(trx, key, keys)))
    const live = await findLiveContactIds(trx, found)
    const matched = [...new Set(found.map((id) => live.get(id) ?? id))]
    await assertMayTouch(trx, identity, matched)
    const now = ctx.clock.now()

    if (matched.length > 1) return { id: matched[0] as string, result: 'matched_conflict' as const, conflicting_ids: matched, changed: [] }

    const existing = matched[0] ? await findCrmRow(trx, matched[0], { forUpdate: true }) : undefined
    const { set, changed } = patchFor(keys, existing ?? null)
    if (Object.keys(keys.fields).length > 0 || keys.attributes) set.crmUpdatedAt = now

    let contactId: string
    if (existing) {
      contactId = existing.id
      if (changed.length > 0)
        await trx
          .updateTable('contacts')
          .set({ ...set, updatedAt: now })
          .where('id', '=', contactId)
          .execute()
    } else {
      const created = await trx
        .insertInto('contacts')
        .values({ ...set, firstSeenAt: now, lastSeenAt: now })
        .returning('id')
        .executeTakeFirstOrThrow()
      contactId = created.id
    }
    if (await saveExternalId(trx, contactId, keys, now)) changed.push('external_ids')

    const type = existing ? 'contact.updated' : 'contact.created'
    if (!existing || changed.length > 0) {
      await recordAudit(trx, { action: type, actor, target: { type: 'contact', id: contactId }, details: { changed, via: 'upsert' } })
      const teamId = await teamOfContactChange(trx, contactId, visibleTeamIds(identity))
      await recordChanges(trx, [{ type, contactId, teamId, actor: changeActor(actor), data: { changed } }])
    }
    return { id: contactId, result: existing ? ('updated' as const) : ('created' as const), changed }
  })
}
