import { sql } from 'kysely'
import type { Referral } from '../channels/connector.js'
import type { Database } from '../db/client.js'
import { referralCampaign, referralKind } from './referral-kind.js'

/** A referral from an inbound envelope, with what finds its conversation. */
export interface IncomingReferral {
  /** Unique per channel: a redelivered webhook stores nothing twice. */
  dedupeKey: string
  threadKey: string
  /** The customer's message that carried it, when one did: the surest way to its conversation. */
  messageExternalId?: string
  referral: Referral
  receivedAt: Date
}

/** A referral tied to a conversation, with the facts a `referral.received` change carries. */
export interface AttachedReferral {
  id: string
  conversationId: string
  contactId: string | null
  kind: string
  source: string | null
  ref: string | null
  adId: string | null
  sourceId: string | null
  sourceType: string | null
  sourceUrl: string | null
  headline: string | null
  hasClickId: boolean
  firstTouch: boolean
}

/**
 * Inserts referrals, each on the conversation of the message that carried it, else of its thread, else none yet (a
 * click before the first message). Returns the ids of those tied to a conversation.
 */
export async function insertReferrals(db: Database, channelId: string, incoming: IncomingReferral[]): Promise<string[]> {
  if (incoming.length === 0) return []
  const rows = incoming.map((item, n) => ({
    n,
    dedupe_key: item.dedupeKey,
    thread_key: item.threadKey,
    message_external_id: item.messageExternalId ?? null,
    kind: referralKind(item.referral),
    campaign: referralCampaign(item.referral),
    source: item.referral.source ?? null,
    type: item.referral.type ?? null,
    ref: item.referral.ref ?? null,
    ad_id: item.referral.adId ?? null,
    ctwa_clid: item.referral.ctwaClid ?? null,
    source_id: item.referral.sourceId ?? null,
    source_type: item.referral.sourceType ?? null,
    source_url: item.referral.sourceUrl ?? null,
    headline: item.referral.headline ?? null,
    raw: item.referral.raw,
    received_at: item.receivedAt.toISOString(),
  }))
  const { rows: inserted } = await sql<{ id: string; conversationId: string | null }>`
    with incoming as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(n int, dedupe_key text, thread_key text, message_external_id text,
        kind text, campaign text, source text, type text, ref text, ad_id text, ctwa_clid text, source_id text, source_type text, source_url text,
        headline text, raw jsonb, received_at timestamptz)
    )
    insert into conversation_referrals (channel_id, conversation_id, contact_id, thread_key, dedupe_key, kind, campaign, source, type, ref, ad_id,
      ctwa_clid, source_id, source_type, source_url, headline, raw, received_at)
    select ${channelId}::uuid, c.id, c.contact_id, coalesce(c.thread_key, i.thread_key), i.dedupe_key, i.kind, i.campaign, i.source, i.type, i.ref,
      i.ad_id, i.ctwa_clid, i.source_id, i.source_type, i.source_url, i.headline, i.raw, i.received_at
    from incoming i
    left join conversations c on c.id = coalesce(
      (select m.conversation_id from messages m where m.channel_id = ${channelId}::uuid and m.external_id = i.message_external_id),
      (select t.id from conversations t where t.channel_id = ${channelId}::uuid and t.thread_key = i.thread_key))
    order by i.n
    on conflict on constraint conversation_referrals_channel_id_dedupe_key_key do nothing
    returning id, conversation_id as "conversationId"`.execute(db)
  return inserted.filter((row) => row.conversationId !== null).map((row) => row.id)
}

/**
 * Ties referrals still waiting on this channel to the conversations these new messages are in, by thread: the click
 * that opened a thread reaches the conversation its first message started. Returns the ids tied now.
 */
export async function attachWaitingReferrals(db: Database, channelId: string, messageIds: string[]): Promise<string[]> {
  if (messageIds.length === 0) return []
  const { rows } = await sql<{ id: string }>`
    update conversation_referrals r set conversation_id = c.id, contact_id = c.contact_id
    from conversations c
    where r.conversation_id is null and r.channel_id = ${channelId}::uuid
      and c.channel_id = r.channel_id and c.thread_key = r.thread_key
      and c.id in (select m.conversation_id from messages m where m.id = any(${messageIds}::uuid[]))
    returning r.id`.execute(db)
  return rows.map((row) => row.id)
}

/**
 * Makes the earliest referral of each of these referrals' conversations its first touch, where it has none yet: a
 * first touch, once set, stays, whatever comes later. Returns the referrals as they now stand.
 */
export async function settleFirstTouches(db: Database, referralIds: string[]): Promise<AttachedReferral[]> {
  if (referralIds.length === 0) return []
  await sql`
    update conversation_referrals r set first_touch = true
    from (
      select distinct on (conversation_id) id, conversation_id from conversation_referrals
      where conversation_id in (select conversation_id from conversation_referrals where id = any(${referralIds}::uuid[]))
      order by conversation_id, received_at, id
    ) f
    where r.id = f.id
      and not exists (select 1 from conversation_referrals x where x.conversation_id = f.conversation_id and x.first_touch)`.execute(db)
  const { rows } = await sql<AttachedReferral>`
    select id, conversation_id as "conversationId", contact_id as "contactId", kind, source, ref, ad_id as "adId", source_id as "sourceId",
      source_type as "sourceType", source_url as "sourceUrl", headline, ctwa_clid is not null as "hasClickId", first_touch as "firstTouch"
    from conversation_referrals where id = any(${referralIds}::uuid[]) and conversation_id is not null
    order by received_at, id`.execute(db)
  return rows
}

export interface ReferralRow {
  id: string
  kind: string
  source: string | null
  ref: string | null
  adId: string | null
  ctwaClid: string | null
  sourceId: string | null
  sourceType: string | null
  sourceUrl: string | null
  headline: string | null
  firstTouch: boolean
  receivedAt: Date
}

/** A conversation's referrals, oldest first. */
export function listReferrals(db: Database, conversationId: string): Promise<ReferralRow[]> {
  return db
    .selectFrom('conversationReferrals')
    .select(['id', 'kind', 'source', 'ref', 'adId', 'ctwaClid', 'sourceId', 'sourceType', 'sourceUrl', 'headline', 'firstTouch', 'receivedAt'])
    .where('conversationId', '=', conversationId)
    .orderBy('receivedAt')
    .orderBy('id')
    .execute()
}
