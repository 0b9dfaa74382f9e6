import type { ChannelKind, MergeSuggestion } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { isContactOfTeams } from './contact-visibility.js'
import { whatsappIdOf } from './identity-keys.js'

/** A WhatsApp id that is a phone number (a wa_id), as opposed to a business-scoped user id. */
const whatsappPhonePattern = '^[1-9][0-9]{6,14}$'

export const crmColumns = [
  'id',
  'email',
  'phone',
  'name',
  'attributes',
  'crmCompany',
  'crmTier',
  'crmOwner',
  'crmLifetimeValue',
  'crmCurrency',
  'crmUpdatedAt',
] as const

export async function findCrmRow(db: Database, contactId: string, options: { forUpdate?: boolean } = {}) {
  let query = db.selectFrom('contacts').select(crmColumns).where('id', '=', contactId)
  if (options.forUpdate) query = query.forUpdate()
  return query.executeTakeFirst()
}

export type CrmRow = NonNullable<Awaited<ReturnType<typeof findCrmRow>>>

/**
 * The contacts now standing for each given one: a contact merged into another (perhaps in turn merged) stands for
 * the one it ended up in, so a key stored on it finds the person as they are known today.
 */
export async function findLiveContactIds(db: Database, contactIds: string[]): Promise<Map<string, string>> {
  if (contactIds.length === 0) return new Map()
  const rows = await sql<{ start: string; id: string }>`
    with recursive up (start, id, merged_into, depth) as (
      select c.id, c.id, c.merged_into, 0 from contacts c where c.id = any(${contactIds}::uuid[])
      union all
      select up.start, c.id, c.merged_into, up.depth + 1 from up join contacts c on c.id = up.merged_into where up.depth < 20
    )
    select start, id from up where merged_into is null`.execute(db)
  return new Map(rows.rows.map((row) => [row.start, row.id]))
}

export async function findExternalId(db: Database, system: string, externalId: string) {
  return db.selectFrom('contactExternalIds').select(['contactId', 'url']).where('system', '=', system).where('externalId', '=', externalId).executeTakeFirst()
}

export async function listContactIdsByEmail(db: Database, email: string): Promise<string[]> {
  // Matched as the mailbox (email_match_key: Gmail's dots and +tags, googlemail.com), not the exact text.
  return (
    await db
      .selectFrom('contacts')
      .select('id')
      .where(sql<string>`email_match_key(email)`, '=', sql<string>`email_match_key(${email})`)
      .execute()
  ).map((row) => row.id)
}

/** Contacts with this phone: stored on them, or as the number they write from on WhatsApp (their wa_id). */
export async function listContactIdsByPhone(db: Database, phone: string): Promise<string[]> {
  const waId = whatsappIdOf(phone)
  const rows = await sql<{ contactId: string }>`
    select id as contact_id from contacts where phone = ${phone}
    union
    select i.contact_id from contact_identities i join channels ch on ch.id = i.channel_id
    where ch.kind = 'whatsapp' and i.external_id = ${waId}
    union
    select i.contact_id from contact_identity_aliases a join channels ch on ch.id = a.channel_id join contact_identities i on i.id = a.identity_id
    where ch.kind = 'whatsapp' and a.alias = ${waId}`.execute(db)
  return rows.rows.map((row) => row.contactId)
}

/** The teams each contact belongs to: those of its identities' channels and of its conversations. */
export async function listTeamsOfContacts(db: Database, contactIds: string[]): Promise<Map<string, string[]>> {
  const teams = new Map<string, string[]>(contactIds.map((id) => [id, []]))
  if (contactIds.length === 0) return teams
  const rows = await sql<{ contactId: string; teamId: string }>`
    select i.contact_id, ch.team_id from contact_identities i join channels ch on ch.id = i.channel_id
    where i.contact_id = any(${contactIds}::uuid[]) and ch.team_id is not null
    union
    select cv.contact_id, cv.team_id from conversations cv where cv.contact_id = any(${contactIds}::uuid[])`.execute(db)
  for (const row of rows.rows) teams.get(row.contactId)?.push(row.teamId)
  return teams
}

