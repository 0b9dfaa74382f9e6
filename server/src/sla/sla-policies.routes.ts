import { slaPoliciesApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { recordAudit } from '../audit/audit.repository.js'
import { actorOf, identityOf } from '../auth/identity.js'
import { assertConversationVisible } from '../auth/scope.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { routeOptions } from '../http/route.js'
import { enqueueInTx } from '../queue/queue.js'
import { listPolicies, listSlaTargets, toSlaPolicy } from './sla-policies.repository.js'
import { slaRecomputeKey, slaRecomputeTask } from './sla-recompute.task.js'

/** Open conversations' deadlines follow the policies as edited: recomputed by a job committed with the edit. */
async function recomputeLater(trx: Database): Promise<void> {
  await enqueueInTx(trx, slaRecomputeTask, {}, { jobKey: slaRecomputeKey })
}

async function findPolicy(db: Database, id: string) {
  const policy = (await listPolicies(db)).find((p) => p.id === id)
  if (!policy) throw new AppError('not_found', 'No such SLA policy.')
  return policy
}

/** A target list with no target at all is a policy that promises nothing: almost certainly a mistake. */
function assertPromisesSomething(targets: object): void {
  const any = Object.values(targets).some((goals) => goals && Object.keys(goals as object).length > 0)
  if (!any) throw new AppError('validation_failed', 'Set at least one target (first response, next response or resolution) for some priority.')
}

export function slaPoliciesRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({ ...routeOptions(slaPoliciesApi.list), handler: async () => ({ items: (await listPolicies(ctx.db)).map(toSlaPolicy) }) })
    app.route({
      ...routeOptions(slaPoliciesApi.create),
      handler: async (request) => {
        assertPromisesSomething(request.body.targets)
        return ctx.db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ next: number }>`select coalesce(max(position), 0) + 1 as next from sla_policies`.execute(trx)
          const row = await trx
            .insertInto('slaPolicies')
            .values({
              ...request.body,
              conditions: JSON.stringify(request.body.conditions),
              targets: JSON.stringify(request.body.targets),
              position: rows[0]?.next ?? 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
          await recordAudit(trx, {
            action: 'sla_policy.created',
            actor: actorOf(request),
            target: { type: 'sla_policy', id: row.id },
            details: { name: request.body.name },
          })
          await recomputeLater(trx)
          return toSlaPolicy(await findPolicy(trx, row.id))
        })
      },
    })
    app.route({
      ...routeOptions(slaPoliciesApi.update),
      handler: async (request) => {
        const { conditions, targets, ...rest } = request.body
        if (targets) assertPromisesSomething(targets)
        return ctx.db.transaction().execute(async (trx) => {
          await findPolicy(trx, request.params.id)
          await trx
            .updateTable('slaPolicies')
            .set({
              ...rest,
              ...(conditions && { conditions: JSON.stringify(conditions) }),
              ...(targets && { targets: JSON.stringify(targets) }),
              updatedAt: ctx.clock.now(),
            })
            .where('id', '=', request.params.id)
            .execute()
          await recordAudit(trx, {
            action: 'sla_policy.updated',
            actor: actorOf(request),
            target: { type: 'sla_policy', id: request.params.id },
            details: { changed: Object.keys(request.body) },
          })
          await recomputeLater(trx)
          return toSlaPolicy(await findPolicy(trx, request.params.id))
        })
      },
    })
    app.route({
      ...routeOptions(slaPoliciesApi.reorder),
      handler: async (request) => {
        return ctx.db.transaction().execute(async (trx) => {
          await sql`lock table sla_policies in share row exclusive mode`.execute(trx)
          const current = await listPolicies(trx)
          const ids = request.body.ids
          if (ids.length !== current.length || !current.every((p) => ids.includes(p.id))) {
            throw new AppError('validation_failed', 'List every SLA policy exactly once.')
          }
          for (const [index, id] of ids.entries())
            await trx
              .updateTable('slaPolicies')
              .set({ position: index + 1 })
              .where('id', '=', id)
              .execute()
          await recordAudit(trx, { action: 'sla_policy.reordered', actor: actorOf(request), details: { ids } })
          await recomputeLater(trx)
          return { items: (await listPolicies(trx)).map(toSlaPolicy) }
        })
      },
    })
    app.route({
      ...routeOptions(slaPoliciesApi.remove),
      handler: async (request) => {
        return ctx.db.transaction().execute(async (trx) => {
          const policy = await findPolicy(trx, request.params.id)
          await trx.deleteFrom('slaPolicies').where('id', '=', policy.id).execute()
          await recordAudit(trx, {
            action: 'sla_policy.deleted',
            actor: actorOf(request),
            target: { type: 'sla_policy', id: policy.id },
            details: { name: policy.name },
          })
          await recomputeLater(trx)
          return { ok: true as const }
        })
      },
    })
    app.route({
      ...routeOptions(slaPoliciesApi.targets),
      handler: async (request) => {
        await assertConversationVisible(ctx.db, identityOf(request), request.params.id)
        return { items: await listSlaTargets(ctx.db, request.params.id) }
      },
    })
  }
}
