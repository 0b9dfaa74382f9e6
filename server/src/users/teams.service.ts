import type { Team } from '@carebox/shared'
import type { FastifyRequest } from 'fastify'
import { recordAudit } from '../audit/audit.repository.js'
import { actorOf } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { AppError } from '../errors.js'
import { toTeam } from '../auth/users.repository.js'

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505'
}

export async function createTeam(ctx: AppContext, request: FastifyRequest, name: string): Promise<Team> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('teams')
      .values({ name: name.trim() })
      .returning(['id', 'name', 'createdAt'])
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? new AppError('conflict', 'A team with this name exists already.') : error
      })
    await recordAudit(trx, { action: 'team.created', actor: actorOf(request), target: { type: 'team', id: row.id }, details: { name: row.name } })
    return toTeam(row)
  })
}

export async function renameTeam(ctx: AppContext, request: FastifyRequest, id: string, name: string): Promise<Team> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('teams')
      .set({ name: name.trim() })
      .where('id', '=', id)
      .returning(['id', 'name', 'createdAt'])
      .executeTakeFirst()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? new AppError('conflict', 'A team with this name exists already.') : error
      })
    if (!row) throw new AppError('not_found', 'No such team.')
    await recordAudit(trx, { action: 'team.renamed', actor: actorOf(request), target: { type: 'team', id }, details: { name: row.name } })
    return toTeam(row)
  })
}
