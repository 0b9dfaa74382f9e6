import { randomBytes } from 'node:crypto'
import type { ChangeConsumer } from '../changes/consumer.js'
import { JobBatch } from '../queue/queue.js'
import { loadSurveySettings } from '../surveys/survey-settings.repository.js'
import { offerSurveyTask, surveyJobKey } from '../surveys/survey.task.js'

/**
 * Schedules a satisfaction survey for each resolve, once per resolution (the row is keyed by it, so a change seen
 * twice schedules nothing more). The offer job decides at its time whether it may go; a team with surveys off gets
 * a row that says so, so the conversation records that none was offered and why.
 */
export const surveysConsumer: ChangeConsumer = {
  name: 'surveys',
  mode: 'transaction',
  gatherMs: 100,
  batchSize: 500,
  wants: (change) => change.type === 'conversation.status_changed' && change.data.to === 'resolved' && change.conversationId !== null,
  async handle(ctx, trx, changes) {
    const jobs = new JobBatch()
    for (const change of changes) {
      const conversationId = change.conversationId as string
      const resolution = await trx
        .selectFrom('conversationResolutions as r')
        .innerJoin('conversations as c', 'c.id', 'r.conversationId')
        .select(['r.id', 'r.resolvedAt', 'c.teamId'])
        .where('r.conversationId', '=', conversationId)
        // The latest resolve: if the conversation was reopened and resolved again before this change was read, the
        // earlier cycle's survey would find it reopened anyway; the latest gets the survey.
        .orderBy('r.resolvedAt', 'desc')
        .orderBy('r.id', 'desc')
        .limit(1)
        .executeTakeFirst()
      if (!resolution) continue
      const settings = await loadSurveySettings(trx, resolution.teamId)
      const dueAt = new Date(resolution.resolvedAt.getTime() + settings.delayMinutes * 60_000)
      const row = await trx
        .insertInto('surveys')
        .values({
          conversationId,
          resolutionId: resolution.id,
          token: randomBytes(8).toString('base64url').slice(0, 10),
          dueAt,
          ...(!settings.enabled && { status: 'not_offered', reason: 'Satisfaction surveys are turned off for this team.' }),
        })
        .onConflict((oc) => oc.column('resolutionId').doNothing())
        .returning(['id', 'status'])
        .executeTakeFirst()
      if (row?.status === 'scheduled') jobs.add(offerSurveyTask, { surveyId: row.id }, { runAt: dueAt, jobKey: surveyJobKey(row.id) })
    }
    await jobs.flush(trx)
  },
}
