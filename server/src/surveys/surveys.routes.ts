import { surveysApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { actorOf, identityOf } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { reportScope } from '../reports/report-scope.js'
import { satisfactionReport } from './satisfaction-report.js'
import { conversationSurveys, teamSurveySettings, updateTeamSurveySettings } from './surveys.service.js'

export function surveysRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({
      ...routeOptions(surveysApi.report),
      handler: async (request) => satisfactionReport(ctx.db, await reportScope(ctx.db, identityOf(request), request.query, ctx.clock.now())),
    })
    app.route({ ...routeOptions(surveysApi.settings), handler: async (request) => teamSurveySettings(ctx, identityOf(request), request.params.id) })
    app.route({
      ...routeOptions(surveysApi.updateSettings),
      handler: async (request) => updateTeamSurveySettings(ctx, identityOf(request), actorOf(request), request.params.id, request.body),
    })
    app.route({
      ...routeOptions(surveysApi.ofConversation),
      handler: async (request) => conversationSurveys(ctx, identityOf(request), request.params.id),
    })
  }
}
