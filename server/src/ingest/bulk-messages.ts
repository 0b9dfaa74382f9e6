import { sql } from 'kysely'
import type { InboundEvent } from '../channels/connector.js'
import type { Database } from '../db/client.js'
import { detectLanguage } from '../routing/language.js'
import { sentimentOf } from '../sentiment/sentiment.js'

type MessageEvent = Extract<InboundEvent, { type: 'message' }>

const previewLength = 140

export function previewOf(event: MessageEvent): string {
  const preview = event.text.trim() || (event.attachments.length > 0 ? `[${event.attachments[0]?.kind}]` : '')
  return preview.slice(0, previewLength)
}

/**
 * Applies a batch's plain messages with a handful of set-based statements instead of several per message:
 * the path that carries webhook bursts. It takes messages from people known by their primary id or never seen
 * before; anything needing care (an id change, an alias to remember, an echo of our own send) is handed back
 * for the one-by-one path, which holds the same rules.
 */
export async function applyMessagesInBulk(
  db: Database,
  channelId: string,
  events: MessageEvent[],
): Promise<{ createdMessageIds: string[]; leftover: MessageEvent[] }> {
  const leftover: MessageEvent[] = []
  const candidates: MessageEvent[] = []
  for (const event of events) {
    const hasAliases = (event.contact.aliases ?? []).some((alias) => alias !== event.contact.externalId)
    if (event.direction === 'echo' || hasAliases || event.choice) leftover.push(event)
    else candidates.push(event)
  }
  if (candidates.length === 0) return { createdMessageIds: [], leftover }
  // A message to a resolved conversation may close its loop (a typed rating, a thanks) instead of reopening it:
  // the one-by-one path decides. One indexed read per batch; most messages go to open conversations.
  const { rows: resolved } = await sql<{ threadKey: string }>`
    select thread_key as "threadKey" from conversations
    where channel_id = ${channelId} and thread_key = any(${[...new Set(candidates.map((e) => e.threadKey))]}::text[]) and status = 'resolved'`.execute(db)
  if (resolved.length > 0) {
    const resolvedThreads = new Set(resolved.map((row) => row.threadKey))
    leftover.push(...candidates.filter((e) => resolvedThreads.has(e.threadKey)))
    const open = candidates.filter((e) => !resolvedThreads.has(e.threadKey))
    candidates.length = 0
    candidates.push(...open)
    if (candidates.length === 0) return { createdMessageIds: [], leftover }
  }

  // 1. Who is known already, by primary id.
  const personIds = [...new Set(candidates.map((e) => e.contact.externalId))]
  const known = new Map(
    (
      await db
        .selectFrom('contactIdentities')
        .select(['externalId', 'contactId'])
        .where('channelId', '=', channelId)
        .where('externalId', 'in', personIds)
        .execute()
    ).map((row) => [row.externalId, row.contactId]),
  )
  // Someone unknown by primary id might be known under an alias: the careful path decides.
  const unknownIds = personIds.filter((id) => !known.has(id))
  if (unknownIds.length > 0) {
    const aliased = new Set(
      (await db.selectFrom('contactIdentityAliases').select('alias').where('channelId', '=', channelId).where('alias', 'in', unknownIds).execute()).map(
        (row) => row.alias,
      ),
    )
    if (aliased.size > 0) {
      leftover.push(...candidates.filter((e) => aliased.has(e.contact.externalId)))
      return applyMessagesInBulk(
        db,
        channelId,
        candidates.filter((e) => !aliased.has(e.contact.externalId)),
      ).then((r) => ({
        createdMessageIds: r.createdMessageIds,
        leftover: [...leftover, ...r.leftover],
      }))
    }
  }

  // Each message's language is detected here (about 30 µs), so it is written with the message (and, for a person
  // the platform told nothing of, with the contact), not updated after.
  const languages = candidates.map((e) => detectLanguage(e.text))
  // And its sentiment, read in that language (a few µs).
  const sentiments = candidates.map((e, i) => sentimentOf(e.text, languages[i] ?? null))
  const spokenBy = new Map<string, string>()
  candidates.forEach((e, i) => {
    const language = languages[i]
    if (language) spokenBy.set(e.contact.externalId, language)
  })

  // 2. New people: a contact and an identity each; a concurrent batch that created one first wins.
  const firstSight = new Map<string, MessageEvent>()
  for (const event of candidates)
    if (!known.has(event.contact.externalId) && !firstSight.has(event.contact.externalId)) firstSight.set(event.contact.externalId, event)
  if (firstSight.size > 0) {
    const people = [...firstSight.values()]
    // What the batch tells of each person: the first name, handle and language any of their messages gave.
    const detail = (e: MessageEvent, field: 'name' | 'handle' | 'language' | 'avatarUrl') =>
      candidates.find((c) => c.contact.externalId === e.contact.externalId && c.contact[field] !== undefined)?.contact[field] ?? null
    const times = (e: MessageEvent) => candidates.filter((c) => c.contact.externalId === e.contact.externalId).map((c) => Date.parse(c.sentAt))
    const contacts = await db
      .insertInto('contacts')
      .values(
        people.map((e) => ({
          name: detail(e, 'name'),
          handle: detail(e, 'handle'),
          avatarUrl: detail(e, 'avatarUrl'),
          language: detail(e, 'language') ?? spokenBy.get(e.contact.externalId) ?? null,
          firstSeenAt: new Date(Math.min(...times(e))),
          lastSeenAt: new Date(Math.max(...times(e))),
        })),
      )
      .returning('id')
      .execute()
    const identities = await db
      .insertInto('contactIdentities')
      .values(
        people.map((e, i) => ({
          contactId: contacts[i]!.id,
          channelId,
          externalId: e.contact.externalId,
          name: detail(e, 'name'),
          handle: detail(e, 'handle'),
          avatarUrl: detail(e, 'avatarUrl'),
        })),
      )
      .onConflict((oc) => oc.constraint('contact_identities_channel_id_external_id_key').doNothing())
      .returning(['externalId', 'contactId'])
      .execute()
    for (const row of identities) known.set(row.externalId, row.contactId)
    const lost = people.filter((e) => !known.has(e.contact.externalId))
    if (lost.length > 0) {
      const orphans = contacts.filter((c) => !identities.some((i) => i.contactId === c.id)).map((c) => c.id)
      if (orphans.length > 0) await db.deleteFrom('contacts').where('id', 'in', orphans).execute()
      const winners = await db
        .selectFrom('contactIdentities')
        .select(['externalId', 'contactId'])
        .where('channelId', '=', channelId)
        .where(
          'externalId',
          'in',
          lost.map((e) => e.contact.externalId),
        )
        .execute()
      for (const row of winners) known.set(row.externalId, row.contactId)
    }
  }

  // 3. People seen again (their last activity, and names they gave now where none was known), in the same
  // statement that locks the threads' existing conversations for the rest of the transaction. Fewer round
  // trips per batch is what keeps a busy ingest fast: each costs a turn of a busy event loop.
  const seen = new Map<string, { at: Date; event: MessageEvent }>()
  for (const event of candidates) {
    const at = new Date(event.sentAt)
    const current = seen.get(event.contact.externalId)
    if (!current || current.at < at) seen.set(event.contact.externalId, { at, event })
  }
  const updates = [...seen.values()].filter(({ event }) => !firstSight.has(event.contact.externalId))
  const seenAgain =
    updates.length > 0
      ? sql`with seen as (
          update contacts c set
            last_seen_at = greatest(c.last_seen_at, v.at),
            name = coalesce(c.name, v.name), handle = coalesce(c.handle, v.handle), language = coalesce(c.language, v.language),
            updated_at = now()
          from (values ${sql.join(
            updates.map(
              ({ at, event }) =>
                sql`(${known.get(event.contact.externalId)}::uuid, ${at}::timestamptz, ${event.contact.name ?? null}::text, ${event.contact.handle ?? null}::text, ${event.contact.language ?? spokenBy.get(event.contact.externalId) ?? null}::text)`,
            ),
          )}) as v(id, at, name, handle, language)
          -- Last seen to the minute is all anyone reads: skip rewriting a row that says the same.
          where c.id = v.id
            and (c.last_seen_at < v.at - interval '1 minute'
              or (c.name is null and v.name is not null) or (c.handle is null and v.handle is not null)
              or (c.language is null and v.language is not null))
        ) `
      : sql``
  const threads = new Map<string, MessageEvent>()
  for (const event of candidates) if (!threads.has(event.threadKey)) threads.set(event.threadKey, event)
  // Existing conversations are locked with FOR NO KEY UPDATE (an upsert's no-op update would write a row version
  // for nothing); new ones are locked by inserting them. NO KEY: the foreign key checks of rows that point at a
  // conversation (its messages, a rule's run) take a key-share lock, which this one does not block.
  const { rows: existing } = await sql<{ id: string; threadKey: string }>`
    ${seenAgain}select id, thread_key as "threadKey" from conversations
    where channel_id = ${channelId} and thread_key = any(${[...threads.keys()]}::text[])
    -- In one order for every batch: two batches of the same channel locking shared threads cannot deadlock.
    order by id
    for no key update`.execute(db)
  const conversationByThread = new Map(existing.map((c) => [c.threadKey, c.id]))
  const missing = [...threads.values()].filter((e) => !conversationByThread.has(e.threadKey))
  if (missing.length > 0) {
    const created = await db
      .insertInto('conversations')
      .values(
        missing.map((e) => ({
          channelId,
          // A conversation starts in its channel's team.
          teamId: sql<string>`(select team_id from channels where id = ${channelId}::uuid)`,
          threadKey: e.threadKey,
          kind: e.conversationKind,
          contactId: known.get(e.contact.externalId) as string,
          subject: e.subject ?? null,
          lastMessageAt: new Date(e.sentAt),
        })),
      )
      // A concurrent batch may create the same thread first: then lock theirs.
      .onConflict((oc) => oc.constraint('conversations_channel_id_thread_key_key').doUpdateSet({ updatedAt: sql`conversations.updated_at` }))
      .returning(['id', 'threadKey'])
      .execute()
    for (const c of created) conversationByThread.set(c.threadKey, c.id)
  }

  // 4. The messages, and in the same statement their conversations' counters and recency (a customer's
  // message reopens a resolved or snoozed thread). A platform id seen before (a retried delivery) inserts
  // nothing and counts nothing.
  const values = candidates.map(
    (e, i) => sql`(
      ${conversationByThread.get(e.threadKey)}::uuid, ${channelId}::uuid, ${e.externalId}::text, 'inbound', 'contact',
      ${known.get(e.contact.externalId)}::uuid,
      ${e.text}::text, ${JSON.stringify(e.attachments)}::jsonb, 'received', ${e.replyToExternalId ?? null}::text,
      ${e.replyContext ? JSON.stringify(e.replyContext) : null}::jsonb, ${new Date(e.sentAt)}::timestamptz, ${languages[i]}::text,
      ${sentiments[i]}::text
    )`,
  )
  const previews = candidates.map((e, i) => sql`(${e.externalId}::text, ${previewOf(e)}::text, ${languages[i]}::text)`)
  const { rows: inserted } = await sql<{ id: string }>`
    with inserted as (
      insert into messages (conversation_id, channel_id, external_id, direction, author_kind, author_contact_id, text, attachments, status,
                            reply_to_external_id, reply_context, sent_at, language, sentiment)
      values ${sql.join(values)}
      on conflict on constraint messages_channel_id_external_id_key do nothing
      returning id, conversation_id, external_id, sent_at
    ),
    previews (external_id, preview, language) as (values ${sql.join(previews)}),
    latest as (
      select distinct on (inserted.conversation_id) inserted.conversation_id, inserted.sent_at as at, previews.preview
      from inserted join previews using (external_id)
      order by inserted.conversation_id, inserted.sent_at desc
    ),
    -- The conversation's language: its latest message long enough to tell.
    spoken as (
      select distinct on (inserted.conversation_id) inserted.conversation_id, previews.language
      from inserted join previews using (external_id)
      where previews.language is not null
      order by inserted.conversation_id, inserted.sent_at desc
    ),
    counts as (select conversation_id, count(*)::int as n from inserted group by conversation_id),
    counted as (
      update conversations c set
        message_count = c.message_count + counts.n,
        last_message_preview = case when latest.at >= c.last_message_at then latest.preview else c.last_message_preview end,
        last_message_at = greatest(c.last_message_at, latest.at),
        last_inbound_at = greatest(coalesce(c.last_inbound_at, latest.at), latest.at),
        status = 'open',
        snoozed_until = null,
        language = coalesce((select spoken.language from spoken where spoken.conversation_id = c.id), c.language),
        updated_at = now()
      from counts join latest using (conversation_id)
      where c.id = counts.conversation_id
    )
    select id from inserted`.execute(db)
  return { createdMessageIds: inserted.map((m) => m.id), leftover }
}
