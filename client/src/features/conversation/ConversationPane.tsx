import { useEffect } from 'react'
import { contactName } from '../../components/contactName'
import { EmptyState } from '../../components/EmptyState'
import { selectOpenConversationId } from '../../store/router.slice'
import { useStore } from '../../store/store'
import { CustomerPanelToggle } from '../inbox/CustomerPanelToggle'
import { Composer } from './Composer'
import { ConversationHeader } from './ConversationHeader'
import { CustomerSidebar } from './CustomerSidebar'
import { MessageThread } from './MessageThread'
import { ServiceLevel } from './ServiceLevel'
import './console.css'

/** The open conversation: header and actions, thread, composer, and its service level and customer beside them. */
export function ConversationPane() {
  const id = useStore(selectOpenConversationId)
  const conversation = useStore((s) => (id ? s.conversationsById[id] : undefined))
  const messages = useStore((s) => (id ? s.messagesByConversation[id] : undefined))
  const messagesError = useStore((s) => s.messagesError)
  const loadError = useStore((s) => (id ? s.conversationErrors[id] : undefined))
  const isSideCollapsed = useStore((s) => s.isCustomerPanelCollapsed)
  const isSideOpenOver = useStore((s) => s.customerSheetFor !== null && s.customerSheetFor === id)
  const loadMessages = useStore((s) => s.loadMessages)
  const loadConversation = useStore((s) => s.loadConversation)
  const selectConversation = useStore((s) => s.selectConversation)
  const markRead = useStore((s) => s.markConversationRead)
  const retry = useStore((s) => s.retryMessage)
  const markSent = useStore((s) => s.markMessageSent)
  const flushDraftSave = useStore((s) => s.flushDraftSave)
  const showThreadContact = useStore((s) => s.showThreadContact)
  const prefetch = useStore((s) => s.prefetchMessages)
  const neighbours = useStore((s) => {
    const at = id ? s.conversationOrder.indexOf(id) : -1
    return at < 0 ? '' : [s.conversationOrder[at + 1], s.conversationOrder[at - 1]].filter(Boolean).join(',')
  })

  useEffect(() => {
    if (!id) return
    selectConversation(id)
    void loadMessages(id)
    void loadConversation(id)
    void markRead(id)
    return () => {
      // Leaving it: what was typed is saved now, not after the pause; coming back starts on its own customer.
      flushDraftSave(id)
      showThreadContact()
    }
  }, [id, selectConversation, loadMessages, loadConversation, markRead, flushDraftSave, showThreadContact])

  // j and k move to the next and previous conversation: have their threads ready before the keypress.
  useEffect(() => {
    if (!neighbours || !messages) return
    for (const neighbour of neighbours.split(',')) prefetch(neighbour)
  }, [neighbours, messages, prefetch])

  if (!id) return <EmptyState title="Pick a conversation">Choose a conversation on the left to read it.</EmptyState>
  if (!conversation) {
    return loadError ? (
      <p role="alert" className="error">
        Could not open this conversation: {loadError}
      </p>
    ) : (
      <p className="muted">Loading…</p>
    )
  }
  return (
    // Beside the thread the side can be folded away; on a narrow screen it opens over the thread (console.css).
    <div className={['conversation-layout', isSideCollapsed && 'side-collapsed', isSideOpenOver && 'side-open-over'].filter(Boolean).join(' ')}>
      <section className="conversation-pane" aria-label={`Conversation with ${contactName(conversation)}`}>
        <ConversationHeader conversation={conversation} />
        {messages ? (
          <MessageThread messages={messages} onRetry={retry} onMarkSent={markSent} />
        ) : messagesError ? (
          <p role="alert" className="error">
            Could not load messages: {messagesError}
          </p>
        ) : (
          <p className="muted">Loading…</p>
        )}
        <Composer conversation={conversation} />
      </section>
      <div className="conversation-side" id="conversation-side">
        <CustomerPanelToggle />
        <ServiceLevel conversation={conversation} />
        <CustomerSidebar conversationId={id} />
      </div>
    </div>
  )
}
