import { useEffect, useRef, useState } from 'react'

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
  const labelButton = useRef<HTMLButtonElement>(null)
  const confirmButton = useRef<HTMLButtonElement>(null)
  // The button pressed goes away: focus follows to the question and back, or a keyboard user is left on the page's start.
  const hasFocusToMove = useRef(false)
  useEffect(() => {
    if (!hasFocusToMove.current) return
    hasFocusToMove.current = false
    const target = isAsking ? confirmButton.current : labelButton.current
    target?.focus()
  }, [isAsking])
  const ask = (next: boolean) => {
    hasFocusToMove.current = true
    setAsking(next)
  }
  if (!isAsking) {
    return (
      <button type="button" ref={labelButton} disabled={disabled} onClick={() => ask(true)}>
        {label}
      </button>
    )
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button
        type="button"
        ref={confirmButton}
        className={isDangerous ? 'danger' : 'primary'}
        onClick={() => {
          ask(false)
          onConfirm()
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => ask(false)}>
        Cancel
      </button>
    </span>
  )
}
