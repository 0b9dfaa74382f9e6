import type { CustomerPanel } from '@carebox/shared'
import { useEffect, useState } from 'react'
import { formatDateTime } from '../../components/formatTime'
import { useStore } from '../../store/store'
import { CustomerKeysForm } from './CustomerKeysForm'
import { MergeSuggestions } from './MergeSuggestions'
import { formatLifetimeValue, safeRecordUrl } from './crm-format'

/**
 * What other systems know about the customer: their email and phone (which agents can edit), what the CRM pushed
 * (company, tier, lifetime value, owner), their records there with a link back, and customers who may be them.
 */
export function CustomerCrm({ customer, conversationId }: { customer: CustomerPanel; conversationId: string }) {
  const crm = useStore((s) => s.crmByContact[customer.id])
  const error = useStore((s) => s.crmErrors[customer.id])
  const load = useStore((s) => s.loadCustomerCrm)
  const [isEditing, setEditing] = useState(false)

  useEffect(() => {
    void load(customer.id)
  }, [customer.id, load])

  if (!crm) {
    // Not an alert: the rest of the panel works without these details.
    return error ? <p className="muted">Contact details are not available: {error}</p> : null
  }
  return (
    <section className="customer-section" aria-label="Contact details">
      <h3>Contact details</h3>
      {isEditing ? (
        <CustomerKeysForm crm={crm} onDone={() => setEditing(false)} />
      ) : (
        <>
          <dl className="facts customer-facts">
            <dt>Email</dt>
            <dd>{crm.email ? <bdi>{crm.email}</bdi> : <span className="muted">Not known</span>}</dd>
            <dt>Phone</dt>
            <dd>{crm.phone ? <bdi>{crm.phone}</bdi> : <span className="muted">Not known</span>}</dd>
            {crm.company && (
              <>
                <dt>Company</dt>
                <dd>
                  <bdi>{crm.company}</bdi>
                </dd>
              </>
            )}
            {crm.tier && (
              <>
                <dt>Tier</dt>
                <dd>
                  <bdi>{crm.tier}</bdi>
                </dd>
              </>
            )}
            {crm.lifetimeValue !== null && (
              <>
                <dt>Lifetime value</dt>
                <dd>{formatLifetimeValue(crm.lifetimeValue, crm.currency)}</dd>
              </>
            )}
            {crm.owner && (
              <>
                <dt>Owner</dt>
                <dd>
                  <bdi>{crm.owner}</bdi>
                </dd>
              </>
            )}
            {crm.crmUpdatedAt && (
              <>
                <dt>CRM updated</dt>
                <dd>
                  <time dateTime={crm.crmUpdatedAt}>{formatDateTime(crm.crmUpdatedAt)}</time>
                </dd>
              </>
            )}
          </dl>
          <button type="button" className="link" onClick={() => setEditing(true)}>
            Edit email or phone
          </button>
        </>
      )}
      {crm.externalIds.length > 0 && (
        <ul className="customer-attributes" aria-label="Records in other systems">
          {crm.externalIds.map((record) => {
            const url = safeRecordUrl(record.url)
            return (
              <li key={`${record.system}:${record.externalId}`} className="attribute-row">
                <span className="attribute-name">{record.system}</span>
                <bdi className="attribute-value">{record.externalId}</bdi>
                {url && (
                  <a href={url} target="_blank" rel="noopener noreferrer">
                    Open in {record.system}
                  </a>
                )}
              </li>
            )
          })}
        </ul>
      )}
      <MergeSuggestions customer={customer} conversationId={conversationId} suggestions={crm.suggestions} />
    </section>
  )
}
