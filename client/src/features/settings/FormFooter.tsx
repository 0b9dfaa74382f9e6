/** The end of a settings form that adds or edits: why it was refused, then save (or add) and cancel. */
export function FormFooter({
  error,
  errorClassName,
  isSaving,
  submitLabel,
  onCancel,
}: {
  error: string | null
  /** Where the message sits in the form's grid (its wide column). */
  errorClassName: string
  isSaving: boolean
  submitLabel: string
  onCancel: () => void
}) {
  return (
    <>
      {error && (
        <p role="alert" className={`error ${errorClassName}`}>
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={isSaving}>
          {submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  )
}
