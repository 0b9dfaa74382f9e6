import { pollHandler } from '../ingest/poll.job.js'
import { ingestHandler } from '../ingest/ingest.job.js'
import { sendReplyHandler, settleReplyHandler } from '../outbox/send-reply.job.js'
import { wakeHandler } from '../timers/wake.job.js'
import { followUpDueHandler } from '../follow-ups/follow-up-due.job.js'
import { commentActionHandler } from '../comments/comment-action.job.js'
import { expireUploadHandler } from '../files/expire-upload.job.js'
import { offerSurveyHandler } from '../surveys/survey-offer.job.js'
import { profileHandler } from '../contacts/profile.job.js'
import { assignHandler } from '../routing/assign.job.js'
import { reportsBackfillHandler } from '../reports/backfill.job.js'
import { surgeCheckHandler } from '../reports/surge-check.job.js'
import { reportsTeamResyncHandler } from '../reports/team-resync.job.js'
import { ruleTimerHandler } from '../timers/rule-timer.job.js'
import { slaRecomputeHandler } from '../timers/sla-recompute.job.js'
import { slaTimerHandler } from '../timers/sla-timer.job.js'
import { deliverWebhookHandler } from '../webhooks/deliver.job.js'
import { sendWebhooksHandler } from '../webhooks/send.job.js'
import { sendConversionHandler } from '../attribution/send-conversion.job.js'
import { sendMailHandler } from '../mail/mail.job.js'
import type { TaskHandler } from './tasks.js'

/** Every job handler the worker runs. Adding a task means adding its handler here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers differ in payload type
export const taskHandlers: readonly TaskHandler<any>[] = [
  ingestHandler,
  pollHandler,
  sendReplyHandler,
  settleReplyHandler,
  wakeHandler,
  followUpDueHandler,
  commentActionHandler,
  expireUploadHandler,
  offerSurveyHandler,
  assignHandler,
  slaTimerHandler,
  ruleTimerHandler,
  slaRecomputeHandler,
  profileHandler,
  surgeCheckHandler,
  reportsBackfillHandler,
  reportsTeamResyncHandler,
  deliverWebhookHandler,
  sendWebhooksHandler,
  sendConversionHandler,
  sendMailHandler,
]
