import { conversationViewLabels, conversationViews, type ConversationView } from '@carebox/shared'
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
                className={v === view ? 'view-link active' : 'view-link'}
                aria-current={v === view ? 'true' : undefined}
                onClick={() => setListFilters({ view: v })}
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
