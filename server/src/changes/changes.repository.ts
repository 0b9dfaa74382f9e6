import type { Notification } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'

/**
 * What a writer records about a change, in its own transaction. Names follow the integrations event catalogue
 * (conversation.*, message.*, contact.*, sla.*); `conversation.updated` covers what the catalogue has no name for
 * (priority, tags, an SLA deadline), `notification.created` a console notification for one person, and
 * `channel.updated` a channel's platform-side state (its templates) that consoles show.
 */
export type ChangeType =
  | 'conversation.created'
  | 'conversation.updated'
  | 'conversation.assigned'
  | 'conversation.transferred'
  | 'conversation.status_changed'
  | 'message.created'
  | 'message.updated'
  | 'contact.created'
  | 'contact.updated'
  | 'contact.merged'
  | 'sla.breached'
  | 'notification.created'
  /** Something consoles show about a channel changed without a person saving it (a WhatsApp template's status). */
  | 'channel.updated'
  /** An ad or link referral reached a conversation (integrations §3.2 referral.received): what it was, and whether it is the first touch. */
  | 'referral.received'
  /** An agent recorded what a conversation led to: a lead, or a purchase with its value (integrations §4.5). */
  | 'conversation.outcome'

export interface Actor {
  type: 'agent' | 'rule' | 'system' | 'contact'
  /** The agent's or rule's id; for 'system', which part of Carebox (sla, routing, outbox, ingest…). */
  id?: string
}

export interface NewChange {
  type: ChangeType
  conversationId?: string | null
  messageId?: string | null
  contactId?: string | null
  /** Defaults to the conversation's team. */
  teamId?: string | null
  actor?: Actor
  data?: Record<string, unknown>
}

export interface Change {
  seq: number
  tx: string
  type: ChangeType
  occurredAt: Date
  teamId: string | null
  conversationId: string | null
  messageId: string | null
  contactId: string | null
  actor: Actor | null
  data: Record<string, unknown>
}

/** Tells every process's change runner that something committed (delivered on commit, once per transaction). */
export const changesChannel = 'carebox_changes'

/**
 * Records changes in the caller's transaction: they exist only if it commits. A change's team is the
 * conversation's unless given.
 */
export async function recordChanges(trx: Database, changes: NewChange[]): Promise<void> {
  if (changes.length === 0) return
  const rows = changes.map((c) => ({
    type: c.type,
    conversation_id: c.conversationId ?? null,
    message_id: c.messageId ?? null,
    contact_id: c.contactId ?? null,
    team_id: c.teamId ?? null,
    actor: c.actor ?? null,
    data: c.data ?? {},
  }))
  await sql`
    with given as (
      select e.value->>'type' as type, (e.value->>'conversation_id')::uuid as conversation_id, (e.value->>'message_id')::uuid as message_id,
        (e.value->>'contact_id')::uuid as contact_id, (e.value->>'team_id')::uuid as team_id, nullif(e.value->'actor', 'null') as actor,
        e.value->'data' as data, e.ordinality
      from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) with ordinality as e(value, ordinality)
    ),
    stored as (
      insert into changes (type, conversation_id, message_id, contact_id, team_id, actor, data)
      select g.type, g.conversation_id, g.message_id, g.contact_id, coalesce(g.team_id, c.team_id), g.actor, g.data
      from given g
      left join conversations c on c.id = g.conversation_id
      left join channels ch on ch.id = c.channel_id
      order by g.ordinality
      returning 1
    )
    select pg_notify(${changesChannel}, '') from (select 1 from stored limit 1) s`.execute(trx)
}

/**
 * message.created or message.updated for messages already written in the caller's transaction, in one
 * statement: the ids, and the facts consumers filter on (direction, kind, author).
 */
export async function recordMessageChanges(trx: Database, type: 'message.created' | 'message.updated', messageIds: string[], actor?: Actor): Promise<void> {
  if (messageIds.length === 0) return
  await sql`
    with stored as (
      insert into changes (type, conversation_id, message_id, contact_id, team_id, actor, data)
      select ${type}, m.conversation_id, m.id, c.contact_id, c.team_id, ${actor ? JSON.stringify(actor) : null}::jsonb,
        jsonb_build_object('direction', m.direction, 'kind', m.kind, 'author', m.author_kind, 'status', m.status, 'closesLoop', m.closes_loop)
      from unnest(${messageIds}::uuid[]) with ordinality as ids(id, n)
      join messages m on m.id = ids.id
      join conversations c on c.id = m.conversation_id
      join channels ch on ch.id = c.channel_id
      order by ids.n
      returning 1
    )
    select pg_notify(${changesChannel}, '') from (select 1 from stored limit 1) s`.execute(trx)
}

/** conversation.updated for conversations changed in the caller's transaction (what changed, in `fields`). */
export async function recordConversationsUpdated(trx: Database, conversationIds: Iterable<string>, fields: string[], actor?: Actor): Promise<void> {
  await recordChanges(
    trx,
    [...new Set(conversationIds)].map((conversationId) => ({ type: 'conversation.updated', conversationId, actor, data: { fields } })),
  )
}

/** A console notification for one person, delivered by the console consumer after the commit. */
export async function recordNotifications(trx: Database, notifications: { userId: string; notification: Notification }[]): Promise<void> {
  await recordChanges(
    trx,
    notifications.map(({ userId, notification }) => ({
      type: 'notification.created',
      conversationId: notification.conversationId ?? null,
      data: { userId, notification },
    })),
  )
}

/**
 * conversation.created and contact.created for the conversations and people the given new messages started in
 * the caller's transaction (their rows were created at its start time, now()).
 */
export async function recordNewConversations(trx: Database, messageIds: string[]): Promise<void> {
  if (messageIds.length === 0) return
  await sql`
    with firsts as (
      select distinct on (c.id) c.id as conversation_id, c.contact_id, c.team_id as team_id, m.id as message_id,
        ct.created_at = now() as new_contact
      from unnest(${messageIds}::uuid[]) as ids(id)
      join messages m on m.id = ids.id
      join conversations c on c.id = m.conversation_id and c.created_at = now()
      join channels ch on ch.id = c.channel_id
      join contacts ct on ct.id = c.contact_id
      order by c.id, m.sent_at, m.id
    ),
    stored as (
      insert into changes (type, conversation_id, message_id, contact_id, team_id, data)
      select distinct 'contact.created', null::uuid, null::uuid, contact_id, team_id, '{}'::jsonb from firsts where new_contact
      union all
      select 'conversation.created', conversation_id, message_id, contact_id, team_id, jsonb_build_object('firstMessageId', message_id) from firsts
      returning 1
    )
    select 1 from stored limit 1`.execute(trx)
}
