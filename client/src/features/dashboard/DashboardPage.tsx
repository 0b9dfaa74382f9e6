import type { ReportQuery } from '@carebox/shared'
import { useEffect, type MouseEvent } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { PageHeader } from '../../components/PageHeader'
import { useStore } from '../../store/store'
import { AgentTable } from './AgentTable'
import { AttributionPanel } from './AttributionPanel'
import { CostPanel } from './CostPanel'
import './dashboard.css'
import { dashboardPath, surgesAnchor, wallboardPath } from './dashboard-paths'
import { HeadlineCards } from './HeadlineCards'
import { HourOfWeekHeatmap } from './HourOfWeekHeatmap'
import { NegativeShareChart } from './NegativeShareChart'
import { ReportFilters } from './ReportFilters'
import { formatDay } from './report-format'
import { exportCsvUrl, parseReportQuery, reportSearch } from './report-query'
import { ResponseTrendChart } from './ResponseTrendChart'
import { SatisfactionPanel } from './SatisfactionPanel'
import { SlaTrendChart } from './SlaTrendChart'
import { SurgesPanel } from './SurgesPanel'
import { VolumeChart } from './VolumeChart'

/** Puts the period and filters in the address, so the link a lead copies opens the same figures. */
function showInAddress(query: ReportQuery): void {
  window.history.replaceState(window.history.state, '', `${dashboardPath}${reportSearch(query)}${window.location.hash}`)
}

function today(): string {
  const now = new Date()
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
}

/** The team lead's dashboard: headline figures, charts, agents, satisfaction, cost saving and surges, for a period and filters. */
export function DashboardPage() {
  const query = useStore((s) => s.reportQuery)
  const summary = useStore((s) => s.reportSummary)
  const agents = useStore((s) => s.agentReport)
  const cost = useStore((s) => s.costReport)
  const satisfaction = useStore((s) => s.satisfactionReport)
  const isSatisfactionLoading = useStore((s) => s.isSatisfactionLoading)
  const attribution = useStore((s) => s.attributionReport)
  const isAttributionLoading = useStore((s) => s.isAttributionLoading)
  const surges = useStore((s) => s.surges)
  const errors = useStore((s) => s.reportErrors)
  const isLoading = useStore((s) => s.isReportLoading)
  const path = useStore((s) => s.path)
  const setQuery = useStore((s) => s.setReportQuery)
  const loadSurges = useStore((s) => s.loadSurges)
  const loadChannels = useStore((s) => s.loadChannels)
  const loadTeams = useStore((s) => s.loadTeams)
  const loadTeamMembers = useStore((s) => s.loadTeamMembers)
  const teams = useStore((s) => s.teams)
  const navigate = useStore((s) => s.navigate)

  // On opening, the address's period and filters (a shared link) win; without any, those last used in this session.
  useEffect(() => {
    const linked = parseReportQuery(window.location.search)
    const state = useStore.getState()
    if (linked) state.setReportQuery(linked)
    else void state.loadReports()
    showInAddress(linked ?? state.reportQuery)
  }, [])

  useEffect(() => {
    void loadChannels()
    void loadTeams()
  }, [loadChannels, loadTeams])

  useEffect(() => {
    for (const team of teams ?? []) void loadTeamMembers(team.id)
  }, [teams, loadTeamMembers])

  useEffect(() => {
    void loadSurges()
  }, [query.teamId, loadSurges])

  // A surge alert leads here: once the surges are on screen, bring them into view.
  const hasSurges = surges !== null
  useEffect(() => {
    if (!hasSurges || window.location.hash !== `#${surgesAnchor}`) return
    const panel = document.getElementById(surgesAnchor)
    panel?.scrollIntoView?.({ block: 'start' })
    panel?.focus({ preventScroll: true })
  }, [hasSurges, path])

  const change = (next: ReportQuery) => {
    setQuery(next)
    showInAddress(next)
  }
  const openWallboard = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
    event.preventDefault()
    navigate(wallboardPath(query.teamId))
  }

  const shownDays = summary ? { from: summary.period.firstDay, to: summary.period.lastDay } : { from: today(), to: today() }
  return (
    <section className="page dashboard" aria-busy={isLoading}>
      <PageHeader title="Dashboard">
        <div className="page-actions">
          <a className="button-link" href={exportCsvUrl(query)} download>
            Download CSV
          </a>
          <a className="button-link" href={wallboardPath(query.teamId)} onClick={openWallboard}>
            TV mode
          </a>
        </div>
      </PageHeader>
      <ReportFilters query={query} shownDays={shownDays} onChange={change} />
      <p className="muted report-period" role="status">
        {isLoading
          ? 'Loading…'
          : summary
            ? `${summary.period.firstDay === summary.period.lastDay ? formatDay(summary.period.firstDay) : `${formatDay(summary.period.firstDay)} to ${formatDay(summary.period.lastDay)}`}, days in ${summary.period.timeZone}`
            : ''}
      </p>
      {errors.summary && (
        <p role="alert" className="error">
          Could not load the figures: {errors.summary}
        </p>
      )}
      {summary ? (
        <>
          <HeadlineCards headline={summary.headline} />
          <div className="chart-grid">
            <VolumeChart summary={summary} />
            <ResponseTrendChart summary={summary} />
            <SlaTrendChart summary={summary} />
            <NegativeShareChart summary={summary} />
            <HourOfWeekHeatmap counts={summary.hourOfWeek} />
          </div>
        </>
      ) : (
        !errors.summary &&
        !isLoading && <EmptyState title="Nothing to report yet">Response rates, response times and SLA figures appear once conversations come in.</EmptyState>
      )}
      {errors.agents && (
        <p role="alert" className="error">
          Could not load the agents: {errors.agents}
        </p>
      )}
      {agents && <AgentTable report={agents} />}
      <SatisfactionPanel report={satisfaction} isLoading={isSatisfactionLoading} error={errors.satisfaction} />
      <AttributionPanel report={attribution} isLoading={isAttributionLoading} error={errors.attribution} />
      {errors.cost && (
        <p role="alert" className="error">
          Could not load the cost saving: {errors.cost}
        </p>
      )}
      {cost && <CostPanel report={cost} />}
      <SurgesPanel surges={surges} error={errors.surges} />
    </section>
  )
}
