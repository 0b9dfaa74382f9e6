import { conversationViewLabels, conversationViews } from '@carebox/shared'
import { useStore } from '../../store/store'

/** The inbox's views: whose conversations, in which state. */
export function InboxViews() {
  const view = useStore((s) => s.listFilters.view)
  const setListFilters = useStore((s) => s.setListFilters)
  return (
    <nav className="inbox-views" aria-label="Views">
      <ul>
        {conversationViews.map((v) => (
          <li key={v}>
            <button type="button" className={v === view ? 'view-link active' : 'view-link'} aria-current={v === view ? 'true' : undefined} onClick={() => setListFilters({ view: v })}>
              {conversationViewLabels[v]}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}
