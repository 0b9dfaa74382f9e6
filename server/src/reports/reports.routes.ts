import { attributionApi, reportsApi, type SurgeAlert } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { recordAudit } from '../audit/audit.repository.js'
import { actorOf, identityOf } from '../auth/identity.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { costReport } from './report-cost.js'
import { attributionReport } from './attribution-report.js'
import { agentReport, reportSummary } from './report-queries.js'
import { reportScope } from './report-scope.js'
import { loadReportSettings, saveReportSettings } from './report-settings.repository.js'
import { recentSurges } from './surges.repository.js'
import { wallboard } from './wallboard.js'

export function reportsRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.route({
      ...routeOptions(reportsApi.summary),
      handler: async (request) => reportSummary(ctx.db, await reportScope(ctx.db, identityOf(request), request.query, ctx.clock.now())),
    })
    app.route({
      ...routeOptions(reportsApi.agents),
      handler: async (request) => agentReport(ctx.db, await reportScope(ctx.db, identityOf(request), request.query, ctx.clock.now())),
    })
    app.route({
      ...routeOptions(attributionApi.report),
      handler: async (request) => attributionReport(ctx.db, await reportScope(ctx.db, identityOf(request), request.query, ctx.clock.now())),
    })
    app.route({
      ...routeOptions(reportsApi.cost),
      handler: async (request) => {
        const scope = await reportScope(ctx.db, identityOf(request), request.query, ctx.clock.now())
        return costReport(ctx.db, scope, (await loadReportSettings(ctx.db)).cost)
      },
    })
    app.route({
      ...routeOptions(reportsApi.wallboard),
      handler: async (request) => {
        const scope = await reportScope(
          ctx.db,
          identityOf(request),
          { period: 'today', ...(request.query.teamId && { teamId: request.query.teamId }) },
          ctx.clock.now(),
        )
        return wallboard(ctx.db, scope.teamIds, scope.period.info.timeZone, ctx.clock.now())
      },
    })
    app.route({
      ...routeOptions(reportsApi.surges),
      handler: async (request): Promise<{ items: SurgeAlert[] }> => {
        const scope = await reportScope(
          ctx.db,
          identityOf(request),
          { period: 'today', ...(request.query.teamId && { teamId: request.query.teamId }) },
          ctx.clock.now(),
        )
        return { items: await recentSurges(ctx.db, scope.teamIds, ctx.clock.now()) }
      },
    })
    app.route({
      ...routeOptions(reportsApi.settings),
      handler: async () => loadReportSettings(ctx.db),
    })
    app.route({
      ...routeOptions(reportsApi.updateSettings),
      handler: async (request) => {
        await ctx.db.transaction().execute(async (trx) => {
          await saveReportSettings(trx, request.body, ctx.clock.now())
          await recordAudit(trx, { action: 'reports.settings_updated', actor: actorOf(request), details: request.body })
        })
        return loadReportSettings(ctx.db)
      },
    })
  }
}
