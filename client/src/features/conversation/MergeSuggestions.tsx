import { channelKindNames, type CustomerPanel, type MergeSuggestion } from '@carebox/shared'
import { useState } from 'react'
import { customerLabel } from '../../components/contactName'
import { MergeConfirm } from './MergeConfirm'

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
  const [chosen, setChosen] = useState<MergeSuggestion | null>(null)
  if (suggestions.length === 0) return null

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
        <MergeConfirm
          key={chosen.id}
          customer={customer}
          other={chosen}
          conversationId={conversationId}
          onCancel={() => setChosen(null)}
          onMerged={() => setChosen(null)}
        />
      )}
    </div>
  )
}
