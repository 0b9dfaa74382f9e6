import { rulesApi, timedTriggers, type AutomationRule } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import { recordAudit } from '../audit/audit.repository.js'
import { actorOf, identityOf, visibleTeamIds } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { routeOptions } from '../http/route.js'
import { enqueueInTx } from '../queue/queue.js'
import { slaRecomputeKey, slaRecomputeTask } from '../sla/sla-recompute.task.js'

const columns = ['id', 'teamId', 'position', 'name', 'enabled', 'trigger', 'afterMinutes', 'conditions', 'actions', 'updatedAt'] as const

type Row = Omit<AutomationRule, 'updatedAt'> & { updatedAt: Date }

function toRule(row: unknown): AutomationRule {
  const r = row as Row
  return { ...r, updatedAt: r.updatedAt.toISOString() }
}

/** Leads manage their teams' rules; rules for every team are an admin's. */
function assertMayManage(request: FastifyRequest, teamId: string | null): void {
  const teams = visibleTeamIds(identityOf(request))
  if (!teams) return
  if (teamId === null) throw new AppError('forbidden', 'Only an admin manages rules for every team.')
  if (!teams.includes(teamId)) throw new AppError('forbidden', 'You can only manage the rules of your teams.')
}

function assertConsistent(rule: { trigger: string; afterMinutes: number | null }): void {
  const timed = (timedTriggers as readonly string[]).includes(rule.trigger)
  if (timed && rule.afterMinutes === null) throw new AppError('validation_failed', 'Say after how long this rule acts.')
  if (!timed && rule.afterMinutes !== null) throw new AppError('validation_failed', 'Only waiting rules have a delay.')
}

async function findRule(db: Database, request: FastifyRequest, id: string): Promise<Row> {
  const row = await db.selectFrom('automationRules').select(columns).where('id', '=', id).executeTakeFirst()
  const teams = visibleTeamIds(identityOf(request))
  // Another team's rule is not found, as if it did not exist.
  if (!row || (teams && row.teamId !== null && !teams.includes(row.teamId))) throw new AppError('not_found', 'No such rule.')
  return row as unknown as Row
}

function missingTeam(error: unknown): never {
  if ((error as { code?: string }).code === '23503') throw new AppError('validation_failed', 'No such team.')
  throw error
}

/**
 * Waiting rules are timers on open conversations, and warnings exist only while a warning rule does: both are
 * rescheduled for every open conversation when such a rule changes.
 */
async function rescheduleIfTimed(trx: Database, trigger: string): Promise<void> {
  if ((timedTriggers as readonly string[]).includes(trigger) || trigger === 'sla.warning')
    await enqueueInTx(trx, slaRecomputeTask, {}, { jobKey: slaRecomputeKey })
}

export function rulesRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({
      ...routeOptions(rulesApi.list),
      handler: async (request) => {
        const teams = visibleTeamIds(identityOf(request))
        let query = ctx.db.selectFrom('automationRules').select(columns).orderBy('position').orderBy('createdAt')
        if (teams) query = query.where((eb) => eb.or([eb('teamId', 'is', null), ...(teams.length > 0 ? [eb('teamId', 'in', teams)] : [])]))
        return { items: (await query.execute()).map(toRule) }
      },
    })
    app.route({
      ...routeOptions(rulesApi.create),
      handler: async (request) => {
        const body = request.body
        assertMayManage(request, body.teamId)
        assertConsistent(body)
        return ctx.db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ next: number }>`select coalesce(max(position), 0) + 1 as next from automation_rules`.execute(trx)
          const row = await trx
            .insertInto('automationRules')
            .values({ ...body, conditions: JSON.stringify(body.conditions), actions: JSON.stringify(body.actions), position: rows[0]?.next ?? 1 })
            .returning(columns)
            .executeTakeFirstOrThrow()
            .catch(missingTeam)
          await recordAudit(trx, {
            action: 'rule.created',
            actor: actorOf(request),
            target: { type: 'rule', id: row.id },
            details: { name: body.name, trigger: body.trigger },
          })
          await rescheduleIfTimed(trx, body.trigger)
          return toRule(row)
        })
      },
    })
    app.route({
      ...routeOptions(rulesApi.update),
      handler: async (request) => {
        const current = await findRule(ctx.db, request, request.params.id)
        assertMayManage(request, current.teamId)
        const { conditions, actions, ...rest } = request.body
        if (rest.teamId !== undefined) assertMayManage(request, rest.teamId)
        assertConsistent({ trigger: rest.trigger ?? current.trigger, afterMinutes: rest.afterMinutes !== undefined ? rest.afterMinutes : current.afterMinutes })
        return ctx.db.transaction().execute(async (trx) => {
          const row = await trx
            .updateTable('automationRules')
            .set({
              ...rest,
              ...(conditions && { conditions: JSON.stringify(conditions) }),
              ...(actions && { actions: JSON.stringify(actions) }),
              updatedAt: ctx.clock.now(),
            })
            .where('id', '=', request.params.id)
            .returning(columns)
            .executeTakeFirstOrThrow()
            .catch(missingTeam)
          await recordAudit(trx, {
            action: 'rule.updated',
            actor: actorOf(request),
            target: { type: 'rule', id: row.id },
            details: { changed: Object.keys(request.body) },
          })
          await rescheduleIfTimed(trx, current.trigger)
          await rescheduleIfTimed(trx, row.trigger)
          return toRule(row)
        })
      },
    })
    app.route({
      ...routeOptions(rulesApi.remove),
      handler: async (request) => {
        const current = await findRule(ctx.db, request, request.params.id)
        assertMayManage(request, current.teamId)
        await ctx.db.transaction().execute(async (trx) => {
          await trx.deleteFrom('automationRules').where('id', '=', current.id).execute()
          await recordAudit(trx, { action: 'rule.deleted', actor: actorOf(request), target: { type: 'rule', id: current.id }, details: { name: current.name } })
          await rescheduleIfTimed(trx, current.trigger)
        })
        return { ok: true as const }
      },
    })
  }
}
