import { teamsApi, usersApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { identityOf, visibleTeamIds } from '../auth/identity.js'
import { AppError } from '../errors.js'
import { listTeams, teamMembers } from '../auth/users.repository.js'
import { createTeam, renameTeam } from './teams.service.js'
import { inviteUser, issuePasswordReset, listUsersAndInvites, revokeInvite, setUserActive, updateUser } from './users.service.js'

export function usersRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({ ...routeOptions(usersApi.list), handler: async () => listUsersAndInvites(ctx) })
    app.route({ ...routeOptions(usersApi.invite), handler: async (request) => inviteUser(ctx, request, request.body) })
    app.route({ ...routeOptions(usersApi.revokeInvite), handler: async (request) => revokeInvite(ctx, request, request.params.id) })
    app.route({ ...routeOptions(usersApi.update), handler: async (request) => updateUser(ctx, request, request.params.id, request.body) })
    app.route({ ...routeOptions(usersApi.deactivate), handler: async (request) => setUserActive(ctx, request, request.params.id, false) })
    app.route({ ...routeOptions(usersApi.reactivate), handler: async (request) => setUserActive(ctx, request, request.params.id, true) })
    app.route({ ...routeOptions(usersApi.resetPassword), handler: async (request) => issuePasswordReset(ctx, request, request.params.id) })

    app.route({ ...routeOptions(teamsApi.list), handler: async (request) => ({ items: await listTeams(ctx.db, visibleTeamIds(identityOf(request))) }) })
    app.route({
      ...routeOptions(teamsApi.directory),
      handler: async () => ({ items: (await listTeams(ctx.db, null)).map((team) => ({ id: team.id, name: team.name })) }),
    })
    app.route({
      ...routeOptions(teamsApi.members),
      handler: async (request) => {
        const teams = visibleTeamIds(identityOf(request))
        if (teams && !teams.includes(request.params.id)) throw new AppError('not_found', 'No such team.')
        return { items: await teamMembers(ctx.db, request.params.id) }
      },
    })
    app.route({ ...routeOptions(teamsApi.create), handler: async (request) => createTeam(ctx, request, request.body.name) })
    app.route({ ...routeOptions(teamsApi.update), handler: async (request) => renameTeam(ctx, request, request.params.id, request.body.name) })
  }
}
