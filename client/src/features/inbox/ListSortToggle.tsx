import { listSortOf, type ListSort } from '../../store/conversation-list'
import { useStore } from '../../store/store'

const sortLabels: Record<ListSort, string> = { recent: 'Latest activity', next_breach: 'Next breach' }
const sorts: readonly ListSort[] = ['recent', 'next_breach']

/** Latest activity first, or nearest SLA deadline first. The at-risk view is only ever the latter. */
export function ListSortToggle() {
  const sort = useStore((s) => listSortOf(s.listFilters))
  const isFixed = useStore((s) => s.listFilters.view === 'at_risk')
  const setListFilters = useStore((s) => s.setListFilters)
  return (
    <div className="list-sort" role="group" aria-label="Sort" title={isFixed ? 'At risk is always nearest deadline first' : undefined}>
      {sorts.map((s) => (
        <button
          key={s}
          type="button"
          className={s === sort ? 'list-sort-option active' : 'list-sort-option'}
          aria-pressed={s === sort}
          disabled={isFixed}
          onClick={() => setListFilters({ sort: s })}
        >
          {sortLabels[s]}
        </button>
      ))}
    </div>
  )
}