/** A contact's records in other systems, with those of the contacts merged into it (a CRM still knows them). */
export async function listExternalIds(db: Database, contactId: string) {
  const rows = await sql<{ system: string; externalId: string; url: string | null }>`
    with recursive family (id) as (
      select ${contactId}::uuid
      union
      select c.id from contacts c join family f on c.merged_into = f.id
    )
    select e.system, e.external_id, e.url from contact_external_ids e
    where e.contact_id in (select id from family)
    order by e.system, e.external_id`.execute(db)
  return rows.rows
}

/**
 * Other customers who may be this same person: sharing an email or phone (a phone stored, or the number they
 * write from on WhatsApp) with this contact or a contact merged into it. Only customers of `teamIds` (null: any).
 */
export async function listMergeSuggestions(db: Database, contactId: string, teamIds: string[] | null): Promise<MergeSuggestion[]> {
  const rows = await sql<{
    id: string
    name: string | null
    handle: string | null
    channels: { kind: ChannelKind; name: string }[]
    sameEmail: boolean
    samePhone: boolean
  }>`
    with recursive family (id) as (
      select ${contactId}::uuid
      union
      select c.id from contacts c join family f on c.merged_into = f.id
    ),
    emails as (select email_match_key(c.email) as email from contacts c where c.id in (select id from family) and c.email is not null),
    phones as (
      select c.phone from contacts c where c.id in (select id from family) and c.phone is not null
      union
      select '+' || i.external_id from contact_identities i join channels ch on ch.id = i.channel_id
      where i.contact_id = ${contactId} and ch.kind = 'whatsapp' and i.external_id ~ ${whatsappPhonePattern}
      union
      select '+' || a.alias from contact_identity_aliases a join contact_identities i on i.id = a.identity_id join channels ch on ch.id = a.channel_id
      where i.contact_id = ${contactId} and ch.kind = 'whatsapp' and a.alias ~ ${whatsappPhonePattern}
    ),
    candidates (contact_id, by_email, by_phone) as (
      select c.id, true, false from contacts c where email_match_key(c.email) in (select email from emails)
      union all
      select c.id, false, true from contacts c where c.phone in (select phone from phones)
      union all
      select i.contact_id, false, true from contact_identities i join channels ch on ch.id = i.channel_id
      where ch.kind = 'whatsapp' and i.external_id in (select substr(phone, 2) from phones)
      union all
      select i.contact_id, false, true from contact_identity_aliases a join channels ch on ch.id = a.channel_id
        join contact_identities i on i.id = a.identity_id
      where ch.kind = 'whatsapp' and a.alias in (select substr(phone, 2) from phones)
    ),
    matched as (
      select contact_id, bool_or(by_email) as same_email, bool_or(by_phone) as same_phone from candidates
      where contact_id <> ${contactId} group by contact_id
    )
    select c.id, c.name, c.handle, m.same_email, m.same_phone,
      coalesce((
        select json_agg(json_build_object('kind', ch.kind, 'name', ch.name) order by ch.name)
        from (select distinct ch.kind, ch.name from contact_identities i join channels ch on ch.id = i.channel_id
              where i.contact_id = c.id and (${teamIds}::uuid[] is null or ch.team_id = any(${teamIds}::uuid[]))) ch
      ), '[]') as channels
    from matched m join contacts c on c.id = m.contact_id
    where c.merged_into is null and (${teamIds}::uuid[] is null or ${isContactOfTeams('c.id', teamIds ?? [])})
    order by c.last_seen_at desc, c.id
    limit 10`.execute(db)
  return rows.rows.map((row) => ({
    id: row.id,
    name: row.name,
    handle: row.handle,
    channels: row.channels,
    sameEmail: row.sameEmail,
    samePhone: row.samePhone,
  }))
}
