import { insertEvent } from '../conversations/messages.repository.js'
import { sql } from 'kysely'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { defineHandler } from '../queue/tasks.js'
import { noEffects } from '../rules/run-rules.js'
import { assignmentActor, assignTask } from './assign.task.js'
import { chooseAgent, recordAssignment, type Candidate, type Waiting } from './choose-agent.js'
import { recordChanges } from '../changes/changes.repository.js'
import { recordRuleEffects } from '../rules/rule-effects.js'

/** The team's online agents with their open load, overall and per kind of channel. */
export async function loadCandidates(db: Database, teamId: string): Promise<Candidate[]> {
  const { rows } = await sql<Omit<Candidate, 'loadByKind'> & { loadByKind: Record<string, number> | null }>`
    with loads as (
      select c.assignee_id, ch.kind, count(*)::int as n
      from conversations c join channels ch on ch.id = c.channel_id
      where c.status = 'open' and c.assignee_id in (select user_id from team_members where team_id = ${teamId}::uuid)
      group by c.assignee_id, ch.kind
    )
    select u.id, u.name, u.capacity, u.capacity_by_kind as "capacityByKind", u.skill_languages as languages,
      u.skill_channel_kinds as "channelKinds",
      coalesce((select sum(n) from loads l where l.assignee_id = u.id), 0)::int as load,
      (select jsonb_object_agg(kind, n) from loads l where l.assignee_id = u.id) as "loadByKind"
    from users u join team_members m on m.user_id = u.id and m.team_id = ${teamId}::uuid
    where u.active and u.presence = 'online'`.execute(db)
  return rows.map((r) => ({ ...r, loadByKind: r.loadByKind ?? {} }))
}

/** The team queue, most urgent first: priority, then the nearest SLA deadline, then the longest wait. */
async function waitingPage(db: Database, teamId: string, after: number, limit: number): Promise<Waiting[]> {
  const { rows } = await sql<Waiting>`
    select c.id, c.language, ch.kind as "channelKind"
    from conversations c join channels ch on ch.id = c.channel_id
    where c.assignee_id is null and c.status = 'open' and c.last_inbound_at is not null
      and c.team_id = ${teamId}::uuid
    order by array_position(array['urgent', 'high', 'normal', 'low']::text[], c.priority), c.sla_due_at nulls last, c.last_inbound_at, c.id
    offset ${after} limit ${limit}`.execute(db)
  return rows
}

/** A conversation nobody online can take stays queued; the scan stops this far down the queue. */
const scanLimit = 2000
const pageSize = 200

export async function assignWaiting(ctx: AppContext, teamId: string): Promise<{ assigned: number }> {
  const now = ctx.clock.now()
  const effects = noEffects()
  const count = await ctx.db.transaction().execute(async (trx) => {
    // One run per team at a time, across nodes: two would hand the same agent's last slot out twice.
    await sql`select pg_advisory_xact_lock(hashtext(${`assign:${teamId}`}))`.execute(trx)
    const team = await trx.selectFrom('teams').select('autoAssign').where('id', '=', teamId).executeTakeFirst()
    if (!team?.autoAssign) return 0
    const agents = await loadCandidates(trx, teamId)
    let count = 0
    const assigned: { conversationId: string; assigneeId: string }[] = []
    // Conversations nobody can take stay at the head of the queue: the next page starts after them.
    let skipped = 0
    let scanned = 0
    const someoneFree = () => agents.some((a) => a.load < a.capacity)
    while (scanned < scanLimit && someoneFree()) {
      const page = await waitingPage(trx, teamId, skipped, pageSize)
      if (page.length === 0) break
      for (const conversation of page) {
        if (!someoneFree()) break
        scanned += 1
        const stopTimer = ctx.metrics.assignDecision.startTimer()
        const choice = chooseAgent(agents, conversation)
        stopTimer()
        if (!choice) {
          skipped += 1
          continue
        }
        const { rows } = await sql<{ channelId: string }>`
          update conversations set assignee_id = ${choice.agent.id}::uuid, updated_at = ${now}
          where id = ${conversation.id}::uuid and assignee_id is null and status = 'open'
          returning channel_id as "channelId"`.execute(trx)
        // Taken meanwhile (by a person): it has left the queue, so the offset stays.
        const row = rows[0]
        if (!row) continue
        recordAssignment(choice.agent, conversation)
        count += 1
        const text = `Assigned to ${choice.agent.name} automatically: ${choice.reason}`
        effects.eventIds.push(await insertEvent(trx, { conversationId: conversation.id, channelId: row.channelId, text, at: now }))
        assigned.push({ conversationId: conversation.id, assigneeId: choice.agent.id })
        effects.notifications.push({
          userId: choice.agent.id,
          notification: { kind: 'assigned', conversationId: conversation.id, by: null, preview: 'Assigned to you automatically' },
        })
      }
    }
    await recordChanges(
      trx,
      assigned.map((a) => ({
        type: 'conversation.assigned' as const,
        conversationId: a.conversationId,
        actor: assignmentActor,
        data: { assigneeId: a.assigneeId, previousAssigneeId: null },
      })),
    )
    await recordRuleEffects(trx, effects, assignmentActor)
    return count
  })
  return { assigned: count }
}

export const assignHandler = defineHandler(assignTask, async (ctx, { teamId }) => {
  await assignWaiting(ctx, teamId)
})
