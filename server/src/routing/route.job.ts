import { sql } from 'kysely'
import type { AppContext } from '../context.js'
import type { AnyDatabase } from '../db/client.js'
import { enqueueInTx } from '../queue/queue.js'
import { defineHandler } from '../queue/tasks.js'
import { replyQueue, sendReplyTask } from '../outbox/send-reply.task.js'
import { enabledRules, loadRuleSubject, noEffects, runRules, type RuleEffects } from '../rules/run-rules.js'
import { isOpenAt } from '../sla/business-time.js'
import { followUpMany, loadFollowUpEnv, publishEffects, type FollowUpEnv } from './follow-up.js'
import { detectLanguage } from './language.js'
import { routeTask } from './route.task.js'

interface NewMessage {
  id: string
  conversationId: string
  direction: string
  text: string
  sentAt: Date
}

/**
 * Each customer message's language, and the conversation's: its latest message that was long enough to tell.
 * The customer's too, when nothing told it before.
 */
async function storeLanguages(trx: AnyDatabase, inbound: NewMessage[]): Promise<void> {
  const detected = inbound.map((m) => ({ ...m, language: detectLanguage(m.text) })).filter((m) => m.language !== null)
  if (detected.length === 0) return
  const values = detected.map((m) => sql`(${m.id}::uuid, ${m.conversationId}::uuid, ${m.language}::text, ${m.sentAt}::timestamptz)`)
  await sql`
    with v (id, conversation_id, language, sent_at) as (values ${sql.join(values)}),
    tagged as (update messages m set language = v.language from v where m.id = v.id),
    latest as (select distinct on (conversation_id) conversation_id, language from v order by conversation_id, sent_at desc),
    -- A customer whose platform gave no language is known by the first one they wrote in.
    known as (
      update contacts ct set language = latest.language from latest join conversations c on c.id = latest.conversation_id
      where ct.id = c.contact_id and ct.language is null
    )
    update conversations c set language = latest.language from latest
    where c.id = latest.conversation_id and c.language is distinct from latest.language`.execute(trx)
}

/**
 * The team's optional acknowledgement when a customer writes while it is closed: sent through the outbox like
 * any reply, marked automated (never a human response for SLAs or reports), once per cycle of the conversation.
 */
async function acknowledgeOutOfHours(trx: AnyDatabase, conversationId: string, at: Date, env: FollowUpEnv, now: Date): Promise<string | null> {
  const row = await trx
    .selectFrom('conversations as c')
    .innerJoin('channels as ch', 'ch.id', 'c.channelId')
    .select(['c.channelId', 'c.resolvedAt', 'ch.outOfHoursReply'])
    .select(sql<string>`coalesce(c.team_id, ch.team_id)`.as('teamId'))
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
    .$if(row.resolvedAt !== null, (q) => q.where('sentAt', '>', row.resolvedAt as Date))
    .executeTakeFirst()
  if (already) return null
  const reply = await trx
    .insertInto('messages')
    .values({ conversationId, channelId: row.channelId, kind: 'message', direction: 'outbound', authorKind: 'agent', automated: true, text, status: 'queued', replyContext: '{}', sentAt: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  await enqueueInTx(trx, sendReplyTask, { messageId: reply.id, attempt: 1 }, { queueName: replyQueue(conversationId) })
  return reply.id
}

async function route(ctx: AppContext, messageIds: string[]): Promise<{ effects: RuleEffects; changed: string[] }> {
  const now = ctx.clock.now()
  const messages: NewMessage[] = await ctx.db
    .selectFrom('messages')
    .select(['id', 'conversationId', 'direction', 'text', 'sentAt'])
    .where('id', 'in', messageIds)
    .where('kind', '=', 'message')
    .orderBy('sentAt')
    .execute()
  const effects = noEffects()
  if (messages.length === 0) return { effects, changed: [] }
  const [env, received] = await Promise.all([loadFollowUpEnv(ctx.db, now), enabledRules(ctx.db, 'message.received')])
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const inbound = messages.filter((m) => m.direction === 'inbound')
    await storeLanguages(trx, inbound)
    const moved: string[] = []
    for (const conversationId of new Set(messages.map((m) => m.conversationId))) {
      const mine = inbound.filter((m) => m.conversationId === conversationId)
      for (const message of mine) {
        if (received.length === 0) break
        const subject = await loadRuleSubject(trx, conversationId, message.text)
        if (subject) await runRules(trx, received, subject, `message:${message.id}`, now, effects)
      }
      const latest = mine.at(-1)
      const acknowledgement = latest ? await acknowledgeOutOfHours(trx, conversationId, latest.sentAt, env, now) : null
      if (acknowledgement) effects.eventIds.push(acknowledgement)
      if (mine.length > 0) moved.push(conversationId)
    }
    const results = await followUpMany(trx, [...new Set(messages.map((m) => m.conversationId))], env)
    for (const [id, result] of results) if (result.changed && !moved.includes(id)) moved.push(id)
    return moved
  })
  return { effects, changed }
}

export const routeHandler = defineHandler(routeTask, async (ctx, { messageIds }) => {
  const { effects, changed } = await route(ctx, messageIds)
  if (ctx.realtime.hasListeners()) await publishEffects(ctx, effects, changed)
})
