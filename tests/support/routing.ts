import { sql } from 'kysely'
import type { AppContext } from '../../server/src/context.js'
import { taskHandlers } from '../../server/src/queue/handlers.js'
import { detectLanguage } from '../../server/src/routing/language.js'
import { recordMessageChanges } from '../../server/src/changes/changes.repository.js'
import { drainAllChanges } from './queue.js'

/** The clock-driven jobs, what a controllable clock makes due, and the recomputations a settings change enqueues. */
const timerTasks = ['sla.timer', 'rules.timer', 'conversation.wake', 'routing.assign', 'sla.recompute', 'reports.team-resync']

interface DueJob {
  id: string
  task: string
  payload: unknown
  runAt: Date
}

/**
 * Runs, in time order, every timer job due by the test clock (their run_at was computed from it), as the worker
 * would when real time reaches them, including the ones they schedule in turn. Jobs enqueued to run at once
 * (their run_at is their creation, by the database's real clock) come first. Jobs run through the real
 * handlers; each is removed first, as the worker's completion would.
 */
export async function runDueTimers(ctx: AppContext): Promise<string[]> {
  const ran: string[] = []
  for (let i = 0; i < 10_000; i++) {
    // What the last job (or the test) changed is followed up first, as the consumers would right after its commit.
    await drainAllChanges(ctx)
    const { rows } = await sql<DueJob>`
      select j.id::text, t.identifier as task, j.payload, j.run_at as "runAt"
      from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = any(${timerTasks}::text[]) and j.attempts < j.max_attempts
        and (j.run_at <= ${ctx.clock.now()} or j.run_at >= j.created_at)
      order by j.run_at >= j.created_at desc, j.run_at, j.id limit 1`.execute(ctx.db)
    const job = rows[0]
    if (!job) return ran
    await sql`delete from graphile_worker._private_jobs where id = ${job.id}::bigint`.execute(ctx.db)
    const handler = taskHandlers.find((h) => h.definition.name === job.task)
    if (!handler) throw new Error(`no handler for ${job.task}`)
    await handler.run(ctx, job.payload as never, { attempts: 1, maxAttempts: 1 })
    ran.push(job.task)
  }
  throw new Error('timers kept scheduling each other')
}

/** Stores a customer's message as ingest would (its language detected, the change recorded), then lets the consumers follow. */
export async function customerWrites(ctx: AppContext, conversationId: string, text: string): Promise<string> {
  const conversation = await ctx.db.selectFrom('conversations').select(['channelId', 'contactId']).where('id', '=', conversationId).executeTakeFirstOrThrow()
  const now = ctx.clock.now()
  const language = detectLanguage(text)
  const message = await ctx.db
    .insertInto('messages')
    .values({
      conversationId,
      channelId: conversation.channelId,
      externalId: `in-${crypto.randomUUID()}`,
      direction: 'inbound',
      authorKind: 'contact',
      authorContactId: conversation.contactId,
      text,
      status: 'received',
      sentAt: now,
      language,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.db
    .updateTable('conversations')
    .set({
      status: 'open',
      snoozedUntil: null,
      lastInboundAt: now,
      lastMessageAt: now,
      messageCount: sql`message_count + 1`,
      lastMessagePreview: text.slice(0, 140),
      ...(language && { language }),
    })
    .where('id', '=', conversationId)
    .execute()
  if (language) await ctx.db.updateTable('contacts').set({ language }).where('id', '=', conversation.contactId).where('language', 'is', null).execute()
  await recordMessageChanges(ctx.db, 'message.created', [message.id])
  await drainAllChanges(ctx)
  return message.id
}

/** A new conversation on the channel, with no messages yet. */
export async function newConversation(ctx: AppContext, channelId: string, kind: 'dm' | 'public' = 'dm', contactName = 'Sam'): Promise<string> {
  const now = ctx.clock.now()
  const contact = await ctx.db.insertInto('contacts').values({ name: contactName, firstSeenAt: now, lastSeenAt: now }).returning('id').executeTakeFirstOrThrow()
  const row = await ctx.db
    .insertInto('conversations')
    .values({ channelId, teamId: teamOfChannel(channelId), threadKey: `${kind}:${crypto.randomUUID()}`, kind, contactId: contact.id, lastMessageAt: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The pending timer jobs of a task, by key. */
export async function pendingTimers(ctx: AppContext, task: string): Promise<{ key: string; runAt: Date }[]> {
  const { rows } = await sql<{ key: string; runAt: Date }>`
    select key, run_at as "runAt" from graphile_worker.jobs where task_identifier = ${task} and attempts < max_attempts order by run_at`.execute(ctx.db)
  return rows
}

/** The team a conversation inserted by hand starts in: its channel's, as ingest sets it. */
export function teamOfChannel(channelId: string) {
  return sql<string>`(select team_id from channels where id = ${channelId}::uuid)`
}
