import { surveysApi, type SurveyLanguage } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { AppContext } from '../context.js'
import { routeOptions } from '../http/route.js'
import { answerFromPage } from './close-the-loop.js'
import { surveyLanguage } from './survey-offer.job.js'
import { surveyPageHtml, type PageState } from './survey-page.js'
import { surveyAnswerWindowMs } from './survey.task.js'

const statusOf: Record<PageState, number> = { form: 200, thanks: 200, answered: 409, expired: 410, unknown: 404 }

function send(reply: FastifyReply, state: PageState, language: SurveyLanguage, brand: string) {
  return (
    reply
      .code(statusOf[state])
      .header('content-type', 'text/html; charset=utf-8')
      // The page is ours alone: no script, no frames, the form posts only back here; the token stays out of referrers.
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(surveyPageHtml(state, language, brand))
  )
}

/**
 * The public survey page a public thread's customer opens from its link: no sign-in, the unguessable link is the
 * key, used once, refused after 7 days. A link that does not exist answers as one that never did, whatever was tried.
 */
export function surveyPageRoutes(ctx: AppContext) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8 * 1024 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)))
    })
    const find = (token: string) =>
      ctx.db
        .selectFrom('surveys as s')
        .innerJoin('conversations as c', 'c.id', 's.conversationId')
        .innerJoin('channels as ch', 'ch.id', 'c.channelId')
        .select(['s.status', 's.offeredAt', 's.language', 'ch.name as brand'])
        .where('s.linkToken', '=', token)
        .executeTakeFirst()
    app.route({
      ...routeOptions(surveysApi.page),
      handler: async (request, reply) => {
        const survey = await find(request.params.token)
        if (!survey?.offeredAt) return send(reply, 'unknown', 'en', 'Carebox')
        const language = surveyLanguage(survey.language)
        if (survey.status === 'answered') return send(reply, 'answered', language, survey.brand)
        if (ctx.clock.now().getTime() - survey.offeredAt.getTime() > surveyAnswerWindowMs) return send(reply, 'expired', language, survey.brand)
        return send(reply, 'form', language, survey.brand)
      },
    })
    app.route({
      ...routeOptions(surveysApi.answerPage),
      handler: async (request, reply) => {
        const survey = await find(request.params.token)
        if (!survey) return send(reply, 'unknown', 'en', 'Carebox')
        const language = surveyLanguage(survey.language)
        const comment = request.body.comment?.trim() || null
        const outcome = await ctx.db
          .transaction()
          .execute((trx) => answerFromPage(trx, request.params.token, { rating: Number(request.body.rating), comment }, ctx.clock.now()))
        return send(reply, outcome.ok ? 'thanks' : outcome.why, language, survey.brand)
      },
    })
  }
}
