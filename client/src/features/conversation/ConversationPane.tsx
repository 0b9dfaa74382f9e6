import { EmptyState } from '../../components/EmptyState'
import { ChannelBadge } from '../../components/ChannelBadge'
import { contactName } from '../../components/contactName'
import { useStore } from '../../store/store'
import { MessageThread } from './MessageThread'

export function ConversationPane() {
  const id = useStore((s) => s.openConversationId)
  const conversation = useStore((s) => (id ? s.conversationsById[id] : undefined))
  const messages = useStore((s) => (id ? s.messagesByConversation[id] : undefined))
  if (!id || !conversation) {
    return <EmptyState title="Pick a conversation">Choose a conversation on the left to read it.</EmptyState>
  }
  const who = contactName(conversation)
  return (
    <section className="conversation-pane" aria-label={`Conversation with ${who}`}>
      <header className="conversation-header">
        <ChannelBadge kind={conversation.channel.kind} name={conversation.channel.name} />
        <div>
          <h2>{who}</h2>
          <p className="muted">
            {conversation.channel.name} · {conversation.kind === 'dm' ? 'private messages' : `public thread${conversation.subject ? ` on ${conversation.subject}` : ''}`}
          </p>
        </div>
      </header>
      {messages ? <MessageThread messages={messages} /> : <p className="muted">Loading…</p>}
    </section>
  )
}
