import { teamLimitableScopes, tokensApi, type ApiToken, type TokenScope } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { recordAudit } from '../audit/audit.repository.js'
import type { AppContext } from '../context.js'
import { AppError } from '../errors.js'
import { routeOptions } from '../http/route.js'
import { tokenPrefix } from './api-tokens.repository.js'
import { actorOf } from './identity.js'
import { hashSecret, randomSecret } from './secrets.js'

function toApiToken(row: {
  id: string
  name: string
  scopes: string[]
  teamIds: string[] | null
  prefix: string
  createdAt: Date
  lastUsedAt: Date | null
  revokedAt: Date | null
}): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as TokenScope[],
    teamIds: row.teamIds,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }
}

const columns = ['id', 'name', 'scopes', 'teamIds', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt'] as const

async function createToken(ctx: AppContext, request: FastifyRequest, input: { name: string; scopes: TokenScope[]; teamIds?: string[] | null }) {
  const secret = `${tokenPrefix}${randomSecret()}`
  const teamIds = input.teamIds ?? null
  return ctx.db.transaction().execute(async (trx) => {
    const unlimitable = input.scopes.filter((scope) => !teamLimitableScopes.includes(scope))
    if (teamIds && unlimitable.length > 0) {
      throw new AppError('validation_failed', `A token limited to teams cannot have ${unlimitable.join(', ')}: those reach every team.`)
    }
    if (teamIds) {
      const known = await trx.selectFrom('teams').select('id').where('id', 'in', teamIds).execute()
      if (known.length !== teamIds.length) throw new AppError('validation_failed', 'Some of the chosen teams do not exist.')
    }
    const actor = actorOf(request)
    const row = await trx
      .insertInto('apiTokens')
      .values({ name: input.name.trim(), scopes: input.scopes, teamIds, tokenHash: hashSecret(secret), prefix: secret.slice(0, 10), createdBy: actor.userId })
      .returning(columns)
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      action: 'token.created',
      actor,
      target: { type: 'token', id: row.id },
      details: { name: row.name, scopes: input.scopes, teamIds },
    })
    return { token: toApiToken(row), secret }
  })
}

async function revokeToken(ctx: AppContext, request: FastifyRequest, id: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('apiTokens')
      .set({ revokedAt: ctx.clock.now() })
      .where('id', '=', id)
      .where('revokedAt', 'is', null)
      .returning(columns)
      .executeTakeFirst()
    if (!row) throw new AppError('not_found', 'No such active token.')
    await recordAudit(trx, { action: 'token.revoked', actor: actorOf(request), target: { type: 'token', id }, details: { name: row.name } })
    return toApiToken(row)
  })
}

export function apiTokensRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({
      ...routeOptions(tokensApi.list),
      handler: async () => ({ items: (await ctx.db.selectFrom('apiTokens').select(columns).orderBy('createdAt', 'desc').execute()).map(toApiToken) }),
    })
    app.route({ ...routeOptions(tokensApi.create), handler: async (request) => createToken(ctx, request, request.body) })
    app.route({ ...routeOptions(tokensApi.revoke), handler: async (request) => revokeToken(ctx, request, request.params.id) })
  }
}
