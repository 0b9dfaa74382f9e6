import type { CustomerPanel } from '@carebox/shared'
import { ChannelBadge } from '../../components/ChannelBadge'
import { customerLabel } from '../../components/contactName'
import { formatDateTime } from '../../components/formatTime'
import { useStore } from '../../store/store'
import { CommenterLine } from './CommenterLine'
import { CustomerAttributes } from './CustomerAttributes'
import { CustomerCrm } from './CustomerCrm'
import { CustomerHistory } from './CustomerHistory'
import { CustomerMerges } from './CustomerMerges'
import { CustomerNotes } from './CustomerNotes'
import { CustomerTags } from './CustomerTags'
import './customer-panel.css'

/**
 * Who the customer is across channels, and what they wrote before: beside every conversation. In a public thread
 * it follows the commenter the agent is answering (or whose name they clicked), with a way back to the thread's own.
 */
export function CustomerSidebar({ conversationId }: { conversationId: string }) {
  const own = useStore((s) => s.customersByConversation[conversationId])
  const error = useStore((s) => s.conversationErrors[conversationId])
  const commenter = useStore((s) => (s.commenterShown?.conversationId === conversationId ? s.commenterShown : null))
  return (
    <aside className="customer-panel" aria-label="Customer">
      {/* Said aloud when a comment's author name or Reply changes the panel, which is elsewhere on the page. */}
      <p className="visually-hidden" aria-live="polite">
        {commenter ? `Customer panel: ${commenter.name}` : ''}
      </p>
      {commenter ? <CommenterPanel conversationId={conversationId} commenter={commenter} /> : <ThreadContactPanel conversationId={conversationId} />}
      {!commenter && error && (
        <p role="alert" className="error">
          Could not load the customer: {error}
        </p>
      )}
      {!commenter && !own && !error && <p className="muted">Loading customer…</p>}
    </aside>
  )
}

function ThreadContactPanel({ conversationId }: { conversationId: string }) {
  const customer = useStore((s) => s.customersByConversation[conversationId])
  return customer ? <CustomerDetails key={customer.id} customer={customer} conversationId={conversationId} /> : null
}

function CommenterPanel({ conversationId, commenter }: { conversationId: string; commenter: { contactId: string; name: string } }) {
  const customer = useStore((s) => s.customersById[commenter.contactId])
  const error = useStore((s) => s.customerErrors[commenter.contactId])
  return (
    <>
      <CommenterLine conversationId={conversationId} name={commenter.name} />
      {customer ? (
        // Keyed: a note half typed about one commenter must not stay in the box, to be saved on the next.
        <CustomerDetails key={customer.id} customer={customer} conversationId={conversationId} />
      ) : error?.isHidden ? (
        <p className="muted">This commenter’s details are not available to you.</p>
      ) : error ? (
        <p role="alert" className="error">
          Could not load the commenter: {error.message}
        </p>
      ) : (
        <p className="muted">Loading customer…</p>
      )}
    </>
  )
}

function CustomerDetails({ customer, conversationId }: { customer: CustomerPanel; conversationId: string }) {
  const name = customerLabel(customer)
  return (
    <>
      <h2>
        <bdi>{name}</bdi>
      </h2>
      <dl className="facts customer-facts">
        {customer.handle && (
          <>
            <dt>Handle</dt>
            <dd>
              <bdi>{customer.handle}</bdi>
            </dd>
          </>
        )}
        <dt>Language</dt>
        <dd>{customer.language ?? 'Unknown'}</dd>
        <dt>First seen</dt>
        <dd>
          <time dateTime={customer.firstSeenAt}>{formatDateTime(customer.firstSeenAt)}</time>
        </dd>
        <dt>Conversations</dt>
        <dd>{customer.conversations.length}</dd>
      </dl>
      <CustomerCrm customer={customer} conversationId={conversationId} />
      <CustomerTags contactId={customer.id} tags={customer.tags} />
      <CustomerAttributes contactId={customer.id} attributes={customer.attributes} />
      <CustomerNotes contactId={customer.id} notes={customer.notes} />
      <h3>Identities</h3>
      <ul className="customer-identities" aria-label="Identities">
        {customer.identities.map((identity) => {
          const label = identity.handle ?? identity.name
          return (
            <li key={`${identity.channel.id}:${identity.externalId}`}>
              <ChannelBadge kind={identity.channel.kind} name={identity.channel.name} />
              <span className="identity-text">
                <bdi>{label ?? identity.externalId}</bdi>
                <span className="muted">
                  {identity.channel.name}
                  {label && (
                    <>
                      {' · '}
                      <bdi>{identity.externalId}</bdi>
                    </>
                  )}
                </span>
              </span>
            </li>
          )
        })}
      </ul>
      <CustomerMerges conversationId={conversationId} customer={customer} />
      <CustomerHistory conversations={customer.conversations.filter((c) => c.id !== conversationId)} />
    </>
  )
}
