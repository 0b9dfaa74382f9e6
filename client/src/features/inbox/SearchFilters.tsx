import type { ConversationStatus } from '@carebox/shared'
import { useStore } from '../../store/store'
import { searchStatusLabels } from './search-filter-labels'
import { useSearchAgents } from './useSearchAgents'
import './search.css'

const statuses = Object.keys(searchStatusLabels) as ConversationStatus[]

/**
 * While searching (by words, or by these filters alone): narrow the results by status, assignee and the day of their
 * latest activity (the channel is beside the search).
 */
export function SearchFilters() {
  const status = useStore((s) => s.listFilters.status)
  const assigneeId = useStore((s) => s.listFilters.assigneeId)
  const from = useStore((s) => s.listFilters.from)
  const to = useStore((s) => s.listFilters.to)
  const setListFilters = useStore((s) => s.setListFilters)
  const agents = useSearchAgents()
  return (
    <div className="search-filters" role="group" aria-label="Search filters">
      <select
        aria-label="Status"
        value={status ?? ''}
        onChange={(event) => setListFilters({ status: (event.target.value || null) as ConversationStatus | null })}
      >
        <option value="">Any status</option>
        {statuses.map((s) => (
          <option key={s} value={s}>
            {searchStatusLabels[s]}
          </option>
        ))}
      </select>
      <select aria-label="Agent" value={assigneeId ?? ''} onChange={(event) => setListFilters({ assigneeId: event.target.value || null })}>
        <option value="">Any agent</option>
        {agents.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
      <label>
        Active from
        <input type="date" value={from ?? ''} max={to ?? undefined} onChange={(event) => setListFilters({ from: event.target.value || null })} />
      </label>
      <label>
        to
        <input type="date" value={to ?? ''} min={from ?? undefined} onChange={(event) => setListFilters({ to: event.target.value || null })} />
      </label>
    </div>
  )
}
