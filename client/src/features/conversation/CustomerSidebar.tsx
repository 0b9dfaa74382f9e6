import type { CustomerPanel } from '@carebox/shared'
import { ChannelBadge } from '../../components/ChannelBadge'
import { customerLabel } from '../../components/contactName'
import { formatDateTime } from '../../components/formatTime'
import { useStore } from '../../store/store'
import { CustomerAttributes } from './CustomerAttributes'
import { CustomerHistory } from './CustomerHistory'
import { CustomerMerges } from './CustomerMerges'
import { CustomerNotes } from './CustomerNotes'
import { CustomerTags } from './CustomerTags'
import './customer-panel.css'

/** Who the customer is across channels, and what they wrote before: beside every conversation. */
export function CustomerSidebar({ conversationId }: { conversationId: string }) {
  const customer = useStore((s) => s.customersByConversation[conversationId])
  const error = useStore((s) => s.conversationErrors[conversationId])
  return (
    <aside className="customer-panel" aria-label="Customer">
      {error && (
        <p role="alert" className="error">
          Could not load the customer: {error}
        </p>
      )}
      {customer ? <CustomerDetails customer={customer} conversationId={conversationId} /> : !error && <p className="muted">Loading customer…</p>}
    </aside>
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
      <CustomerTags conversationId={conversationId} tags={customer.tags} />
      <CustomerAttributes conversationId={conversationId} attributes={customer.attributes} />
      <CustomerNotes conversationId={conversationId} notes={customer.notes} />
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
