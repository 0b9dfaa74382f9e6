import { useEffect, useId, useRef, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react'
import './dialog.css'

const focusable = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])'

function focusablesIn(panel: HTMLElement): HTMLElement[] {
  return [...panel.querySelectorAll<HTMLElement>(focusable)].filter((el) => !el.hasAttribute('disabled'))
}

/**
 * A modal dialog: focus moves in (to what its content focuses, else its first control), Tab stays inside, Escape or a
 * click beside it closes it, and focus goes back to where it was. Keys pressed in it never reach the page's shortcuts.
 */
export function Dialog({ title, onClose, className, children }: { title: string; onClose: () => void; className?: string; children: ReactNode }) {
  const titleId = useId()
  const panel = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const previous = document.activeElement
    const current = panel.current
    // The content's own effects ran first: leave the focus where they put it.
    if (current && !current.contains(document.activeElement)) (focusablesIn(current)[0] ?? current).focus()
    return () => {
      if (previous instanceof HTMLElement && previous.isConnected) previous.focus()
    }
  }, [])

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Behind a modal dialog the inbox's single-key shortcuts (e, s, j…) must not act.
    event.stopPropagation()
    if (event.key === 'Escape') {
      event.preventDefault()
      onClose()
      return
    }
    if (event.key !== 'Tab' || !panel.current) return
    const items = focusablesIn(panel.current)
    const first = items[0]
    const last = items.at(-1)
    if (!first || !last) return
    const active = document.activeElement
    if (event.shiftKey && (active === first || active === panel.current)) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && active === last) {
      event.preventDefault()
      first.focus()
    }
  }
  const onBackdropClick = (event: MouseEvent<HTMLDivElement>) => {
    if (event.target === event.currentTarget) onClose()
  }

  return (
    <div className="modal-backdrop" onClick={onBackdropClick} onKeyDown={onKeyDown}>
      <div ref={panel} className={className ? `modal ${className}` : 'modal'} role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1}>
        <div className="modal-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
        {children}
      </div>
    </div>
  )
}
