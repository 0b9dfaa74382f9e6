import { conversationPath } from '../../store/router.slice'
import { useStore } from '../../store/store'

/**
 * Above an open conversation on a narrow screen, where it is shown alone: the way back to the list, and the customer
 * panel, which opens over the conversation there. Wide screens show the list and the panel beside it instead, and
 * hide this bar (console.css).
 */
export function ConversationBar({ conversationId }: { conversationId: string }) {
  const navigate = useStore((s) => s.navigate)
  const isCustomerOpen = useStore((s) => s.customerSheetFor === conversationId)
  const setCustomerSheetFor = useStore((s) => s.setCustomerSheetFor)
  return (
    <div className="conversation-bar">
      <button type="button" className="conversation-back" aria-label="Back to conversations" onClick={() => navigate(conversationPath(null))}>
        <span aria-hidden="true">‹</span> Conversations
      </button>
      <button
        type="button"
        className="conversation-customer"
        aria-expanded={isCustomerOpen}
        aria-controls="conversation-side"
        onClick={() => setCustomerSheetFor(isCustomerOpen ? null : conversationId)}
      >
        Customer details
      </button>
    </div>
  )
}
