import { routingApi, type Agent, type ChannelAutoReply, type ChannelKind, type Presence, type TeamRouting } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import { recordAudit } from '../audit/audit.repository.js'
import { actorOf, identityOf, visibleTeamIds, type Identity } from '../auth/identity.js'
import { idsOrNone } from '../auth/scope.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { routeOptions } from '../http/route.js'
import { enqueueInTx } from '../queue/queue.js'
import { reportsTeamResyncKey, reportsTeamResyncTask } from '../reports/team-resync.task.js'
import { calendarProblems, isOpenAt } from '../sla/business-time.js'
import { toCalendar } from '../sla/sla-policies.repository.js'
import { slaRecomputeKey, slaRecomputeTask } from '../sla/sla-recompute.task.js'
import { assignJobKey, assignTask } from './assign.task.js'
import { refreshPresence } from './presence.js'

function user(identity: Identity): Extract<Identity, { kind: 'user' }> {
  if (identity.kind !== 'user') throw new AppError('forbidden', 'Only a signed-in person has a presence.')
  return identity
}

/** A lead acts on their own teams; an admin on all. Another team is not found, as if it did not exist. */
function assertTeamVisible(request: FastifyRequest, teamId: string): void {
  const teams = visibleTeamIds(identityOf(request))
  if (teams && !teams.includes(teamId)) throw new AppError('not_found', 'No such team.')
}

async function teamRouting(db: Database, teamIds: string[] | null, now: Date): Promise<TeamRouting[]> {
  const { rows } = await sql<{ id: string; name: string; timeZone: string; businessHours: unknown; autoAssign: boolean; waiting: number }>`
    select t.id, t.name, t.time_zone as "timeZone", t.business_hours as "businessHours", t.auto_assign as "autoAssign",
      (select count(*)::int from conversations c join channels ch on ch.id = c.channel_id
        where c.assignee_id is null and c.status = 'open' and c.team_id = t.id) as waiting
    from teams t
    where ${teamIds === null} or t.id = any(${idsOrNone(teamIds ?? [])}::uuid[])
    order by t.name`.execute(db)
  return rows.map((t) => {
    const calendar = toCalendar(t)
    return {
      teamId: t.id,
      name: t.name,
      timeZone: t.timeZone,
      businessHours: calendar,
      autoAssign: t.autoAssign,
      openNow: calendarProblems(calendar).length === 0 && isOpenAt(calendar, now),
      waiting: t.waiting,
    }
  })
}

async function agents(db: Database, teamIds: string[] | null, userId?: string): Promise<Agent[]> {
  const { rows } = await sql<Omit<Agent, 'presenceAt'> & { presenceAt: Date | null }>`
    select u.id, u.name, u.role, u.presence, u.presence_at as "presenceAt", u.capacity, u.capacity_by_kind as "capacityByKind",
      u.skill_languages as languages, u.skill_channel_kinds as "channelKinds",
      array(select team_id from team_members m where m.user_id = u.id) as "teamIds",
      (select count(*)::int from conversations c where c.assignee_id = u.id and c.status = 'open') as load
    from users u
    where u.active
      and (${teamIds === null} or exists (select 1 from team_members m where m.user_id = u.id and m.team_id = any(${idsOrNone(teamIds ?? [])}::uuid[])))
      and (${userId ?? null}::uuid is null or u.id = ${userId ?? null}::uuid)
    order by u.name`.execute(db)
  return rows.map((r) => ({ ...r, channelKinds: r.channelKinds as ChannelKind[], presenceAt: r.presenceAt?.toISOString() ?? null }))
}

async function autoReplies(db: Database, teamIds: string[] | null, channelId?: string): Promise<ChannelAutoReply[]> {
  let query = db.selectFrom('channels').select(['id as channelId', 'name', 'kind', 'teamId', 'outOfHoursReply']).orderBy('name')
  if (teamIds) query = query.where('teamId', 'in', idsOrNone(teamIds))
  if (channelId) query = query.where('id', '=', channelId)
  return (await query.execute()).map((r) => ({ ...r, kind: r.kind as ChannelKind }))
}

