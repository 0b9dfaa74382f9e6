import type { ReactNode } from 'react'
import { CopyButton } from './CopyButton'

/** A link or secret the server answers once: shown here until dismissed, then gone for good. */
export function OneTimeSecret({ title, value, children, onDone }: { title: string; value: string; children: ReactNode; onDone: () => void }) {
  return (
    <section className="one-time-secret" aria-label={title}>
      <strong>{title}</strong>
      <div className="one-time-secret-value">
        <code>{value}</code>
        <CopyButton value={value} />
      </div>
      <p className="one-time-secret-note">{children}</p>
      <div className="form-actions">
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  )
}
