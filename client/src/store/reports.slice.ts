import {
  attributionApi,
  reportsApi,
  surveysApi,
  type AttributionReport,
  type AgentReportRow,
  type CostReport,
  type ReportQuery,
  type ReportSettings,
  type ReportSummary,
  type SatisfactionReport,
  type SurgeAlert,
  type Wallboard,
} from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import { selectHasRole } from './session.slice'
import type { AppState } from './store'
import { throttle } from './throttle'

export interface AgentReport {
  items: AgentReportRow[]
  totals: AgentReportRow
}

export type ReportPart = 'summary' | 'agents' | 'cost' | 'satisfaction' | 'surges' | 'attribution'

/** What the dashboard shows when its address names nothing: the last 7 days, every channel, team and agent. */
export const defaultReportQuery: ReportQuery = { period: '7d' }

/** A wall screen asks again this often, whatever happens… */
export const wallboardIntervalMs = 5_000
/** …and soon after live events, but no more than once in this long (a busy team sends many). */
export const wallboardLiveRefreshMs = 2_000

export interface ReportsSlice {
  /** The period and filters on the dashboard (its address carries them too, to share). */
  reportQuery: ReportQuery
  /** The figures for `reportQuery`; kept on screen while the next ones load. Null until first loaded. */
  reportSummary: ReportSummary | null
  agentReport: AgentReport | null
  costReport: CostReport | null
  isReportLoading: boolean
  /** Satisfaction for `reportQuery`, loaded beside the other figures but shown as soon as it arrives. */
  satisfactionReport: SatisfactionReport | null
  isSatisfactionLoading: boolean
  /** Conversations by source and campaign for `reportQuery`, loaded beside the other figures. */
  attributionReport: AttributionReport | null
  isAttributionLoading: boolean
  /** Why a part of the dashboard could not be loaded, by part. */
  reportErrors: Partial<Record<ReportPart, string>>
  /** Surge alerts of the last 7 days, newest first; null until loaded. */
  surges: SurgeAlert[] | null
  reportSettings: ReportSettings | null
  reportSettingsError: string | null
  wallboard: Wallboard | null
  /** When the wallboard's figures arrived, by this browser's clock (waits tick on from the server's `at`). */
  wallboardReceivedAt: number | null
  wallboardError: string | null
  /** Sets the period and filters and loads their figures. */
  setReportQuery(query: ReportQuery): void
  /** Loads the summary, agents and cost for `reportQuery` together, and starts satisfaction beside them. */
  loadReports(): Promise<void>
  loadSatisfaction(): Promise<void>
  loadAttributionReport(): Promise<void>
  loadSurges(): Promise<void>
  /** A surge the server just found (the socket's `surge.detected`): an alert for leads and admins, never for agents. */
  receiveSurge(surge: SurgeAlert): void
  loadReportSettings(): Promise<void>
  /** Resolves with an error message to show, or null once saved. */
  saveReportSettings(settings: ReportSettings): Promise<string | null>
  /** Keeps the wallboard's figures fresh until the returned stop is called (every 5 s, and after live events). */
  watchWallboard(teamId: string | undefined): () => void
  loadWallboard(): Promise<void>
  /** Something happened that may move the live figures (a message, a conversation changed, someone went online). */
  noteLiveActivity(): void
}

/** A report query's keys, in the order requests and links carry them. */
export const reportQueryKeys = ['period', 'from', 'to', 'teamId', 'channelId', 'agentId', 'tag'] as const

/** The query with its keys always in one order and empty ones left out: the same filters make the same request. */
export function canonicalQuery(query: ReportQuery): ReportQuery {
  const canonical: ReportQuery = {}
  for (const key of reportQueryKeys) {
    const value = query[key]
    if (value) Object.assign(canonical, { [key]: value })
  }
  return canonical
}

function messageOf(result: PromiseSettledResult<unknown>): string | undefined {
  return result.status === 'rejected' ? (result.reason as Error).message : undefined
}

