import { EmptyState } from '../../components/EmptyState'
import { PageHeader } from '../../components/PageHeader'

export function InboxPage() {
  return (
    <section className="page">
      <PageHeader title="Inbox" />
      <EmptyState title="No conversations yet">
        Messages from your connected channels appear here as they arrive.
      </EmptyState>
    </section>
  )
}
