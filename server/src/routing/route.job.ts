import { insertQueuedReply } from '../conversations/messages.repository.js'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'
import { enqueueInTx } from '../queue/queue.js'
import { profileJobKey, profileTask } from '../contacts/profile.task.js'
import { replyQueue, sendReplyTask } from '../outbox/send-reply.task.js'
import { loadRuleSubjects, noEffects, readClaims, runRules, writeClaims, type RuleEffects, type RuleSubject } from '../rules/run-rules.js'
import { isOpenAt } from '../sla/business-time.js'
import type { FollowUpEnv } from '../timers/follow-up.js'

interface NewMessage {
  id: string
  conversationId: string
  direction: string
  text: string
  sentAt: Date
  /** Its effective sentiment label (null: stored before labels were; the rules read the text then). */
  sentiment: string | null
}

/**
 * The team's optional acknowledgement when a customer writes while it is closed: sent through the outbox like
 * any reply, marked automated (never a human response for SLAs or reports), once per cycle of the conversation.
 */
async function acknowledgeOutOfHours(trx: Database, conversationId: string, at: Date, env: FollowUpEnv, now: Date): Promise<string | null> {
  const row = await trx
    .selectFrom('conversations as c')
    .innerJoin('channels as ch', 'ch.id', 'c.channelId')
    .select(['c.channelId', 'c.resolvedAt', 'ch.outOfHoursReply'])
    .select('c.teamId')
    .where('c.id', '=', conversationId)
    .executeTakeFirst()
  const text = row?.outOfHoursReply?.trim()
  if (!row || !text) return null
  const calendar = env.calendars.get(row.teamId)
  if (!calendar || isOpenAt(calendar, at)) return null
  const already = await trx
    .selectFrom('messages')
    .select('id')
    .where('conversationId', '=', conversationId)
    .where('automated', '=', true)
    // A satisfaction survey after the resolve is not an acknowledgement of this new case.
    .where(sql<boolean>`reply_context->>'survey' is null`)
    .$if(row.resolvedAt !== null, (q) => q.where('sentAt', '>', row.resolvedAt as Date))
    .executeTakeFirst()
  if (already) return null
  const replyId = await insertQueuedReply(trx, {
    conversationId,
    channelId: row.channelId,
    text,
    authorUserId: null,
    automated: true,
    replyContext: {},
    at: now,
  })
  if (!replyId) return null
  await enqueueInTx(trx, sendReplyTask, { messageId: replyId, attempt: 1 }, { queueName: replyQueue(conversationId) })
  return replyId
}

/** People who wrote by DM on a channel whose webhooks carry no name, and have none yet: look them up. */
async function lookUpNewPeople(trx: Database, messageIds: string[]): Promise<void> {
  if (messageIds.length === 0) return
  const { rows } = await sql<{ channelId: string; externalId: string }>`
    select distinct ci.channel_id as "channelId", ci.external_id as "externalId"
    from messages m
    join conversations c on c.id = m.conversation_id
    join contacts ct on ct.id = m.author_contact_id
    join contact_identities ci on ci.contact_id = ct.id and ci.channel_id = m.channel_id
    where m.id = any(${messageIds}::uuid[]) and c.kind = 'dm' and ct.name is null and ci.name is null`.execute(trx)
  for (const person of rows) {
    await enqueueInTx(trx, profileTask, person, { jobKey: profileJobKey(person.channelId, person.externalId) })
  }
}

/**
 * What new customer messages set off, inside the rules consumer's transaction: the message.received rules
 * (priority signals), the out-of-hours acknowledgement, and profile lookups of people who wrote unnamed.
 */
export async function routeMessages(trx: Database, messageIds: string[], env: FollowUpEnv): Promise<RuleEffects> {
  const effects = noEffects()
  if (messageIds.length === 0) return effects
  const messages: (NewMessage & { channelId: string })[] = await trx
    .selectFrom('messages')
    .select(['id', 'conversationId', 'channelId', 'direction', 'text', 'sentAt'])
    .select(sql<string | null>`coalesce(sentiment_override, sentiment)`.as('sentiment'))
    .where('id', 'in', messageIds)
    .where('kind', '=', 'message')
    .orderBy('sentAt')
    .execute()
  if (messages.length === 0) return effects
  const received = env.rules.filter((r) => r.trigger === 'message.received')
  const inbound = messages.filter((m) => m.direction === 'inbound')
  const conversationIds = [...new Set(messages.map((m) => m.conversationId))]
  // Read once for the batch; what a rule changes (a tag, the priority) the next message's rules see in the subject.
  const subjects = received.length > 0 ? await loadRuleSubjects(trx, [...new Set(inbound.map((m) => m.conversationId))]) : new Map<string, RuleSubject>()
  const claims = await readClaims(
    trx,
    received.map((r) => r.id),
    [...subjects.keys()],
    inbound.map((m) => `message:${m.id}`),
  )
  for (const conversationId of conversationIds) {
    const mine = inbound.filter((m) => m.conversationId === conversationId)
    const subject = subjects.get(conversationId)
    for (const message of subject ? mine : []) {
      subject!.text = message.text
      subject!.sentiment = message.sentiment as RuleSubject['sentiment']
      await runRules(trx, received, subject!, `message:${message.id}`, env.now, effects, claims)
    }
    const latest = mine.at(-1)
    if (latest && env.acknowledgingChannels.has(latest.channelId)) {
      const acknowledgement = await acknowledgeOutOfHours(trx, conversationId, latest.sentAt, env, env.now)
      if (acknowledgement) effects.eventIds.push(acknowledgement)
    }
  }
  await writeClaims(trx, claims)
  await lookUpNewPeople(
    trx,
    inbound.filter((m) => env.profileChannels.has(m.channelId)).map((m) => m.id),
  )
  return effects
}
