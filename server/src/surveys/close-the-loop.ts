import { parseSurveyChoice, type Notification } from '@carebox/shared'
import { sql } from 'kysely'
import { recordMessageChanges, recordNotifications } from '../changes/changes.repository.js'
import { insertEvent, insertQueuedReply } from '../conversations/messages.repository.js'
import type { Database } from '../db/client.js'
import { replyQueue, sendReplyTask } from '../outbox/send-reply.task.js'
import { enqueueInTx } from '../queue/queue.js'
import { ratingFromText } from './rating-text.js'
import { loadSurveySettings } from './survey-settings.repository.js'
import { surveyLanguage, surveyTexts } from './survey-offer.job.js'
import { surveyAnswerWindowMs, surveyCommentWindowMs } from './survey.task.js'
import { findSurveyByToken, latestSurvey, type SurveyRow } from './surveys.repository.js'

/**
 * A customer's message that answers rather than asks: it stays in the thread, but reopens nothing, starts no SLA
 * clock and gets no automatic reply.
 * - rating: a survey's answer, tapped or typed. `survey` null: a tap that does not count (expired, answered
 *   already, another conversation's), with `note` saying why.
 * - comment: the answer to the "why?" asked after a rating.
 * - thanks: a short positive message with no question, after a resolve (the team may turn this off).
 */
export type LoopClosing =
  | { kind: 'rating'; survey: SurveyRow; rating: number }
  | { kind: 'rating'; survey: null; note: string }
  | { kind: 'comment'; survey: SurveyRow }
  | { kind: 'thanks' }

export interface ResolvedConversation {
  id: string
  status: string
  teamId: string
}

/** Longer than this, a "thanks" is more than thanks: it reopens, as any message does. */
const thanksMaxLength = 160

/**
 * Whether the customer's message closes the loop. `sentiment` is the message's label (the offline model's), which
 * tells praise from a complaint that happens to say "thanks".
 */
export async function loopClosedBy(
  db: Database,
  conversation: ResolvedConversation,
  message: { text: string; choice?: string; sentAt: Date; sentiment: string | null },
): Promise<LoopClosing | null> {
  const tapped = message.choice ? parseSurveyChoice(message.choice) : null
  if (tapped) {
    const survey = await findSurveyByToken(db, tapped.token)
    if (!survey || survey.conversationId !== conversation.id)
      return { kind: 'rating', survey: null, note: 'This rating answers no survey of this conversation: not counted.' }
    if (survey.status === 'answered') return { kind: 'rating', survey: null, note: 'The survey was answered already: the first answer counts.' }
    if (survey.status !== 'offered' || !survey.offeredAt) return { kind: 'rating', survey: null, note: 'This survey was never offered: not counted.' }
    if (message.sentAt.getTime() - survey.offeredAt.getTime() > surveyAnswerWindowMs)
      return { kind: 'rating', survey: null, note: 'This rating came more than 7 days after the survey: not counted.' }
    return { kind: 'rating', survey, rating: tapped.rating }
  }
  if (conversation.status !== 'resolved') return null
  const survey = await latestSurvey(db, conversation.id)
  if (survey?.status === 'offered' && survey.offeredAt && message.sentAt.getTime() - survey.offeredAt.getTime() <= surveyAnswerWindowMs) {
    const rating = ratingFromText(message.text)
    if (rating !== null) return { kind: 'rating', survey, rating }
  }
  const settings = await loadSurveySettings(db, conversation.teamId)
  if (
    survey?.status === 'answered' &&
    survey.comment === null &&
    settings.askWhy &&
    survey.answeredAt &&
    message.sentAt.getTime() - survey.answeredAt.getTime() <= surveyCommentWindowMs &&
    message.text.trim() !== '' &&
    // A question is a new request, not the reason for a rating.
    !/[?？¿]/.test(message.text) &&
    (await whyWasAsked(db, survey))
  ) {
    return { kind: 'comment', survey }
  }
  if (settings.keepThanksResolved && isShortThanks(message.text, message.sentiment)) return { kind: 'thanks' }
  return null
}

/** Carebox asked this survey's "why?" in the thread (not a page answer, where the page took the comment). */
async function whyWasAsked(db: Database, survey: SurveyRow): Promise<boolean> {
  const asked = await db
    .selectFrom('messages')
    .select('id')
    .where('conversationId', '=', survey.conversationId)
    .where('automated', '=', true)
    .where(sql<boolean>`reply_context->>'survey' = ${survey.id} and reply_context->>'choices' is null`)
    .limit(1)
    .executeTakeFirst()
  return asked !== undefined
}

/** Positive, short, and asking nothing: "Got it, thank you so much!", "¡Perfecto, gracias!", "谢谢！". */
export function isShortThanks(text: string, sentiment: string | null): boolean {
  const trimmed = text.trim()
  return sentiment === 'positive' && trimmed !== '' && trimmed.length <= thanksMaxLength && !/[?？¿]/.test(trimmed)
}

const surveysActor = { type: 'system', id: 'surveys' } as const

/**
 * Records what the closing message did, in the ingest transaction that stored it: the rating or the comment on
 * the survey, a note in the thread where a rating did not count, the leads told of a low rating, and the "why?"
 * asked once.
 */
