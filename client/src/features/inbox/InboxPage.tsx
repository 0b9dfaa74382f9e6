import { useEffect } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { PageHeader } from '../../components/PageHeader'
import { useStore } from '../../store/store'
import { ConversationPane } from '../conversation/ConversationPane'
import { ConversationList } from './ConversationList'

export function InboxPage() {
  const count = useStore((s) => s.conversationOrder.length)
  const isLoading = useStore((s) => s.isLoadingConversations)
  const error = useStore((s) => s.conversationsError)
  const connected = useStore((s) => s.connected)
  const load = useStore((s) => s.loadConversations)

  useEffect(() => {
    void load()
  }, [load])

  return (
    <section className="page inbox-page">
      <PageHeader title="Inbox">
        <span className={connected ? 'live live-on' : 'live'} role="status">
          {connected ? 'Live' : 'Reconnecting…'}
        </span>
      </PageHeader>
      {error && <p role="alert" className="error">Could not load conversations: {error}</p>}
      {count === 0 && !isLoading ? (
        <EmptyState title="No conversations yet">Messages from your connected channels appear here as they arrive.</EmptyState>
      ) : (
        <div className="inbox-columns">
          <ConversationList />
          <ConversationPane />
        </div>
      )}
    </section>
  )
}
