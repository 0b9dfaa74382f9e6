import { sql } from 'kysely'
import type { ExternalContact } from '../channels/connector.js'
import type { Database } from '../db/client.js'

/**
 * The contact behind a person's account on a channel, created on first sight. A person may arrive under any
 * of several ids (WhatsApp user_id or wa_id): all are looked up, and the primary id is upgraded when a
 * better one appears. Safe under concurrency: the unique (channel_id, external_id) key decides races.
 */
export async function upsertContactIdentity(
  db: Database,
  channelId: string,
  person: ExternalContact,
  seenAt: Date,
  /** Whether people on this channel can change ids (WhatsApp wa_id to user_id), so aliases must be searched. */
  hasAliases = true,
): Promise<string> {
  const keys = [person.externalId, ...(person.aliases ?? [])]
  const identityColumns = ['id', 'contactId', 'externalId', 'aliases', 'name', 'handle'] as const
  // Two indexed lookups rather than one OR, which would scan every identity of the channel.
  const existing =
    (await db
      .selectFrom('contactIdentities')
      .select(identityColumns)
      .where('channelId', '=', channelId)
      .where('externalId', 'in', keys)
      .orderBy(sql`external_id = ${person.externalId}`, 'desc')
      .executeTakeFirst()) ??
    (hasAliases
      ? await db
      .selectFrom('contactIdentities')
      .select(identityColumns)
      .where('channelId', '=', channelId)
          .where(sql<boolean>`aliases && ${sql.val(keys)}::text[]`)
          .executeTakeFirst()
      : undefined)
  if (existing) {
    const aliases = [...new Set([...existing.aliases, ...keys].filter((k) => k !== person.externalId))]
    const changed =
      existing.externalId !== person.externalId ||
      aliases.length !== existing.aliases.length ||
      (person.name !== undefined && person.name !== existing.name) ||
      (person.handle !== undefined && person.handle !== existing.handle)
    if (changed) {
      await db
        .updateTable('contactIdentities')
        .set({
          externalId: person.externalId,
          aliases,
          ...(person.name !== undefined && { name: person.name }),
          ...(person.handle !== undefined && { handle: person.handle }),
          updatedAt: sql`now()`,
        })
        .where('id', '=', existing.id)
        .execute()
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
    return existing.contactId
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
      aliases: (person.aliases ?? []).filter((a) => a !== person.externalId),
      name: person.name ?? null,
      handle: person.handle ?? null,
      avatarUrl: person.avatarUrl ?? null,
    })
    .onConflict((oc) => oc.constraint('contact_identities_channel_id_external_id_key').doNothing())
    .returning('contactId')
    .executeTakeFirst()
  if (identity) return identity.contactId
  // Another transaction created the identity first: use theirs and drop our orphan contact.
  await db.deleteFrom('contacts').where('id', '=', contact.id).execute()
  const winner = await db
    .selectFrom('contactIdentities')
    .select('contactId')
    .where('channelId', '=', channelId)
    .where('externalId', '=', person.externalId)
    .executeTakeFirstOrThrow()
  return winner.contactId
}
