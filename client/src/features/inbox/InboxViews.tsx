import { conversationViewLabels, conversationViews, type ConversationView } from '@carebox/shared'
import { isSearching } from '../../store/conversation-list'
import { selectHasRole } from '../../store/session.slice'
import { useStore } from '../../store/store'

/**
 * Views for team leads and admins only: the at-risk queue and the low ratings are theirs to watch over. Only
 * hides; the server decides.
 */
const leadViews: readonly ConversationView[] = ['at_risk', 'low_ratings']
const isLeadSelector = selectHasRole('lead')

/** The inbox's views: whose conversations, in which state, with how many there are and how many are unread. */
export function InboxViews() {
  const view = useStore((s) => s.listFilters.view)
  const counts = useStore((s) => s.viewCounts)
  const setListFilters = useStore((s) => s.setListFilters)
  // A search looks past the views: none is current, and picking one leaves the search.
  const searching = useStore((s) => isSearching(s.listFilters))
  const isLead = useStore(isLeadSelector)
  const visible = isLead ? conversationViews : conversationViews.filter((v) => !leadViews.includes(v))
  return (
    <nav className="inbox-views" aria-label="Views">
      <ul>
        {visible.map((v) => {
          const count = counts?.[v]
          return (
            <li key={v}>
              <button
                type="button"
                className={v === view && !searching ? 'view-link active' : 'view-link'}
                aria-current={v === view && !searching ? 'true' : undefined}
                onClick={() => setListFilters({ view: v, q: null, status: null, assigneeId: null, from: null, to: null })}
              >
                <span className="view-label">{conversationViewLabels[v]}</span>
                {count && (
                  <span className="view-count">
                    <span className="visually-hidden">, total </span>
                    {count.total}
                  </span>
                )}
                {count && count.unread > 0 && (
                  <span className="unread-badge">
                    <span className="visually-hidden">, </span>
                    {count.unread}
                    <span className="visually-hidden"> unread</span>
                  </span>
                )}
              </button>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}
