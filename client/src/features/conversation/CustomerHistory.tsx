import type { CustomerPanel } from '@carebox/shared'
import { ChannelBadge } from '../../components/ChannelBadge'
import { RelativeTime } from '../../components/RelativeTime'
import { useStore } from '../../store/store'

/** The customer's other conversations, newest first; each opens in place. */
export function CustomerHistory({ conversations }: { conversations: CustomerPanel['conversations'] }) {
  const open = useStore((s) => s.openConversation)
  return (
    <>
      <h3>Earlier conversations</h3>
      {conversations.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="customer-history" aria-label="Earlier conversations">
          {conversations.map((c) => (
            <li key={c.id}>
              <button type="button" className="history-item" onClick={() => open(c.id)}>
                <span className="history-head">
                  <ChannelBadge kind={c.channel.kind} name={c.channel.name} />
                  <span className={`state state-${c.status}`}>{c.status}</span>
                  <RelativeTime at={c.lastMessageAt} />
                </span>
                <span className="history-preview">{c.lastMessagePreview}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
