import { defaultSurveyTexts, hasRole, type Survey, type SurveySettings } from '@carebox/shared'
import type { AuditRecord } from '../audit/audit.repository.js'
import { recordAudit } from '../audit/audit.repository.js'
import { visibleTeamIds, type Identity } from '../auth/identity.js'
import { assertConversationVisible } from '../auth/scope.js'
import type { AppContext } from '../context.js'
import { AppError } from '../errors.js'
import { loadSurveySettings, saveSurveySettings } from './survey-settings.repository.js'
import { surveysOf, toSurvey } from './surveys.repository.js'

function assertTeamVisible(identity: Identity, teamId: string): void {
  const teams = visibleTeamIds(identity)
  if (teams && !teams.includes(teamId)) throw new AppError('not_found', 'No such team.')
}

export async function teamSurveySettings(ctx: AppContext, identity: Identity, teamId: string) {
  assertTeamVisible(identity, teamId)
  const team = await ctx.db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst()
  if (!team) throw new AppError('not_found', 'No such team.')
  return { settings: await loadSurveySettings(ctx.db, teamId), defaults: defaultSurveyTexts }
}

export async function updateTeamSurveySettings(
  ctx: AppContext,
  identity: Identity,
  actor: AuditRecord['actor'],
  teamId: string,
  settings: SurveySettings,
): Promise<SurveySettings> {
  assertTeamVisible(identity, teamId)
  const channels = await ctx.db.selectFrom('channels').select('id').where('teamId', '=', teamId).execute()
  const ours = new Set(channels.map((c) => c.id))
  if (settings.disabledChannelIds.some((id) => !ours.has(id))) throw new AppError('validation_failed', "Only the team's own channels can be left out.")
  await ctx.db.transaction().execute(async (trx) => {
    await saveSurveySettings(trx, teamId, settings, ctx.clock.now())
    await recordAudit(trx, {
      action: 'surveys.settings_changed',
      actor,
      target: { type: 'team', id: teamId },
      details: { ...settings, texts: Object.keys(settings.texts) },
    })
  })
  return loadSurveySettings(ctx.db, teamId)
}

/** A conversation's surveys; an agent of a team that keeps ratings to its leads sees that one was answered, not how. */
export async function conversationSurveys(ctx: AppContext, identity: Identity, conversationId: string): Promise<{ items: Survey[] }> {
  await assertConversationVisible(ctx.db, identity, conversationId)
  const conversation = await ctx.db.selectFrom('conversations').select('teamId').where('id', '=', conversationId).executeTakeFirstOrThrow()
  const settings = await loadSurveySettings(ctx.db, conversation.teamId)
  const showRating = identity.kind === 'token' || hasRole(identity.role, 'lead') || settings.agentsSeeRatings
  return { items: (await surveysOf(ctx.db, conversationId)).map((row) => toSurvey(row, showRating)) }
}
