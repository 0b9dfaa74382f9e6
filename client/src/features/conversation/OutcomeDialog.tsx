import { outcomeKindLabels, type ConversationAttribution, type OutcomeKind } from '@carebox/shared'
import { useId, useState, type FormEvent } from 'react'
import { Dialog } from '../../components/Dialog'
import { useStore } from '../../store/store'
import { checkOutcome, type OutcomeDraft } from './outcome-text'

/**
 * Records what the conversation led to: a lead, or a purchase with its value. One of each per conversation, as Meta
 * counts them; a kind already recorded cannot be chosen again.
 */
export function OutcomeDialog({
  conversationId,
  attribution,
  onClose,
}: {
  conversationId: string
  attribution: ConversationAttribution | undefined
  onClose: () => void
}) {
  const record = useStore((s) => s.recordOutcome)
  const recorded = new Set(attribution?.outcomes.map((outcome) => outcome.kind))
  const firstFree: OutcomeKind = recorded.has('lead') && !recorded.has('purchase') ? 'purchase' : 'lead'
  const [draft, setDraft] = useState<OutcomeDraft>({ kind: firstFree, value: '', currency: '' })
  const [error, setError] = useState<string | null>(null)
  const [isSaving, setSaving] = useState(false)
  const ids = useId()
  const isFull = recorded.has('lead') && recorded.has('purchase')

  const edit = (next: Partial<OutcomeDraft>) => {
    setDraft({ ...draft, ...next })
    setError(null)
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const checked = checkOutcome(draft)
    if ('error' in checked) {
      setError(checked.error)
      return
    }
    setSaving(true)
    const refusal = await record(conversationId, checked.body)
    setSaving(false)
    if (refusal) setError(refusal)
    else onClose()
  }

  return (
    <Dialog title="Record outcome" onClose={onClose} className="outcome-dialog">
      <form className="outcome-form" aria-label="Outcome" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset>
          <legend>What did the conversation lead to?</legend>
          {(['lead', 'purchase'] as const).map((kind) => (
            <label key={kind}>
              <input
                type="radio"
                name={`${ids}-kind`}
                value={kind}
                checked={draft.kind === kind}
                disabled={recorded.has(kind)}
                onChange={() => edit({ kind })}
              />{' '}
              {outcomeKindLabels[kind]}
              {recorded.has(kind) && <span className="muted"> (already recorded)</span>}
            </label>
          ))}
        </fieldset>
        {draft.kind === 'purchase' && (
          <div className="outcome-amount">
            <label>
              Value
              <input inputMode="decimal" autoComplete="off" value={draft.value} onChange={(e) => edit({ value: e.target.value })} placeholder="129.90" />
            </label>
            <label>
              Currency
              <input
                autoComplete="off"
                maxLength={3}
                value={draft.currency}
                onChange={(e) => edit({ currency: e.target.value.toUpperCase() })}
                placeholder="EUR"
                aria-describedby={`${ids}-currency`}
              />
            </label>
            <span id={`${ids}-currency`} className="muted">
              Three letters: EUR, USD, GBP…
            </span>
          </div>
        )}
        {attribution?.sendsConversions && <p className="muted">Carebox reports it to Meta, which credits the ad the customer came from.</p>}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={isSaving || isFull}>
            {isSaving ? 'Recording…' : 'Record'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  )
}
