import { useState } from 'react'

/** A button that asks before it acts, inline: for what cannot be undone or cuts someone off. */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  disabled,
  isDangerous = true,
  onConfirm,
}: {
  label: string
  question: string
  confirmLabel: string
  disabled?: boolean
  /** Whether confirming takes something away (access, a credential); shown as a danger button. */
  isDangerous?: boolean
  onConfirm: () => void
}) {
  const [isAsking, setAsking] = useState(false)
  if (!isAsking) {
    return (
      <button type="button" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    )
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button
        type="button"
        className={isDangerous ? 'danger' : 'primary'}
        onClick={() => {
          setAsking(false)
          onConfirm()
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  )
}
