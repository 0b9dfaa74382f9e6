import { useStore } from '../../store/store'
import { ConversationListItem } from './ConversationListItem'

export function ConversationList() {
  const order = useStore((s) => s.conversationOrder)
  return (
    <ul className="conversation-list" aria-label="Conversations">
      {order.map((id) => (
        <ConversationListItem key={id} id={id} />
      ))}
    </ul>
  )
}
