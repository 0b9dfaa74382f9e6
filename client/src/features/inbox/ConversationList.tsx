import { useEffect } from 'react'
import { isFiltered } from '../../store/conversation-list'
import { useStore } from '../../store/store'
import { BulkActions } from './BulkActions'
import { ConversationListItem } from './ConversationListItem'

const prefetchedRows = 3

export function ConversationList() {
  const order = useStore((s) => s.conversationOrder)
  const isLoading = useStore((s) => s.isLoadingConversations)
  const hasOlder = useStore((s) => s.listNextCursor !== null)
  const hasFilters = useStore((s) => isFiltered(s.listFilters))
  const loadOlder = useStore((s) => s.loadOlderConversations)
  const prefetch = useStore((s) => s.prefetchMessages)
  const topRows = order.slice(0, prefetchedRows).join(',')

  // The top of the inbox is what an agent opens first: those threads are ready before the first click.
  useEffect(() => {
    for (const id of topRows.split(',').filter(Boolean)) prefetch(id)
  }, [topRows, prefetch])

  return (
    <div className="conversation-list-column">
      <BulkActions />
      <ul className="conversation-list" aria-label="Conversations" aria-busy={isLoading}>
        {order.map((id) => (
          <ConversationListItem key={id} id={id} />
        ))}
      </ul>
      {order.length === 0 && !isLoading && (
        <p className="list-empty muted">
          {hasFilters ? 'No conversations match these filters.' : 'No conversations here. Messages from your channels appear as they arrive.'}
        </p>
      )}
      {hasOlder && (
        <button type="button" className="load-older" onClick={() => void loadOlder()}>
          Load older
        </button>
      )}
    </div>
  )
}
