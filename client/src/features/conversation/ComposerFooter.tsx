import type { ComposerMode, Draft } from '../../store/drafts.slice'
import { counterLabel, maxBodyLength, type DraftCheck } from './composer-rules'

const pickerHints: Record<ComposerMode, string> = { reply: '/ for canned replies', note: '@ to mention a teammate' }

/** Under the text box: its length against the limit, why it was not sent, the keys, a template (WhatsApp), and Send. */
export function ComposerFooter({
  mode,
  check,
  draft,
  canSend,
  onPickTemplate,
}: {
  mode: ComposerMode
  check: DraftCheck
  draft: Draft
  canSend: boolean
  /** Offered where a template can be sent instead of free text. */
  onPickTemplate?: () => void
}) {
  const counter = counterLabel(check)
  return (
    <div className="composer-footer">
      {counter && (
        <span className={check.isOverLimit ? 'counter counter-over' : 'counter'} title="Length as the platform counts it / its limit">
          {counter}
        </span>
      )}
      {mode === 'note' && check.isOverLimit && <span className="error">Notes are at most {maxBodyLength} characters.</span>}
      {draft.error && (
        <span role="alert" className="error">
          Not sent: {draft.error}
        </span>
      )}
      <span className="composer-keys muted">Ctrl+Enter to send · {pickerHints[mode]}</span>
      {onPickTemplate && (
        <button type="button" className="composer-template" onClick={onPickTemplate}>
          Template
        </button>
      )}
      <button type="submit" className="primary" disabled={!canSend}>
        {draft.isSending ? 'Sending…' : mode === 'reply' ? 'Send' : 'Add note'}
      </button>
    </div>
  )
}