export function routingRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({
      ...routeOptions(routingApi.teams),
      handler: async (request) => ({ items: await teamRouting(ctx.db, visibleTeamIds(identityOf(request)), ctx.clock.now()) }),
    })
    app.route({
      ...routeOptions(routingApi.updateTeam),
      handler: async (request) => {
        const { teamId } = request.params
        assertTeamVisible(request, teamId)
        const current = (await teamRouting(ctx.db, [teamId], ctx.clock.now()))[0]
        if (!current) throw new AppError('not_found', 'No such team.')
        const calendar = {
          timeZone: request.body.timeZone ?? current.timeZone,
          shifts: (request.body.businessHours ?? current.businessHours).shifts as { weekday: 0 | 1 | 2 | 3 | 4 | 5 | 6; opens: string; closes: string }[],
          holidays: (request.body.businessHours ?? current.businessHours).holidays,
        }
        const problems = calendarProblems(calendar)
        if (problems.length > 0) throw new AppError('validation_failed', problems.join(' '))
        await ctx.db.transaction().execute(async (trx) => {
          await trx
            .updateTable('teams')
            .set({
              ...(request.body.timeZone !== undefined && { timeZone: request.body.timeZone }),
              ...(request.body.businessHours !== undefined && { businessHours: JSON.stringify(request.body.businessHours) }),
              ...(request.body.autoAssign !== undefined && { autoAssign: request.body.autoAssign }),
            })
            .where('id', '=', teamId)
            .execute()
          await recordAudit(trx, {
            action: 'team.routing_updated',
            actor: actorOf(request),
            target: { type: 'team', id: teamId },
            details: { changed: Object.keys(request.body) },
          })
          // New hours move business-time deadlines, and the reports' local days and business times; turning
          // auto-assignment on empties the queue.
          if (request.body.timeZone !== undefined || request.body.businessHours !== undefined) {
            await enqueueInTx(trx, slaRecomputeTask, {}, { jobKey: slaRecomputeKey })
            await enqueueInTx(trx, reportsTeamResyncTask, { teamId }, { jobKey: reportsTeamResyncKey(teamId), queueName: reportsTeamResyncKey(teamId) })
          }
          if (request.body.autoAssign) await enqueueInTx(trx, assignTask, { teamId }, { jobKey: assignJobKey(teamId) })
        })
        const [updated] = await teamRouting(ctx.db, [teamId], ctx.clock.now())
        return updated as TeamRouting
      },
    })
    app.route({
      ...routeOptions(routingApi.agents),
      handler: async (request) => ({ items: await agents(ctx.db, visibleTeamIds(identityOf(request))) }),
    })
    app.route({
      ...routeOptions(routingApi.updateAgent),
      handler: async (request) => {
        const teams = visibleTeamIds(identityOf(request))
        const [agent] = await agents(ctx.db, teams, request.params.id)
        if (!agent) throw new AppError('not_found', 'No such teammate.')
        const { capacity, capacityByKind, languages, channelKinds } = request.body
        await ctx.db.transaction().execute(async (trx) => {
          await trx
            .updateTable('users')
            .set({
              ...(capacity !== undefined && { capacity }),
              ...(capacityByKind !== undefined && { capacityByKind: JSON.stringify(capacityByKind) }),
              ...(languages !== undefined && { skillLanguages: languages }),
              ...(channelKinds !== undefined && { skillChannelKinds: channelKinds }),
              updatedAt: ctx.clock.now(),
            })
            .where('id', '=', agent.id)
            .execute()
          await recordAudit(trx, { action: 'user.routing_updated', actor: actorOf(request), target: { type: 'user', id: agent.id }, details: request.body })
          // More room or other skills may let them take someone waiting.
          const autoTeams = await trx.selectFrom('teams').select('id').where('autoAssign', '=', true).where('id', 'in', idsOrNone(agent.teamIds)).execute()
          for (const team of autoTeams) await enqueueInTx(trx, assignTask, { teamId: team.id }, { jobKey: assignJobKey(team.id) })
        })
        const [updated] = await agents(ctx.db, null, agent.id)
        return updated as Agent
      },
    })
    app.route({
      ...routeOptions(routingApi.autoReplies),
      handler: async (request) => ({ items: await autoReplies(ctx.db, visibleTeamIds(identityOf(request))) }),
    })
    app.route({
      ...routeOptions(routingApi.updateAutoReply),
      handler: async (request) => {
        const teams = visibleTeamIds(identityOf(request))
        const [channel] = await autoReplies(ctx.db, teams, request.params.channelId)
        if (!channel) throw new AppError('not_found', 'No such channel.')
        const text = request.body.outOfHoursReply?.trim() || null
        await ctx.db.transaction().execute(async (trx) => {
          await trx.updateTable('channels').set({ outOfHoursReply: text, updatedAt: ctx.clock.now() }).where('id', '=', channel.channelId).execute()
          await recordAudit(trx, {
            action: 'channel.auto_reply_updated',
            actor: actorOf(request),
            target: { type: 'channel', id: channel.channelId },
            details: { enabled: text !== null },
          })
        })
        return { ...channel, outOfHoursReply: text }
      },
    })
    app.route({
      ...routeOptions(routingApi.setPresence),
      handler: async (request) => {
        const me = user(identityOf(request))
        await ctx.db
          .updateTable('users')
          .set({ awayByChoice: request.body.presence === 'away' })
          .where('id', '=', me.userId)
          .execute()
        const presence: Presence = (await refreshPresence(ctx, me.userId)) ?? 'offline'
        return { presence }
      },
    })
  }
}
