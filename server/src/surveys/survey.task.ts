import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/** Offers a scheduled satisfaction survey at its time, if the conversation, the team and the platform still allow it. */
export const offerSurveyTask = defineTask({
  name: 'survey.offer',
  payload: Type.Object({ surveyId: Id }),
  maxAttempts: 5,
})

export const surveyJobKey = (surveyId: string) => `survey:${surveyId}`

/** A rating counts if it comes within 7 days of the offer (Messenger's longest survey expiry; metrics.md). */
export const surveyAnswerWindowMs = 7 * 24 * 60 * 60 * 1000
/** The comment after a rating is the customer's next message within a day. */
export const surveyCommentWindowMs = 24 * 60 * 60 * 1000
