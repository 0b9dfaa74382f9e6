import { reportPeriods, type ReportQuery } from '@carebox/shared'
import { useId, useState, type FormEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { TeamMember } from '../../store/members.slice'
import { useStore, type AppState } from '../../store/store'
import { customRangeError, periodLabels, withFilters, withPeriod } from './report-query'

/** Whom the agent filter offers: the members of the team filtered on, or of every team shown, each once by name. */
function selectAgents(teamIds: string[]) {
  return (s: AppState): TeamMember[] => {
    const byId = new Map<string, TeamMember>()
    for (const teamId of teamIds) for (const member of s.membersByTeam[teamId] ?? []) byId.set(member.id, member)
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name))
  }
}

const exclusiveWhy = 'Figures are kept per agent and per tag, not per agent within a tag: filter by one or the other.'

/** The period (today, 7, 30 or 90 days, or two days of your choice) and the channel, team, agent or tag filters. */
export function ReportFilters({
  query,
  shownDays,
  onChange,
}: {
  query: ReportQuery
  shownDays: { from: string; to: string }
  onChange: (query: ReportQuery) => void
}) {
  const channels = useStore((s) => s.channels)
  const teams = useStore((s) => s.teams)
  const teamIds = query.teamId ? [query.teamId] : (teams ?? []).map((t) => t.id)
  const agents = useStore(useShallow(selectAgents(teamIds)))
  const [range, setRange] = useState({ from: query.from ?? shownDays.from, to: query.to ?? shownDays.to })
  const [tag, setTag] = useState(query.tag ?? '')
  const [shownTag, setShownTag] = useState(query.tag)
  const agentNoteId = useId()
  const tagNoteId = useId()
  const period = query.period ?? '7d'

  // The tag box follows the query when it changes from elsewhere (an agent picked, a shared link).
  if (shownTag !== query.tag) {
    setShownTag(query.tag)
    setTag(query.tag ?? '')
  }

  const rangeError = period === 'custom' ? customRangeError({ period, ...range }) : null
  const changeRange = (changes: Partial<typeof range>) => {
    const next = { ...range, ...changes }
    setRange(next)
    if (!customRangeError({ period: 'custom', ...next })) onChange({ ...query, period: 'custom', from: next.from, to: next.to })
  }
  const choosePeriod = (next: (typeof reportPeriods)[number]) => {
    if (next === 'custom') setRange({ from: query.from ?? shownDays.from, to: query.to ?? shownDays.to })
    onChange(withPeriod(query, next, { from: query.from ?? shownDays.from, to: query.to ?? shownDays.to }))
  }
  const applyTag = (event?: FormEvent) => {
    event?.preventDefault()
    const next = tag.trim()
    if (next !== (query.tag ?? '')) onChange(withFilters(query, { tag: next || undefined }))
  }

  return (
    <div className="report-filters">
      <div className="period-picker" role="group" aria-label="Period">
        {reportPeriods.map((p) => (
          <button key={p} type="button" aria-pressed={period === p} className={period === p ? 'segment active' : 'segment'} onClick={() => choosePeriod(p)}>
            {periodLabels[p]}
          </button>
        ))}
      </div>
      {period === 'custom' && (
        <div className="custom-range">
          <label>
            First day
            <input type="date" value={range.from} max={range.to || undefined} onChange={(e) => changeRange({ from: e.target.value })} />
          </label>
          <label>
            Last day
            <input type="date" value={range.to} min={range.from || undefined} onChange={(e) => changeRange({ to: e.target.value })} />
          </label>
          {rangeError && (
            <p role="alert" className="error">
              {rangeError}
            </p>
          )}
        </div>
      )}
      <div className="filter-fields">
        <label>
          Channel
          <select value={query.channelId ?? ''} onChange={(e) => onChange(withFilters(query, { channelId: e.target.value || undefined }))}>
            <option value="">All channels</option>
            {(channels ?? []).map((channel) => (
              <option key={channel.id} value={channel.id}>
                {channel.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Team
          <select value={query.teamId ?? ''} onChange={(e) => onChange(withFilters(query, { teamId: e.target.value || undefined }))}>
            <option value="">All your teams</option>
            {(teams ?? []).map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Agent
          <select
            value={query.agentId ?? ''}
            disabled={Boolean(query.tag)}
            aria-describedby={query.tag ? agentNoteId : undefined}
            onChange={(e) => onChange(withFilters(query, { agentId: e.target.value || undefined }))}
          >
            <option value="">All agents</option>
            {query.agentId && !agents.some((a) => a.id === query.agentId) && <option value={query.agentId}>The agent in the link</option>}
            {agents.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
          </select>
          {query.tag && (
            <span id={agentNoteId} className="filter-note">
              Clear the tag to filter by agent. {exclusiveWhy}
            </span>
          )}
        </label>
        <form className="tag-filter" onSubmit={applyTag} role="search" aria-label="Tag filter">
          <label>
            Tag
            <input
              value={tag}
              disabled={Boolean(query.agentId)}
              aria-describedby={query.agentId ? tagNoteId : undefined}
              maxLength={64}
              placeholder="Any tag"
              onChange={(e) => setTag(e.target.value)}
              onBlur={() => applyTag()}
            />
          </label>
          {query.agentId && (
            <span id={tagNoteId} className="filter-note">
              Clear the agent to filter by tag. {exclusiveWhy}
            </span>
          )}
        </form>
      </div>
    </div>
  )
}
