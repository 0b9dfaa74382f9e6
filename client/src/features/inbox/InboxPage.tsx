import { useEffect } from 'react'
import { PageHeader } from '../../components/PageHeader'
import { useStore } from '../../store/store'
import { ConversationPane } from '../conversation/ConversationPane'
import { ConversationList } from './ConversationList'
import { InboxFilters } from './InboxFilters'
import { InboxViews } from './InboxViews'
import { ShortcutHelp } from './ShortcutHelp'
import { useInboxShortcuts } from './useInboxShortcuts'
import { useSlaListRefresh } from './useSlaListRefresh'

export function InboxPage() {
  const error = useStore((s) => s.conversationsError)
  const connected = useStore((s) => s.connected)
  const load = useStore((s) => s.loadConversations)
  const loadCounts = useStore((s) => s.loadViewCounts)
  const isHelpOpen = useStore((s) => s.isShortcutHelpOpen)
  const setHelpOpen = useStore((s) => s.setShortcutHelpOpen)
  useInboxShortcuts()
  useSlaListRefresh()

  useEffect(() => {
    void load()
    void loadCounts()
  }, [load, loadCounts])

  return (
    <section className="page inbox-page">
      <PageHeader title="Inbox">
        <div className="inbox-header-side">
          <button type="button" className="link" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
            Keyboard shortcuts
          </button>
          <span className={connected ? 'live live-on' : 'live'} role="status">
            {connected ? 'Live' : 'Reconnecting…'}
          </span>
        </div>
      </PageHeader>
      {error && (
        <p role="alert" className="error">
          Could not load conversations: {error}
        </p>
      )}
      <div className="inbox-columns">
        <InboxViews />
        <div className="inbox-list-column">
          <InboxFilters />
          <ConversationList />
        </div>
        <ConversationPane />
      </div>
      {isHelpOpen && <ShortcutHelp />}
    </section>
  )
}
