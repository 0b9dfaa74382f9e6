import { conversationViewLabels } from '@carebox/shared'
import { priorityLabels } from '../../components/priorityLabels'
import { isFiltered, isSearching, noFilters, type ListFilters } from '../../store/conversation-list'
import { useStore } from '../../store/store'
import { searchStatusLabels } from './search-filter-labels'
import { slaFilterLabels } from './sla-filter-labels'
import { useSearchAgents } from './useSearchAgents'
import './search.css'

/** Each filter that is on, in words ("Channel: Acme on Messenger"). */
function filterWords(filters: ListFilters, names: { channel?: string; agent?: string }): string[] {
  const searching = isSearching(filters)
  return [
    searching && filters.status && `Status: ${searchStatusLabels[filters.status]}`,
    filters.channelId && `Channel: ${names.channel ?? 'a removed channel'}`,
    searching && filters.assigneeId && `Agent: ${names.agent ?? 'a former teammate'}`,
    searching && filters.from && `Active from ${filters.from}`,
    searching && filters.to && `Active until ${filters.to}`,
    filters.priority && `Priority: ${priorityLabels[filters.priority]}`,
    filters.language && `Language: ${filters.language}`,
    filters.tag && `Tag: ${filters.tag}`,
    filters.sla && `SLA: ${slaFilterLabels[filters.sla]}`,
  ].filter((word): word is string => typeof word === 'string')
}

/** Says what the list holds (a search of everything, or a view) and which filters narrow it, with one way to clear them all. */
export function ActiveFilters() {
  const filters = useStore((s) => s.listFilters)
  const channel = useStore((s) => s.channels?.find((c) => c.id === s.listFilters.channelId)?.name)
  const setListFilters = useStore((s) => s.setListFilters)
  const agents = useSearchAgents()
  if (!isFiltered(filters)) return null
  const agent = agents.find((a) => a.id === filters.assigneeId)?.name
  const words = filterWords(filters, { channel, agent })
  return (
    <div className="active-filters" role="status" aria-label="Active filters">
      <p>
        {isSearching(filters) ? (
          <>Searching all conversations you can see{filters.q && <> for “{filters.q}”</>}</>
        ) : (
          <>Showing {conversationViewLabels[filters.view]}</>
        )}
        {words.length > 0 && <> · {words.join(' · ')}</>}
        {filters.q === '' && words.length === 0 && <> · no filters chosen yet</>}
      </p>
      <button type="button" className="link" onClick={() => setListFilters(noFilters)}>
        Clear search and filters
      </button>
    </div>
  )
}
