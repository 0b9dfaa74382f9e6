import { useEffect, useId, useRef, useState } from 'react'
import { definitions, type MetricId } from './definitions'

/**
 * A round "?" button: how a figure is computed, a click away from it, in the words of the metrics spec and then Carebox's own.
 * A plain question mark drawn in a CSS circle, because symbol glyphs such as "ⓘ" are missing from many systems'
 * default fonts and render as an empty box.
 */
export function DefinitionButton({ metric }: { metric: MetricId }) {
  const definition = definitions[metric]
  const [isOpen, setOpen] = useState(false)
  const panelId = useId()
  const buttonRef = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!isOpen) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      setOpen(false)
      buttonRef.current?.focus()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [isOpen])

  return (
    <span className="definition">
      <button
        ref={buttonRef}
        type="button"
        className="definition-button"
        aria-expanded={isOpen}
        aria-controls={isOpen ? panelId : undefined}
        title="How is this computed?"
        onClick={() => setOpen((open) => !open)}
      >
        <span aria-hidden="true">?</span>
        <span className="visually-hidden">How is {definition.title} computed?</span>
      </button>
      {isOpen && (
        <div id={panelId} role="dialog" aria-label={definition.title} className="definition-panel">
          <h3>{definition.title}</h3>
          {definition.spec.length > 0 && (
            <blockquote className="definition-spec" aria-label="Definition">
              {definition.spec.map((sentence) => (
                <p key={sentence}>{sentence}</p>
              ))}
            </blockquote>
          )}
          {definition.carebox.map((sentence) => (
            <p key={sentence} className="definition-carebox">
              {sentence}
            </p>
          ))}
          <button type="button" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
      )}
    </span>
  )
}
