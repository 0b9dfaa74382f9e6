import { Readable } from 'node:stream'
import { reportsApi } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { recordAudit } from '../audit/audit.repository.js'
import { actorOf, identityOf } from '../auth/identity.js'
import { assertConversationVisible } from '../auth/scope.js'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { exportCyclesCsv } from './export-csv.js'
import { reportScope } from './report-scope.js'
import { conversationTranscript, findTranscriptSubject } from './transcript.js'

/**
 * Both answers are streamed: Fastify pipes a stream as is, past the response schema (the contracts type the body
 * as a string for the API docs only), with no content-length, so it goes out chunked as each page is read.
 * Everything that can refuse (access, scope, not found) runs before the first byte, so it still answers an error.
 * A byte stream (not object mode) holds back at most one page while the client is slow. A HEAD gets the same
 * checks and headers but no body: no rows are read and no export is logged for it.
 */
export function exportRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.route({
      ...routeOptions(reportsApi.exportCsv),
      handler: async (request, reply) => {
        const scope = await reportScope(ctx.db, identityOf(request), request.query, ctx.clock.now())
        const { firstDay, lastDay } = scope.period.info
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="carebox-conversations-${firstDay}-${lastDay}.csv"`)
          .header('cache-control', 'no-store')
        if (request.method === 'HEAD') return reply.send('')
        // The rows leave Carebox: who took which slice is worth keeping.
        await recordAudit(ctx.db, {
          action: 'report.exported',
          actor: actorOf(request),
          details: { format: 'csv', period: scope.period.info, teamIds: scope.teamIds, channelId: scope.channelId, agentId: scope.agentId, tag: scope.tag },
        })
        return reply.send(Readable.from(exportCyclesCsv(ctx.db, scope), { objectMode: false }) as unknown as string)
      },
    })

    app.route({
      ...routeOptions(reportsApi.transcript),
      handler: async (request, reply) => {
        const { id } = request.params
        await assertConversationVisible(ctx.db, identityOf(request), id)
        const subject = await findTranscriptSubject(ctx.db, id)
        const exportedAt = ctx.clock.now()
        reply
          .type('text/plain; charset=utf-8')
          .header('content-disposition', `attachment; filename="conversation-${id}.txt"`)
          .header('cache-control', 'no-store')
        if (request.method === 'HEAD') return reply.send('')
        // A transcript leaves the system (to records, to the customer): the audit log says who took it, and when.
        await recordAudit(ctx.db, {
          action: 'conversation.transcript_exported',
          actor: actorOf(request),
          target: { type: 'conversation', id },
          details: { exportedAt: exportedAt.toISOString() },
        })
        return reply.send(Readable.from(conversationTranscript(ctx.db, subject, exportedAt), { objectMode: false }) as unknown as string)
      },
    })
  }
}
