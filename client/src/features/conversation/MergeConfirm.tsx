import type { CustomerPanel } from '@carebox/shared'
import { useState } from 'react'
import { customerLabel } from '../../components/contactName'
import { useStore } from '../../store/store'

/**
 * "Merge X into Y?": the one confirmation every merge goes through (found by searching or suggested), then the
 * merge itself, or why it was refused. Keyed by the other customer, so choosing another starts afresh.
 */
export function MergeConfirm({
  customer,
  other,
  conversationId,
  onCancel,
  onMerged,
}: {
  customer: CustomerPanel
  other: { id: string; name: string | null; handle: string | null }
  conversationId: string
  onCancel: () => void
  onMerged: () => void
}) {
  const merge = useStore((s) => s.mergeCustomer)
  const [isMerging, setMerging] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const confirm = async () => {
    setMerging(true)
    const failure = await merge(customer.id, other.id, conversationId)
    setMerging(false)
    setError(failure)
    if (!failure) onMerged()
  }

  return (
    <>
      <div className="merge-confirm" role="group" aria-label="Confirm the merge">
        <p>
          Merge <bdi>{customerLabel(other)}</bdi> into <bdi>{customerLabel(customer)}</bdi>? Their identities, conversations and notes move here. You can undo
          it.
        </p>
        <button type="button" className="primary" disabled={isMerging} onClick={() => void confirm()}>
          {isMerging ? 'Merging…' : 'Merge'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          Not merged: {error}
        </p>
      )}
    </>
  )
}
