import { cannedRepliesApi, type CannedReply } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { recordAudit } from '../audit/audit.repository.js'
import { actorOf, identityOf, visibleTeamIds } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { routeOptions } from '../http/route.js'

const columns = ['id', 'teamId', 'shortcut', 'title', 'body', 'updatedAt'] as const

function toCannedReply(row: { id: string; teamId: string | null; shortcut: string; title: string; body: string; updatedAt: Date }): CannedReply {
  return { ...row, updatedAt: row.updatedAt.toISOString() }
}

/** A lead manages the canned replies of their teams (and everyone's); an admin manages all. */
function assertMayManage(request: FastifyRequest, teamId: string | null): void {
  const teams = visibleTeamIds(identityOf(request))
  if (teams && teamId !== null && !teams.includes(teamId)) throw new AppError('forbidden', 'You can only manage the canned replies of your teams.')
}

function conflictOnDuplicate(error: unknown): never {
  if ((error as { code?: string }).code === '23505') throw new AppError('conflict', 'Another canned reply has this shortcut.')
  if ((error as { code?: string }).code === '23503') throw new AppError('validation_failed', 'No such team.')
  throw error
}

async function findOwned(db: Database, request: FastifyRequest, id: string) {
  const row = await db.selectFrom('cannedReplies').select(columns).where('id', '=', id).executeTakeFirst()
  const teams = visibleTeamIds(identityOf(request))
  // Another team's reply is not found, as if it did not exist.
  if (!row || (teams && row.teamId !== null && !teams.includes(row.teamId))) throw new AppError('not_found', 'No such canned reply.')
  return row
}

export function cannedRepliesRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({
      ...routeOptions(cannedRepliesApi.list),
      handler: async (request) => {
        const teams = visibleTeamIds(identityOf(request))
        let query = ctx.db.selectFrom('cannedReplies').select(columns).orderBy('shortcut')
        if (teams) query = query.where((eb) => eb.or([eb('teamId', 'is', null), ...(teams.length > 0 ? [eb('teamId', 'in', teams)] : [])]))
        return { items: (await query.execute()).map(toCannedReply) }
      },
    })
    app.route({
      ...routeOptions(cannedRepliesApi.create),
      handler: async (request) => {
        assertMayManage(request, request.body.teamId)
        const actor = actorOf(request)
        return ctx.db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('cannedReplies')
            .values({ ...request.body, createdBy: actor.userId })
            .returning(columns)
            .executeTakeFirstOrThrow()
            .catch(conflictOnDuplicate)
          await recordAudit(trx, { action: 'canned_reply.created', actor, target: { type: 'canned_reply', id: row.id }, details: { shortcut: row.shortcut } })
          return toCannedReply(row)
        })
      },
    })
    app.route({
      ...routeOptions(cannedRepliesApi.update),
      handler: async (request) => {
        await findOwned(ctx.db, request, request.params.id)
        if (request.body.teamId !== undefined) assertMayManage(request, request.body.teamId)
        return ctx.db.transaction().execute(async (trx) => {
          const row = await trx
            .updateTable('cannedReplies')
            .set({ ...request.body, updatedAt: ctx.clock.now() })
            .where('id', '=', request.params.id)
            .returning(columns)
            .executeTakeFirstOrThrow()
            .catch(conflictOnDuplicate)
          await recordAudit(trx, {
            action: 'canned_reply.updated',
            actor: actorOf(request),
            target: { type: 'canned_reply', id: row.id },
            details: { changed: Object.keys(request.body) },
          })
          return toCannedReply(row)
        })
      },
    })
    app.route({
      ...routeOptions(cannedRepliesApi.remove),
      handler: async (request) => {
        const row = await findOwned(ctx.db, request, request.params.id)
        await ctx.db.transaction().execute(async (trx) => {
          await trx.deleteFrom('cannedReplies').where('id', '=', row.id).execute()
          await recordAudit(trx, {
            action: 'canned_reply.deleted',
            actor: actorOf(request),
            target: { type: 'canned_reply', id: row.id },
            details: { shortcut: row.shortcut },
          })
        })
        return { ok: true as const }
      },
    })
  }
}
