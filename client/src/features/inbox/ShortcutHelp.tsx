import { useEffect, useRef } from 'react'
import { useStore } from '../../store/store'
import { shortcuts } from './shortcuts'

/** The list of keyboard shortcuts, opened with "?". */
export function ShortcutHelp() {
  const close = useStore((s) => s.setShortcutHelpOpen)
  const closeButton = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    const previous = document.activeElement
    closeButton.current?.focus()
    return () => {
      if (previous instanceof HTMLElement) previous.focus()
    }
  }, [])

  return (
    <div className="dialog-backdrop" onClick={() => close(false)}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" onClick={(event) => event.stopPropagation()}>
        <div className="panel-head">
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          <button type="button" ref={closeButton} onClick={() => close(false)}>
            Close
          </button>
        </div>
        <dl className="shortcut-list">
          {shortcuts.map((s) => (
            <div key={s.keys}>
              <dt>
                <kbd>{s.keys}</kbd>
              </dt>
              <dd>{s.does}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  )
}
