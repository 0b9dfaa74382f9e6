import { channelKindNames, type CustomerPanel, type MergeSuggestion } from '@carebox/shared'
import { useState } from 'react'
import { customerLabel } from '../../components/contactName'
import { useStore } from '../../store/store'

/** Where we know them from: their channels' platforms, or the CRM when no channel has seen them yet. */
function whereFrom(suggestion: MergeSuggestion): string {
  const kinds = [...new Set(suggestion.channels.map((c) => channelKindNames[c.kind]))]
  return kinds.length > 0 ? kinds.join(', ') : 'from the CRM'
}

function sameWhat(suggestion: MergeSuggestion): string {
  if (suggestion.sameEmail && suggestion.samePhone) return 'same email and phone'
  return suggestion.sameEmail ? 'same email' : 'same phone'
}

/**
 * Customers sharing this one's email or phone (say the same person on WhatsApp and Messenger), each with a merge
 * that is confirmed first and can be undone, as a merge found by searching.
 */
export function MergeSuggestions({
  customer,
  conversationId,
  suggestions,
}: {
  customer: CustomerPanel
  conversationId: string
  suggestions: MergeSuggestion[]
}) {
  const merge = useStore((s) => s.mergeCustomer)
  const [chosen, setChosen] = useState<MergeSuggestion | null>(null)
  const [isMerging, setMerging] = useState(false)
  const [error, setError] = useState<string | null>(null)
  if (suggestions.length === 0) return null

  const confirm = async () => {
    if (!chosen) return
    setMerging(true)
    const failure = await merge(customer.id, chosen.id, conversationId)
    setMerging(false)
    setError(failure)
    if (!failure) setChosen(null)
  }

  return (
    <div className="customer-section">
      <ul className="customer-merges" aria-label="Possibly the same person">
        {suggestions.map((suggestion) => (
          <li key={suggestion.id}>
            <span className="merge-text">
              <span>
                Possibly the same person: <bdi>{customerLabel(suggestion)}</bdi> ({whereFrom(suggestion)})
              </span>
              <span className="muted">{sameWhat(suggestion)}</span>
            </span>
            <button type="button" aria-label={`Merge ${customerLabel(suggestion)}`} onClick={() => setChosen(suggestion)}>
              Merge…
            </button>
          </li>
        ))}
      </ul>
      {chosen && (
        <div className="merge-confirm" role="group" aria-label="Confirm the merge">
          <p>
            Merge <bdi>{customerLabel(chosen)}</bdi> into <bdi>{customerLabel(customer)}</bdi>? Their identities, conversations and notes move here. You can
            undo it.
          </p>
          <button type="button" className="primary" disabled={isMerging} onClick={() => void confirm()}>
            {isMerging ? 'Merging…' : 'Merge'}
          </button>
          <button type="button" onClick={() => setChosen(null)}>
            Cancel
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          Not merged: {error}
        </p>
      )}
    </div>
  )
}
