import type { CustomerPanel } from '@carebox/shared'
import { useEffect, useState } from 'react'
import { customerLabel } from '../../components/contactName'
import { minContactQueryLength, type ContactMatchItem } from '../../store/contact-search.slice'
import { useStore } from '../../store/store'
import { MergeConfirm } from './MergeConfirm'

const debounceMs = 300

/** Finds the same person under another contact (say on another channel), and merges them here once confirmed. */
export function MergeSearch({ conversationId, customer, onClose }: { conversationId: string; customer: CustomerPanel; onClose: () => void }) {
  const search = useStore((s) => s.searchContacts)
  const clear = useStore((s) => s.clearContactSearch)
  const found = useStore((s) => s.contactSearch)
  const [q, setQ] = useState('')
  const [chosen, setChosen] = useState<ContactMatchItem | null>(null)

  useEffect(() => {
    const timer = setTimeout(() => void search(q), debounceMs)
    return () => clearTimeout(timer)
  }, [q, search])
  useEffect(() => clear, [clear])

  const matches = (found?.items ?? []).filter((m) => m.id !== customer.id)
  const isShort = q.trim().length < minContactQueryLength

  return (
    <div className="merge-search" role="group" aria-label="Merge with another customer">
      <input type="search" aria-label="Find a customer" placeholder="Name or handle" value={q} onChange={(event) => setQ(event.target.value)} />
      {isShort ? (
        <p className="muted">Type at least {minContactQueryLength} characters of a name or handle.</p>
      ) : found?.error ? (
        <p role="alert" className="error">
          Could not search: {found.error}
        </p>
      ) : !found?.items ? (
        <p className="muted">Searching…</p>
      ) : matches.length === 0 ? (
        <p className="muted">No other customer matches.</p>
      ) : (
        <ul className="merge-matches" aria-label="Matching customers">
          {matches.map((match) => (
            <li key={match.id}>
              <span className="merge-text">
                <bdi>{customerLabel(match)}</bdi>
                {match.name && match.handle && (
                  <span className="muted">
                    <bdi>{match.handle}</bdi>
                  </span>
                )}
                <span className="muted">{match.channels.join(', ')}</span>
              </span>
              <button type="button" aria-label={`Merge ${customerLabel(match)}`} onClick={() => setChosen(match)}>
                Merge…
              </button>
            </li>
          ))}
        </ul>
      )}
      {chosen && (
        <MergeConfirm key={chosen.id} customer={customer} other={chosen} conversationId={conversationId} onCancel={() => setChosen(null)} onMerged={onClose} />
      )}
      <button type="button" className="link" onClick={onClose}>
        Close
      </button>
    </div>
  )
}
