import type { CustomerPanel } from '@carebox/shared'
import { useState } from 'react'
import { customerLabel } from '../../components/contactName'
import { RelativeTime } from '../../components/RelativeTime'
import { useStore } from '../../store/store'
import { MergeSearch } from './MergeSearch'

/** Customers merged into this one by hand, each with Undo; and merging one more. */
export function CustomerMerges({ conversationId, customer }: { conversationId: string; customer: CustomerPanel }) {
  const undo = useStore((s) => s.undoCustomerMerge)
  const [isSearching, setSearching] = useState(false)
  const [error, setError] = useState<string | null>(null)
  return (
    <section className="customer-section">
      <h3>Merged customers</h3>
      {customer.merges.length > 0 && (
        <ul className="customer-merges" aria-label="Merged customers">
          {customer.merges.map((merge) => (
            <li key={merge.id}>
              <span className="merge-text">
                <bdi>{customerLabel(merge.merged)}</bdi>
                <span className="muted">
                  merged <RelativeTime at={merge.mergedAt} />
                </span>
              </span>
              <button
                type="button"
                aria-label={`Undo merge with ${customerLabel(merge.merged)}`}
                onClick={async () => setError(await undo(customer.id, merge.id, conversationId))}
              >
                Undo
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p role="alert" className="error">
          Not undone: {error}
        </p>
      )}
      {isSearching ? (
        <MergeSearch conversationId={conversationId} customer={customer} onClose={() => setSearching(false)} />
      ) : (
        <button type="button" onClick={() => setSearching(true)}>
          Merge with another customer…
        </button>
      )}
    </section>
  )
}
