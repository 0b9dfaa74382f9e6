/** A teammate answered since this thread was last seen: send the reply all the same, or stop to read theirs. */
export function CrossingNotice({ question, onSendAnyway, onCancel }: { question: string; onSendAnyway: () => void; onCancel: () => void }) {
  return (
    <div role="alert" className="crossing-notice">
      <span>{question}</span>
      <span className="crossing-actions">
        <button type="button" className="primary" onClick={onSendAnyway}>
          Send anyway
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </span>
    </div>
  )
}
