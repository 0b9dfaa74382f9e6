import { defaultSurveySettings, type SurveySettings } from '@carebox/shared'
import type { Database } from '../db/client.js'

/** A team's survey settings, the defaults where it has saved none. */
export async function loadSurveySettings(db: Database, teamId: string): Promise<SurveySettings> {
  const row = await db.selectFrom('surveySettings').selectAll().where('teamId', '=', teamId).executeTakeFirst()
  if (!row) return defaultSurveySettings
  return {
    enabled: row.enabled,
    delayMinutes: row.delayMinutes,
    agentsSeeRatings: row.agentsSeeRatings,
    askWhy: row.askWhy,
    keepThanksResolved: row.keepThanksResolved,
    publicLink: row.publicLink,
    texts: row.texts as SurveySettings['texts'],
    disabledChannelIds: row.disabledChannelIds,
  }
}

export async function saveSurveySettings(db: Database, teamId: string, settings: SurveySettings, at: Date): Promise<void> {
  const values = {
    enabled: settings.enabled,
    delayMinutes: settings.delayMinutes,
    agentsSeeRatings: settings.agentsSeeRatings,
    askWhy: settings.askWhy,
    keepThanksResolved: settings.keepThanksResolved,
    publicLink: settings.publicLink,
    texts: JSON.stringify(settings.texts),
    disabledChannelIds: settings.disabledChannelIds,
    updatedAt: at,
  }
  await db
    .insertInto('surveySettings')
    .values({ teamId, ...values })
    .onConflict((oc) => oc.column('teamId').doUpdateSet(values))
    .execute()
}
