import { surveysApi, type Survey, type SurveySettings, type SurveyTexts } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

/** A team's survey settings with the words Carebox uses where the team wrote none, per language. */
export interface TeamSurveySettings {
  settings: SurveySettings
  defaults: Record<string, SurveyTexts>
}

export interface SurveysSlice {
  /** Each opened conversation's satisfaction surveys as last loaded, newest first. */
  surveysByConversation: Record<string, Survey[]>
  surveyErrors: Record<string, string>
  loadSurveys(conversationId: string): Promise<void>
  /** Survey settings by team, as loaded on Settings → Surveys. */
  surveySettingsByTeam: Record<string, TeamSurveySettings>
  surveySettingsErrors: Record<string, string>
  loadSurveySettings(teamId: string): Promise<void>
  /** Resolves with the server's refusal to show, or null once saved. */
  saveSurveySettings(teamId: string, settings: SurveySettings): Promise<string | null>
}

function without(record: Record<string, string>, key: string): Record<string, string> {
  const { [key]: _removed, ...rest } = record
  return rest
}

export const createSurveysSlice: StateCreator<AppState, [], [], SurveysSlice> = (set, get) => {
  // Per conversation, only the newest request may write: new messages can ask again before the last answer is in.
  const requests = new Map<string, number>()

  return {
    surveysByConversation: {},
    surveyErrors: {},
    surveySettingsByTeam: {},
    surveySettingsErrors: {},
    async loadSurveys(conversationId) {
      const request = (requests.get(conversationId) ?? 0) + 1
      requests.set(conversationId, request)
      try {
        const { items } = await call(surveysApi.ofConversation, { params: { id: conversationId } })
        if (requests.get(conversationId) !== request) return
        set((s) => ({ surveysByConversation: { ...s.surveysByConversation, [conversationId]: items }, surveyErrors: without(s.surveyErrors, conversationId) }))
      } catch (error) {
        if (requests.get(conversationId) !== request) return
        set((s) => ({ surveyErrors: { ...s.surveyErrors, [conversationId]: (error as Error).message } }))
      }
    },
    async loadSurveySettings(teamId) {
      try {
        const loaded = await call(surveysApi.settings, { params: { id: teamId } })
        set((s) => ({ surveySettingsByTeam: { ...s.surveySettingsByTeam, [teamId]: loaded }, surveySettingsErrors: without(s.surveySettingsErrors, teamId) }))
      } catch (error) {
        set((s) => ({ surveySettingsErrors: { ...s.surveySettingsErrors, [teamId]: (error as Error).message } }))
      }
    },
    async saveSurveySettings(teamId, settings) {
      try {
        const saved = await call(surveysApi.updateSettings, { params: { id: teamId }, body: settings })
        const defaults = get().surveySettingsByTeam[teamId]?.defaults ?? {}
        set((s) => ({ surveySettingsByTeam: { ...s.surveySettingsByTeam, [teamId]: { settings: saved, defaults } } }))
        return null
      } catch (error) {
        return (error as Error).message
      }
    },
  }
}
