import {
  channelKindNames,
  defaultSurveyTexts,
  replyWindow,
  surveyChoiceId,
  surveyLanguages,
  surveyPagePath,
  type ChannelKind,
  type SurveyLanguage,
  type SurveySettings,
  type SurveyTexts,
} from '@carebox/shared'
import { randomBytes } from 'node:crypto'
import { recordMessageChanges } from '../changes/changes.repository.js'
import { publicBaseUrl } from '../config.js'
import type { OutboundChoices } from '../channels/connector.js'
import { insertEvent, insertQueuedReply } from '../conversations/messages.repository.js'
import type { Database } from '../db/client.js'
import { replyQueue, sendReplyTask } from '../outbox/send-reply.task.js'
import { enqueueInTx } from '../queue/queue.js'
import { defineHandler } from '../queue/tasks.js'
import { loadSurveySettings } from './survey-settings.repository.js'
import { findSurveyToOffer, lastHumanReplier } from './surveys.repository.js'
import { offerSurveyTask } from './survey.task.js'

const surveyActor = { type: 'system', id: 'surveys' } as const

type SurveyToOffer = NonNullable<Awaited<ReturnType<typeof findSurveyToOffer>>>

/** Why the survey cannot go now, in words for the thread; null when it may. */
function whyNotOffered(survey: SurveyToOffer, settings: SurveySettings, now: Date, publicUrlSet: boolean): string | null {
  if (survey.conversationStatus !== 'resolved') return 'The conversation was reopened before the survey was due.'
  // Reopened and resolved again meanwhile: that later resolve has a survey of its own; this cycle's is past.
  if (survey.conversationResolvedAt?.getTime() !== survey.resolvedAt.getTime()) return 'The conversation was reopened before the survey was due.'
  if (!settings.enabled) return 'Satisfaction surveys are turned off for this team.'
  if (settings.disabledChannelIds.includes(survey.channelId)) return `Satisfaction surveys are turned off for ${survey.channelName}.`
  if (!survey.channelEnabled) return `${survey.channelName} is disabled.`
  const kind = survey.channelKind as ChannelKind
  if (isPublicSurvey(survey)) {
    // A link to Carebox's survey page, where the team allows it: the rating itself is not public.
    if (!settings.publicLink) return 'Public threads get no survey unless the team sends a link to the survey page.'
    // A link to http://localhost would reach no customer.
    return publicUrlSet ? null : 'Carebox has no public address (CAREBOX_PUBLIC_URL) for the survey page.'
  }
  const window = replyWindow(kind, 'dm', survey.lastInboundAt?.toISOString() ?? null, now)
  // The human-agent tag is for a person's replies only: a survey outside the 24-hour window is not allowed.
  if (window.state !== 'open') return `${channelKindNames[kind]} no longer allows a message to this customer: the 24-hour window has closed.`
  return null
}

/** Everyone can read a public thread, and Mastodon and Bluesky conversations: there a survey is a link to a page. */
function isPublicSurvey(survey: SurveyToOffer): boolean {
  return survey.conversationKind === 'public' || survey.channelKind === 'mastodon' || survey.channelKind === 'bluesky'
}

/** The reply that carries a public thread's survey link, before the link. */
const linkInvitations: Record<SurveyLanguage, string> = {
  en: 'How did we do? Rate us in two taps (private, no sign-in):',
  es: '¿Qué tal lo hicimos? Valóranos en dos toques (privado, sin registrarte):',
  zh: '我们的服务怎么样？两下即可评分（私密，无需登录）：',
  ru: 'Как мы справились? Оцените нас в два касания (анонимно, без входа):',
  cs: 'Jak jsme si vedli? Ohodnoťte nás dvěma klepnutími (soukromě, bez přihlášení):',
  ja: '対応はいかがでしたか？2タップで評価できます（非公開・ログイン不要）：',
}

export function surveyLanguage(language: string | null): SurveyLanguage {
  return surveyLanguages.find((l) => l === language) ?? 'en'
}

export function surveyTexts(settings: SurveySettings, language: SurveyLanguage): SurveyTexts {
  return settings.texts[language] ?? defaultSurveyTexts[language]
}

/**
 * At its time, a survey goes out as an automated message with the platform's answer buttons (through the outbox,
 * like any reply), or is recorded as not offered with the reason, shown in the thread.
 */
export const offerSurveyHandler = defineHandler(offerSurveyTask, async (ctx, { surveyId }) => {
  const now = ctx.clock.now()
  await ctx.db.transaction().execute(async (trx) => {
    // Locked: a second run of the job (or a crash and retry) finds it offered already.
    const locked = await trx.selectFrom('surveys').select('status').where('id', '=', surveyId).forUpdate().executeTakeFirst()
    if (locked?.status !== 'scheduled') return
    const survey = await findSurveyToOffer(trx, surveyId)
    if (!survey) return
    const settings = await loadSurveySettings(trx, survey.teamId)
    const reason = whyNotOffered(survey, settings, now, ctx.config.publicUrl !== undefined)
    if (reason) return notOffered(trx, survey, reason, now)

    const language = surveyLanguage(survey.language)
    const texts = surveyTexts(settings, language)
    const linkToken = isPublicSurvey(survey) ? randomBytes(18).toString('base64url') : null
    const choices: OutboundChoices = {
      buttonLabel: texts.button,
      options: texts.options.map((title, i) => ({ id: surveyChoiceId(survey.token, i + 1), title })),
    }
    const messageId = await insertQueuedReply(trx, {
      conversationId: survey.conversationId,
      channelId: survey.channelId,
      text: linkToken ? `${linkInvitations[language]} ${publicBaseUrl(ctx)}${surveyPagePath(linkToken)}` : texts.question,
      authorUserId: null,
      automated: true,
      replyContext: linkToken ? { survey: survey.id } : { survey: survey.id, choices: JSON.stringify(choices) },
      at: now,
    })
    if (!messageId) return
    await enqueueInTx(trx, sendReplyTask, { messageId, attempt: 1 }, { queueName: replyQueue(survey.conversationId) })
    await trx
      .updateTable('surveys')
      .set({
        status: 'offered',
        offeredAt: now,
        messageId,
        language,
        linkToken,
        agentId: await lastHumanReplier(trx, survey.conversationId, survey.resolvedAt),
      })
      .where('id', '=', survey.id)
      .execute()
    await recordMessageChanges(trx, 'message.created', [messageId], surveyActor)
  })
})

async function notOffered(trx: Database, survey: SurveyToOffer, reason: string, now: Date): Promise<void> {
  await trx.updateTable('surveys').set({ status: 'not_offered', reason }).where('id', '=', survey.id).execute()
  // A reopen before the time speaks for itself: the thread needs no note about a survey that was never due.
  if (survey.conversationStatus !== 'resolved') return
  const eventId = await insertEvent(trx, {
    conversationId: survey.conversationId,
    channelId: survey.channelId,
    text: `No satisfaction survey: ${reason}`,
    at: now,
  })
  await recordMessageChanges(trx, 'message.created', [eventId], surveyActor)
}
