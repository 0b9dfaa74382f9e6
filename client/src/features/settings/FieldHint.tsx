import type { FieldHint as Hint } from './channel-field-help'

/** The sentence under a form field, tied to it by `id` (the field's aria-describedby). Links open the platform's page. */
export function FieldHint({ id, hint }: { id: string; hint: Hint }) {
  return (
    <span id={id} className="muted field-hint">
      {hint.text}
      {hint.link && (
        <>
          {' '}
          <a href={hint.link.href} target="_blank" rel="noreferrer">
            {hint.link.label}
          </a>
        </>
      )}
    </span>
  )
}