export async function applyLoopClosing(
  trx: Database,
  loop: LoopClosing,
  message: { id: string; text: string; sentAt: Date },
  conversation: ResolvedConversation & { channelId: string },
  now: Date,
): Promise<void> {
  if (loop.kind === 'thanks') return
  if (loop.kind === 'comment') {
    await trx
      .updateTable('surveys')
      .set({ comment: message.text.trim().slice(0, 2000) })
      .where('id', '=', loop.survey.id)
      .execute()
    return
  }
  if (loop.survey === null) {
    const eventId = await insertEvent(trx, { conversationId: conversation.id, channelId: conversation.channelId, text: loop.note, at: now })
    await recordMessageChanges(trx, 'message.created', [eventId], surveysActor)
    return
  }
  const answered = await trx
    .updateTable('surveys')
    .set({ status: 'answered', rating: loop.rating, answeredAt: message.sentAt })
    .where('id', '=', loop.survey.id)
    .where('status', '=', 'offered')
    .returning('id')
    .executeTakeFirst()
  if (!answered) return
  const low = loop.rating <= 2
  const settings = await loadSurveySettings(trx, conversation.teamId)
  const eventId = await insertEvent(trx, {
    conversationId: conversation.id,
    channelId: conversation.channelId,
    text: ratedText(loop.rating, settings.agentsSeeRatings),
    at: now,
  })
  const created = [eventId]
  if (low) await notifyLeads(trx, conversation, loop.rating, message.text)
  if (settings.askWhy) {
    const texts = surveyTexts(settings, surveyLanguage(loop.survey.language))
    const whyId = await insertQueuedReply(trx, {
      conversationId: conversation.id,
      channelId: conversation.channelId,
      text: texts.why,
      authorUserId: null,
      automated: true,
      replyContext: { survey: loop.survey.id },
      at: new Date(now.getTime() + 1),
    })
    if (whyId) {
      await enqueueInTx(trx, sendReplyTask, { messageId: whyId, attempt: 1 }, { queueName: replyQueue(conversation.id) })
      created.push(whyId)
    }
  }
  await recordMessageChanges(trx, 'message.created', created, surveysActor)
}

/** The thread's note of a rating: without the figure where the team keeps ratings to its leads (the thread is the agents' too). */
function ratedText(rating: number, agentsSeeRatings: boolean, where = ''): string {
  if (!agentsSeeRatings) return `The customer answered the satisfaction survey${where} (ratings are shown to team leads).`
  return `The customer rated the conversation ${rating} out of 5${where}${rating <= 2 ? ': the team leads were told' : ''}.`
}

async function notifyLeads(trx: Database, conversation: ResolvedConversation, rating: number, text: string): Promise<void> {
  const leads = await trx
    .selectFrom('teamMembers as tm')
    .innerJoin('users as u', 'u.id', 'tm.userId')
    .select('u.id')
    .where('tm.teamId', '=', conversation.teamId)
    .where('u.role', 'in', ['lead', 'admin'])
    .where('u.active', '=', true)
    .execute()
  const notification: Notification = {
    kind: 'low_rating',
    conversationId: conversation.id,
    by: null,
    preview: `Rated ${rating} out of 5: ${text}`.slice(0, 140),
  }
  await recordNotifications(
    trx,
    leads.map((lead) => ({ userId: lead.id, notification })),
  )
}

/**
 * An answer from the public survey page: the rating (and comment) recorded once, within 7 days of the offer, with
 * the same consequences as a rating in a chat (the thread says so, a 1 or 2 tells the leads). Answers why not when it
 * is refused.
 */
export async function answerFromPage(
  trx: Database,
  linkToken: string,
  answer: { rating: number; comment: string | null },
  now: Date,
): Promise<{ ok: true } | { ok: false; why: 'unknown' | 'answered' | 'expired' }> {
  const survey = await trx
    .selectFrom('surveys as s')
    .innerJoin('conversations as c', 'c.id', 's.conversationId')
    .select(['s.id', 's.status', 's.offeredAt', 's.conversationId', 'c.status as conversationStatus', 'c.teamId', 'c.channelId'])
    .where('s.linkToken', '=', linkToken)
    .forUpdate()
    .executeTakeFirst()
  if (!survey || !survey.offeredAt) return { ok: false, why: 'unknown' }
  if (survey.status === 'answered') return { ok: false, why: 'answered' }
  if (now.getTime() - survey.offeredAt.getTime() > surveyAnswerWindowMs) return { ok: false, why: 'expired' }
  await trx
    .updateTable('surveys')
    .set({ status: 'answered', rating: answer.rating, comment: answer.comment, answeredAt: now })
    .where('id', '=', survey.id)
    .execute()
  const low = answer.rating <= 2
  const { agentsSeeRatings } = await loadSurveySettings(trx, survey.teamId)
  const eventId = await insertEvent(trx, {
    conversationId: survey.conversationId,
    channelId: survey.channelId,
    text: ratedText(answer.rating, agentsSeeRatings, ' on the survey page'),
    at: now,
  })
  await recordMessageChanges(trx, 'message.created', [eventId], surveysActor)
  const conversation = { id: survey.conversationId, status: survey.conversationStatus, teamId: survey.teamId }
  if (low) await notifyLeads(trx, conversation, answer.rating, answer.comment ?? '')
  return { ok: true }
}
