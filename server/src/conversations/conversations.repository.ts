import { lowRatingDays, slaAmberMinutes, windowClosingHours, type SlaFilter } from '@carebox/shared'
import { sql } from 'kysely'
import type { ConversationView } from '@carebox/shared'
import { idsOrNone, teamOfConversation } from '../auth/scope.js'
import { latestCustomerSentiment } from '../sentiment/effective-sentiment.js'
import type { Database } from '../db/client.js'

/** Moves a thread to a new key (its person's id changed); a no-op when no conversation has the old key. */
export async function renameThread(db: Database, channelId: string, from: string, to: string): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ threadKey: to, updatedAt: sql`now()` })
    .where('channelId', '=', channelId)
    .where('threadKey', '=', from)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('conversations as taken').select('taken.id').where('taken.channelId', '=', channelId).where('taken.threadKey', '=', to))),
    )
    .execute()
}

/**
 * The conversation for a thread, created on its first message. The no-op update on conflict locks the row,
 * so messages of one conversation are applied one transaction at a time, in order.
 */
export async function upsertConversation(
  db: Database,
  input: { channelId: string; threadKey: string; kind: 'dm' | 'public'; contactId: string; subject: string | null; at: Date },
): Promise<string> {
  const row = await db
    .insertInto('conversations')
    .values({
      channelId: input.channelId,
      // A conversation starts in its channel's team.
      teamId: sql<string>`(select team_id from channels where id = ${input.channelId}::uuid)`,
      threadKey: input.threadKey,
      kind: input.kind,
      contactId: input.contactId,
      subject: input.subject,
      lastMessageAt: input.at,
    })
    .onConflict((oc) => oc.constraint('conversations_channel_id_thread_key_key').doUpdateSet({ updatedAt: sql`conversations.updated_at` }))
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * Counts a new message into its conversation; a customer's message reopens a resolved or snoozed one, unless it
 * closes the loop (`reopens: false`: a rating, a thanks after the resolve), which still opens the platform's window.
 */
export function recordMessageInConversation(
  db: Database,
  conversationId: string,
  message: { sentAt: Date; preview: string; isInbound: boolean; reopens?: boolean; language?: string | null },
) {
  return db
    .updateTable('conversations')
    .set({
      messageCount: sql`message_count + 1`,
      lastMessagePreview: sql`case when ${message.sentAt} >= last_message_at then ${message.preview} else last_message_preview end`,
      lastMessageAt: sql`greatest(last_message_at, ${message.sentAt})`,
      ...(message.isInbound && { lastInboundAt: sql`greatest(coalesce(last_inbound_at, ${message.sentAt}), ${message.sentAt})` }),
      ...(message.isInbound && message.reopens !== false && { status: 'open', snoozedUntil: null }),
      ...(message.language && { language: message.language }),
      updatedAt: sql`now()`,
    })
    .where('id', '=', conversationId)
    .execute()
}

const summaryColumns = [
  'conversations.id',
  'conversations.kind',
  'conversations.status',
  'conversations.subject',
  'conversations.messageCount',
  'conversations.lastMessageAt',
  'conversations.lastMessagePreview',
  'conversations.lastInboundAt',
  'channels.id as channelId',
  'channels.kind as channelKind',
  'channels.name as channelName',
  'conversations.assigneeId',
  'assignees.name as assigneeName',
  'conversations.priority',
  'conversations.tags',
  'conversations.snoozedUntil',
  'conversations.language',
  'conversations.slaState',
  'conversations.slaDueAt',
  'contacts.id as contactId',
  'contacts.name as contactName',
  'contacts.handle as contactHandle',
] as const

/**
 * A Messenger, Instagram or WhatsApp chat where the customer has the last word and the platform's 24-hour window
 * closes within two hours: answer now, or only a template (or the human-agent tag) will reach them.
 */
export function windowClosing(conversations: string, channels: string, now: Date) {
  const dayAgo = new Date(now.getTime() - 24 * 3_600_000)
  const closingFrom = new Date(now.getTime() - (24 - windowClosingHours) * 3_600_000)
  return sql<boolean>`(${sql.ref(`${channels}.kind`)} in ('facebook', 'instagram', 'whatsapp') and ${sql.ref(`${conversations}.kind`)} = 'dm'
    and ${sql.ref(`${conversations}.last_inbound_at`)} >= ${sql.ref(`${conversations}.last_message_at`)}
    and ${sql.ref(`${conversations}.last_inbound_at`)} > ${dayAgo} and ${sql.ref(`${conversations}.last_inbound_at`)} <= ${closingFrom})`
}

/**
 * Unread for `viewerId`: the customer wrote after they last read it. Without a viewer (an event broadcast to a
 * team), unread means the customer has the last word.
 */
function unreadFor(viewerId: string | undefined) {
  return viewerId
    ? sql<boolean>`coalesce(conversations.last_inbound_at > coalesce(
        (select r.read_at from conversation_reads r where r.user_id = ${viewerId}::uuid and r.conversation_id = conversations.id),
        '-infinity'), false)`
    : sql<boolean>`coalesce(conversations.last_inbound_at >= conversations.last_message_at, false)`
}

/**
 * The inbox's rows. The latest customer message's sentiment is a subquery, not a column kept on conversations:
 * one index step per listed row (a page is 50), and a relabel or a late message can never leave it stale.
 */
function summaries(db: Database, viewerId?: string) {
  return db
    .selectFrom('conversations')
    .innerJoin('channels', 'channels.id', 'conversations.channelId')
    .innerJoin('contacts', 'contacts.id', 'conversations.contactId')
    .leftJoin('users as assignees', 'assignees.id', 'conversations.assigneeId')
    .select(summaryColumns)
    .select(teamOfConversation().as('teamId'))
    .select(unreadFor(viewerId).as('unread'))
    .select(latestCustomerSentiment('conversations').as('sentiment'))
    .select(
      sql<
        string | null
      >`case when conversations.kind = 'public' then (select coalesce(ct.name, ct.handle) from messages lm join contacts ct on ct.id = lm.author_contact_id
        where lm.conversation_id = conversations.id and lm.direction = 'inbound' and lm.kind = 'message' order by lm.sent_at desc limit 1) end`.as(
        'latestCommenter',
      ),
    )
}

export type ConversationSummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['execute']>>[number]

export function findConversationSummaries(db: Database, ids: string[], viewerId?: string): Promise<ConversationSummaryRow[]> {
  if (ids.length === 0) return Promise.resolve([])
  return summaries(db, viewerId).where('conversations.id', 'in', ids).execute()
}

/** Beyond this many matching messages a word counts as common, and the search walks the list instead. */
const rareWordLimit = 500

/**
 * Who and what a search can match, from the indexes: customers by part of their name or handle (trigram), and
 * for a rare word the conversations whose messages have it (full text; 'simple' has no stemming and no stop
 * words, so it works the same in every language). Null conversationIds: the word is common.
 */
async function searchCandidates(db: Database, q: string): Promise<{ contactIds: string[]; conversationIds: string[] | null }> {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const [contacts, messages] = await Promise.all([
    db
      .selectFrom('contacts')
      .select('id')
      .where((eb) => eb.or([eb('name', 'ilike', pattern), eb('handle', 'ilike', pattern)]))
      .limit(1000)
      .execute(),
    // gin_fuzzy_search_limit stops the index scan after about that many matches: a common word costs no more to
    // recognise than a rare one, instead of gathering every message that has it.
    db.transaction().execute(async (trx) => {
      await sql`set local gin_fuzzy_search_limit = ${sql.lit(rareWordLimit * 2)}`.execute(trx)
      return sql<{ conversationId: string }>`
        select conversation_id as "conversationId" from messages
        where kind = 'message' and to_tsvector('simple', lower(text)) @@ websearch_to_tsquery('simple', lower(${q}))
        limit ${rareWordLimit + 1}`.execute(trx)
    }),
  ])
  const isRare = messages.rows.length <= rareWordLimit
  return {
    contactIds: contacts.map((c) => c.id),
    conversationIds: isRare ? [...new Set(messages.rows.map((m) => m.conversationId))] : null,
  }
}

export async function listConversationSummaries(
  db: Database,
  filter: {
    /** Teams the caller may see; null for all. */
    teamIds: string[] | null
    /** The caller, for the views about them ('mine', 'teams'); API tokens have none. */
    me?: { userId: string; teamIds: string[] }
    view?: ConversationView
    language?: string
    sla?: SlaFilter
    sort?: 'recent' | 'next_breach'
    /** For the SLA views and filters: what "within 15 minutes" counts from. */
    now: Date
    status?: string
    channelId?: string
    priority?: string
    tag?: string
    q?: string
    /** Assigned to this teammate (the assignee index, in the list's order). */
    assigneeId?: string
    /** Latest activity in [from, to): a range of the list's own order, so the same indexes serve it. */
    from?: Date
    to?: Date
    before?: { at: Date | null; id: string }
    limit: number
  },
): Promise<ConversationSummaryRow[]> {
  const soon = new Date(filter.now.getTime() + slaAmberMinutes * 60_000)
  let query = summaries(db, filter.me?.userId)
  if (filter.language) {
    const language = filter.language
    // Detected from the customer's messages; before any was long enough to tell, what the platform said of them.
    query = query.where((eb) =>
      eb.or([
        eb('conversations.language', '=', language),
        eb.and([eb('conversations.language', 'is', null), eb.or([eb('contacts.language', '=', language), eb('contacts.language', 'like', `${language}-%`)])]),
      ]),
    )
  }
  if (filter.teamIds) query = query.where(teamOfConversation(), 'in', idsOrNone(filter.teamIds))
  switch (filter.view) {
    case 'unassigned':
      query = query.where('conversations.status', '=', 'open').where('conversations.assigneeId', 'is', null)
      break
    case 'mine':
      query = query.where('conversations.status', '=', 'open').where('conversations.assigneeId', 'in', idsOrNone(filter.me ? [filter.me.userId] : []))
      break
    case 'teams':
      query = query.where('conversations.status', '=', 'open').where(teamOfConversation(), 'in', idsOrNone(filter.me?.teamIds ?? []))
      break
    case 'at_risk':
      query = query.where('conversations.status', '=', 'open').where('conversations.slaDueAt', '<=', soon)
      break
    case 'window_closing':
      query = query.where('conversations.status', '=', 'open').where(windowClosing('conversations', 'channels', filter.now))
      break
    case 'follow_ups':
      query = query.where(sql<boolean>`exists (select 1 from follow_ups f where f.conversation_id = conversations.id and f.status = 'scheduled')`)
      break
    case 'low_ratings':
      query = query.where(lowRating('conversations', filter.now))
      break
    case 'open':
    case 'snoozed':
    case 'resolved':
      query = query.where('conversations.status', '=', filter.view)
      break
    case 'all':
    case undefined:
      break
  }
  if (filter.priority) query = query.where('conversations.priority', '=', filter.priority)
  switch (filter.sla) {
    case 'breached':
      query = query.where((eb) =>
        eb.or([
          eb('conversations.slaState', '=', 'breached'),
          eb.and([eb('conversations.slaState', '=', 'active'), eb('conversations.slaDueAt', '<=', filter.now)]),
        ]),
      )
      break
    case 'at_risk':
      query = query.where('conversations.slaState', '=', 'active').where('conversations.slaDueAt', '>', filter.now).where('conversations.slaDueAt', '<=', soon)
      break
    case 'on_track':
      query = query.where('conversations.slaState', '=', 'active').where('conversations.slaDueAt', '>', soon)
      break
    case 'paused':
      query = query.where('conversations.slaState', '=', 'paused')
      break
    case 'none':
      query = query.where('conversations.slaState', 'is', null)
      break
    case undefined:
      break
  }
  if (filter.tag) query = query.where(sql<boolean>`conversations.tags @> array[${filter.tag.toLowerCase()}]::text[]`)
  if (filter.q) {
    const { contactIds, conversationIds } = await searchCandidates(db, filter.q)
    query = query.where((eb) =>
      eb.or([
        eb('conversations.contactId', '=', eb.fn.any(eb.val(contactIds))),
        // A rare word: the few conversations that have it. A common one: the newest conversations that have it,
        // found by walking the list in order, which stops as soon as the page is full.
        conversationIds
          ? eb('conversations.id', '=', eb.fn.any(eb.val(conversationIds)))
          : // offset 0 keeps this a check per conversation: without it the planner may gather every match first.
            sql<boolean>`exists (
              select 1 from messages m
              where m.conversation_id = conversations.id and m.kind = 'message'
                and to_tsvector('simple', lower(m.text)) @@ websearch_to_tsquery('simple', lower(${filter.q}))
              offset 0
            )`,
      ]),
    )
  }
  if (filter.status) query = query.where('conversations.status', '=', filter.status)
  if (filter.channelId) query = query.where('conversations.channelId', '=', filter.channelId)
  if (filter.assigneeId) query = query.where('conversations.assigneeId', '=', filter.assigneeId)
  if (filter.from) query = query.where('conversations.lastMessageAt', '>=', filter.from)
  if (filter.to) query = query.where('conversations.lastMessageAt', '<', filter.to)
  // Nearest deadline first (conversations with none last), or the latest activity first.
  if (filter.sort === 'next_breach' || filter.view === 'at_risk') {
    if (filter.before) {
      const { at, id } = filter.before
      query = query.where(
        at === null
          ? sql<boolean>`conversations.sla_due_at is null and conversations.id > ${id}::uuid`
          : sql<boolean>`((conversations.sla_due_at, conversations.id) > (${at}, ${id}::uuid) or conversations.sla_due_at is null)`,
      )
    }
    return query
      .orderBy(sql`conversations.sla_due_at asc nulls last`)
      .orderBy('conversations.id', 'asc')
      .limit(filter.limit)
      .execute()
  }
  if (filter.before) {
    const { at, id } = filter.before
    query = query.where(sql<boolean>`(conversations.last_message_at, conversations.id) < (${at}, ${id}::uuid)`)
  }
  return query.orderBy('conversations.lastMessageAt', 'desc').orderBy('conversations.id', 'desc').limit(filter.limit).execute()
}

/** A customer rated the conversation 1 or 2 within the last `lowRatingDays` (the Low ratings view). */
export function lowRating(conversation: string, now: Date) {
  const since = new Date(now.getTime() - lowRatingDays * 24 * 60 * 60 * 1000)
  return sql<boolean>`exists (select 1 from surveys s where s.conversation_id = ${sql.ref(`${conversation}.id`)} and s.rating <= 2 and s.answered_at > ${since})`
}
