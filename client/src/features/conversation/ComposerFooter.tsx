import { useId, type ReactNode } from 'react'
import type { ComposerMode, Draft } from '../../store/drafts.slice'
import { counterLabel, maxBodyLength, type DraftCheck } from './composer-rules'

const pickerHints: Record<ComposerMode, string> = { reply: '/ for canned replies', note: '@ to mention a teammate' }

/**
 * Under the text box: Attach, the length against the limit, why it was not sent, the keys, a template (WhatsApp),
 * and Send (with what it waits for, if anything).
 */
export function ComposerFooter({
  mode,
  check,
  draft,
  canSend,
  sendHold = null,
  onPickTemplate,
  onSendAndResolve,
  attach,
}: {
  mode: ComposerMode
  check: DraftCheck
  draft: Draft
  canSend: boolean
  /** What Send waits for (a file still uploading), said beside it; null when nothing. */
  sendHold?: string | null
  /** Offered where a template can be sent instead of free text. */
  onPickTemplate?: () => void
  /** Offered for a reply in a conversation not yet resolved: sends it, then resolves and opens the next one. */
  onSendAndResolve?: () => void
  /** The Attach button, where files can be offered. */
  attach?: ReactNode
}) {
  const counter = counterLabel(check)
  const holdId = useId()
  return (
    <div className="composer-footer">
      {attach}
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
      <span className="composer-keys muted">
        Ctrl+Enter to send{onSendAndResolve && ' · Ctrl+Shift+Enter to send and resolve'} · {pickerHints[mode]}
      </span>
      {onPickTemplate && (
        <button type="button" className="composer-template" onClick={onPickTemplate}>
          Template
        </button>
      )}
      {sendHold && (
        <span id={holdId} className="composer-hold muted">
          {sendHold}
        </span>
      )}
      <button type="submit" className="primary" disabled={!canSend} aria-describedby={sendHold ? holdId : undefined}>
        {draft.isSending ? 'Sending…' : mode === 'reply' ? 'Send' : 'Add note'}
      </button>
      {onSendAndResolve && (
        <button
          type="button"
          className="composer-send-resolve"
          disabled={!canSend}
          aria-keyshortcuts="Control+Shift+Enter Meta+Shift+Enter"
          aria-describedby={sendHold ? holdId : undefined}
          onClick={onSendAndResolve}
        >
          Send and resolve
        </button>
      )}
    </div>
  )
}
