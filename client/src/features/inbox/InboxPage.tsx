import { useEffect } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { PageHeader } from '../../components/PageHeader'
import { isSearching } from '../../store/conversation-list'
import { selectOpenConversationId } from '../../store/router.slice'
import { useStore } from '../../store/store'
import { ConversationPane } from '../conversation/ConversationPane'
import { ActiveFilters } from './ActiveFilters'
import { ConversationBar } from './ConversationBar'
import { ConversationList } from './ConversationList'
import { InboxFilters } from './InboxFilters'
import { InboxViews } from './InboxViews'
import { SearchFilters } from './SearchFilters'
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
  const openId = useStore(selectOpenConversationId)
  const landInInbox = useStore((s) => s.landInInbox)
  const searching = useStore((s) => isSearching(s.listFilters))
  const isViewDone = useStore((s) => s.isViewDone && openId === null)
  useInboxShortcuts()
  useSlaListRefresh()

  useEffect(() => {
    landInInbox()
    void load()
    void loadCounts()
  }, [landInInbox, load, loadCounts])

  return (
    // A narrow screen shows the list or, once one is open, the conversation (console.css).
    <section className={openId ? 'page inbox-page has-conversation' : 'page inbox-page'}>
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
          {searching && <SearchFilters />}
          <ActiveFilters />
          <ConversationList />
        </div>
        <div className="inbox-conversation-column">
          {openId && <ConversationBar conversationId={openId} />}
          {isViewDone ? (
            <EmptyState title="Nothing left in this view">Resolved. Every conversation here is done; pick another view or wait for new messages.</EmptyState>
          ) : (
            <ConversationPane />
          )}
        </div>
      </div>
      {isHelpOpen && <ShortcutHelp />}
    </section>
  )
}
