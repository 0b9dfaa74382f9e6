import { isFiltered } from '../../store/conversation-list'
import { useStore } from '../../store/store'
import { BulkActions } from './BulkActions'
import { ConversationListItem } from './ConversationListItem'

export function ConversationList() {
  const order = useStore((s) => s.conversationOrder)
  const isLoading = useStore((s) => s.isLoadingConversations)
  const hasOlder = useStore((s) => s.listNextCursor !== null)
  const hasFilters = useStore((s) => isFiltered(s.listFilters))
  const loadOlder = useStore((s) => s.loadOlderConversations)
  return (
    <div className="conversation-list-column">
      <BulkActions />
      <ul className="conversation-list" aria-label="Conversations" aria-busy={isLoading}>
        {order.map((id) => (
          <ConversationListItem key={id} id={id} />
        ))}
      </ul>
      {order.length === 0 && !isLoading && (
        <p className="list-empty muted">{hasFilters ? 'No conversations match these filters.' : 'No conversations here. Messages from your channels appear as they arrive.'}</p>
      )}
      {hasOlder && (
        <button type="button" className="load-older" onClick={() => void loadOlder()}>
          Load older
        </button>
      )}
    </div>
  )
}
