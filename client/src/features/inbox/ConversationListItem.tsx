import { ChannelBadge } from '../../components/ChannelBadge'
import { RelativeTime } from '../../components/RelativeTime'
import { contactName } from '../../components/contactName'
import { useStore } from '../../store/store'

export function ConversationListItem({ id }: { id: string }) {
  const conversation = useStore((s) => s.conversationsById[id])
  const isOpen = useStore((s) => s.openConversationId === id)
  const open = useStore((s) => s.openConversation)
  if (!conversation) return null
  const who = contactName(conversation)
  return (
    <li>
      <button type="button" className={isOpen ? 'conversation-item open' : 'conversation-item'} onClick={() => open(id)} aria-current={isOpen ? 'true' : undefined}>
        <ChannelBadge kind={conversation.channel.kind} name={conversation.channel.name} />
        <span className="conversation-item-body">
          <span className="conversation-item-head">
            <strong>{who}</strong>
            {conversation.kind === 'public' && <span className="tag">public</span>}
            {conversation.status !== 'open' && <span className="tag">{conversation.status}</span>}
            <RelativeTime at={conversation.lastMessageAt} />
          </span>
          <span className="conversation-item-preview">{conversation.lastMessagePreview}</span>
        </span>
      </button>
    </li>
  )
}
