import { sql } from 'kysely'
import type { ExternalContact } from '../channels/connector.js'
import type { Database } from '../db/client.js'

interface IdentityRow {
  id: string
  contactId: string
  externalId: string
  name: string | null
  handle: string | null
}

const identityColumns = [
  'contactIdentities.id',
  'contactIdentities.contactId',
  'contactIdentities.externalId',
  'contactIdentities.name',
  'contactIdentities.handle',
] as const

/** The identity a person has on a channel under any of their ids: the primary id first, then known aliases. */
async function findIdentity(db: Database, channelId: string, keys: string[], primary: string, hasAliases: boolean): Promise<IdentityRow | undefined> {
  const byId = await db
    .selectFrom('contactIdentities')
    .select(identityColumns)
    .where('channelId', '=', channelId)
    .where('externalId', 'in', keys)
    .orderBy(sql`external_id = ${primary}`, 'desc')
    .executeTakeFirst()
  if (byId || !hasAliases) return byId
  return db
    .selectFrom('contactIdentityAliases')
    .innerJoin('contactIdentities', 'contactIdentities.id', 'contactIdentityAliases.identityId')
    .select(identityColumns)
    .where('contactIdentityAliases.channelId', '=', channelId)
    .where('contactIdentityAliases.alias', 'in', keys)
    .executeTakeFirst()
}

async function rememberAliases(db: Database, channelId: string, identityId: string, aliases: string[]): Promise<void> {
  if (aliases.length === 0) return
  await db
    .insertInto('contactIdentityAliases')
    .values(aliases.map((alias) => ({ channelId, alias, identityId })))
    .onConflict((oc) => oc.constraint('contact_identity_aliases_pkey').doNothing())
    .execute()
}

/**
 * The contact behind a person's account on a channel, created on first sight. A person may arrive under any
 * of several ids (WhatsApp user_id or wa_id): all are looked up, and the primary id is upgraded when a
 * better one appears, the old one kept as an alias. Safe under concurrency: unique keys decide races.
 */
export async function upsertContactIdentity(
  db: Database,
  channelId: string,
  person: ExternalContact,
  seenAt: Date,
  /** Whether people on this channel can change ids (WhatsApp wa_id to user_id), so aliases must be searched. */
  hasAliases = true,
): Promise<{ contactId: string; externalId: string; previousExternalId?: string }> {
  const aliases = (person.aliases ?? []).filter((alias) => alias !== person.externalId)
  const keys = [person.externalId, ...aliases]
  const existing = await findIdentity(db, channelId, keys, person.externalId, hasAliases)
  if (existing) {
    const isUpgrade = existing.externalId !== person.externalId
    const isRenamed = (person.name !== undefined && person.name !== existing.name) || (person.handle !== undefined && person.handle !== existing.handle)
    if (isUpgrade || isRenamed) {
      await db
        .updateTable('contactIdentities')
        .set({
          externalId: person.externalId,
          ...(person.name !== undefined && { name: person.name }),
          ...(person.handle !== undefined && { handle: person.handle }),
          updatedAt: sql`now()`,
        })
        .where('id', '=', existing.id)
        .execute()
    }
    if (isUpgrade || aliases.length > 0) {
      await rememberAliases(db, channelId, existing.id, [...aliases, ...(isUpgrade ? [existing.externalId] : [])])
    }
    await db
      .updateTable('contacts')
      .set({
        lastSeenAt: sql`greatest(last_seen_at, ${seenAt})`,
        ...(person.name !== undefined && { name: sql`coalesce(name, ${person.name})` }),
        ...(person.handle !== undefined && { handle: sql`coalesce(handle, ${person.handle})` }),
        ...(person.language !== undefined && { language: sql`coalesce(language, ${person.language})` }),
      })
      .where('id', '=', existing.contactId)
      .execute()
    return {
      contactId: existing.contactId,
      externalId: isUpgrade ? person.externalId : existing.externalId,
      ...(isUpgrade && { previousExternalId: existing.externalId }),
    }
  }

  const contact = await db
    .insertInto('contacts')
    .values({
      name: person.name ?? null,
      handle: person.handle ?? null,
      avatarUrl: person.avatarUrl ?? null,
      language: person.language ?? null,
      firstSeenAt: seenAt,
      lastSeenAt: seenAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const identity = await db
    .insertInto('contactIdentities')
    .values({
      contactId: contact.id,
      channelId,
      externalId: person.externalId,
      name: person.name ?? null,
      handle: person.handle ?? null,
      avatarUrl: person.avatarUrl ?? null,
    })
    .onConflict((oc) => oc.constraint('contact_identities_channel_id_external_id_key').doNothing())
    .returning(['id', 'contactId'])
    .executeTakeFirst()
  if (identity) {
    await rememberAliases(db, channelId, identity.id, aliases)
    return { contactId: identity.contactId, externalId: person.externalId }
  }
  // Another transaction created the identity first: use theirs and drop our orphan contact.
  await db.deleteFrom('contacts').where('id', '=', contact.id).execute()
  const winner = await db
    .selectFrom('contactIdentities')
    .select('contactId')
    .where('channelId', '=', channelId)
    .where('externalId', '=', person.externalId)
    .executeTakeFirstOrThrow()
  return { contactId: winner.contactId, externalId: person.externalId }
}