export const createReportsSlice: StateCreator<AppState, [], [], ReportsSlice> = (set, get) => {
  // Only the latest request's answer is shown: switching filters quickly must not end on an older answer.
  let reportsRequest = 0
  let satisfactionRequest = 0
  let attributionRequest = 0
  let surgesRequest = 0
  let wallboardRequest = 0
  let wallboardTeamId: string | undefined
  let wallboardWatchers = 0
  const refreshWallboard = throttle(() => void get().loadWallboard(), wallboardLiveRefreshMs)

  return {
    reportQuery: defaultReportQuery,
    reportSummary: null,
    agentReport: null,
    costReport: null,
    isReportLoading: false,
    satisfactionReport: null,
    isSatisfactionLoading: false,
    attributionReport: null,
    isAttributionLoading: false,
    reportErrors: {},
    surges: null,
    reportSettings: null,
    reportSettingsError: null,
    wallboard: null,
    wallboardReceivedAt: null,
    wallboardError: null,

    setReportQuery(query) {
      set({ reportQuery: canonicalQuery(query) })
      void get().loadReports()
    },
    async loadReports() {
      const ticket = ++reportsRequest
      const query = get().reportQuery
      set({ isReportLoading: true })
      void get().loadSatisfaction()
      void get().loadAttributionReport()
      const [summary, agents, cost] = await Promise.allSettled([
        call(reportsApi.summary, { query }),
        call(reportsApi.agents, { query }),
        call(reportsApi.cost, { query }),
      ])
      if (ticket !== reportsRequest) return
      set((s) => ({
        isReportLoading: false,
        reportSummary: summary.status === 'fulfilled' ? summary.value : s.reportSummary,
        agentReport: agents.status === 'fulfilled' ? agents.value : s.agentReport,
        costReport: cost.status === 'fulfilled' ? cost.value : s.costReport,
        reportErrors: {
          surges: s.reportErrors.surges,
          satisfaction: s.reportErrors.satisfaction,
          attribution: s.reportErrors.attribution,
          summary: messageOf(summary),
          agents: messageOf(agents),
          cost: messageOf(cost),
        },
      }))
    },
    async loadSatisfaction() {
      const ticket = ++satisfactionRequest
      const query = get().reportQuery
      set({ isSatisfactionLoading: true })
      try {
        const report = await call(surveysApi.report, { query })
        if (ticket === satisfactionRequest) {
          set((s) => ({ satisfactionReport: report, isSatisfactionLoading: false, reportErrors: { ...s.reportErrors, satisfaction: undefined } }))
        }
      } catch (error) {
        if (ticket === satisfactionRequest)
          set((s) => ({ isSatisfactionLoading: false, reportErrors: { ...s.reportErrors, satisfaction: (error as Error).message } }))
      }
    },
    async loadAttributionReport() {
      const ticket = ++attributionRequest
      const query = get().reportQuery
      set({ isAttributionLoading: true })
      try {
        const report = await call(attributionApi.report, { query })
        if (ticket === attributionRequest) {
          set((s) => ({ attributionReport: report, isAttributionLoading: false, reportErrors: { ...s.reportErrors, attribution: undefined } }))
        }
      } catch (error) {
        if (ticket === attributionRequest)
          set((s) => ({ isAttributionLoading: false, reportErrors: { ...s.reportErrors, attribution: (error as Error).message } }))
      }
    },
    async loadSurges() {
      const ticket = ++surgesRequest
      const teamId = get().reportQuery.teamId
      try {
        const { items } = await call(reportsApi.surges, { query: teamId ? { teamId } : {} })
        if (ticket === surgesRequest) set((s) => ({ surges: items, reportErrors: { ...s.reportErrors, surges: undefined } }))
      } catch (error) {
        if (ticket === surgesRequest) set((s) => ({ reportErrors: { ...s.reportErrors, surges: (error as Error).message } }))
      }
    },
    receiveSurge(surge) {
      // The server tells the whole team; agents are not the ones to call in help or warn the product team.
      if (!selectHasRole('lead')(get())) return
      const teamId = get().reportQuery.teamId
      set((s) => {
        if (!s.surges || s.surges.some((known) => known.id === surge.id)) return {}
        if (teamId && surge.teamId !== teamId) return {}
        return { surges: [surge, ...s.surges] }
      })
      get().receiveSurgeAlert(surge)
    },
    async loadReportSettings() {
      try {
        set({ reportSettings: await call(reportsApi.settings), reportSettingsError: null })
      } catch (error) {
        set({ reportSettingsError: (error as Error).message })
      }
    },
    async saveReportSettings(settings) {
      try {
        set({ reportSettings: await call(reportsApi.updateSettings, { body: settings }) })
        return null
      } catch (error) {
        return (error as Error).message
      }
    },
    watchWallboard(teamId) {
      wallboardTeamId = teamId
      wallboardWatchers++
      void get().loadWallboard()
      const timer = setInterval(() => void get().loadWallboard(), wallboardIntervalMs)
      return () => {
        clearInterval(timer)
        wallboardWatchers--
      }
    },
    async loadWallboard() {
      const ticket = ++wallboardRequest
      try {
        const wallboard = await call(reportsApi.wallboard, { query: wallboardTeamId ? { teamId: wallboardTeamId } : {} })
        if (ticket === wallboardRequest) set({ wallboard, wallboardReceivedAt: Date.now(), wallboardError: null })
      } catch (error) {
        if (ticket === wallboardRequest) set({ wallboardError: (error as Error).message })
      }
    },
    noteLiveActivity() {
      if (wallboardWatchers > 0) refreshWallboard()
    },
  }
}
