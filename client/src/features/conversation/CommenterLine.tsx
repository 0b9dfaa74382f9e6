import { contactName, customerLabel } from '../../components/contactName'
import { useStore } from '../../store/store'

/** Above a commenter's panel: whose it is, and the way back to the thread's own contact. */
export function CommenterLine({ conversationId, name }: { conversationId: string; name: string }) {
  const threadContact = useStore((s) => {
    const own = s.customersByConversation[conversationId]
    const conversation = s.conversationsById[conversationId]
    return own ? customerLabel(own) : conversation ? contactName(conversation) : 'the thread’s customer'
  })
  const showThreadContact = useStore((s) => s.showThreadContact)
  return (
    <div className="commenter-line">
      <p>
        Commenter: <bdi>{name}</bdi>
      </p>
      <button type="button" className="link" onClick={showThreadContact}>
        Back to <bdi>{threadContact}</bdi>
      </button>
    </div>
  )
}
