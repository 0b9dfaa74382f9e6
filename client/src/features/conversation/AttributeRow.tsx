import { useState, type FormEvent } from 'react'
import { maxAttributeValueLength } from './attribute-rules'

/** One attribute: its name and value, edited in place or removed. */
export function AttributeRow({
  name,
  value,
  onSave,
  onRemove,
}: {
  name: string
  value: string
  onSave: (value: string) => Promise<boolean>
  onRemove: () => void
}) {
  const [editing, setEditing] = useState<string | null>(null)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (editing === null || editing.trim() === '') return
    if (await onSave(editing)) setEditing(null)
  }
  if (editing !== null) {
    return (
      <li className="attribute-row">
        <form className="attribute-edit" onSubmit={(event) => void submit(event)}>
          <span className="attribute-name">{name}</span>
          <input aria-label={`Value of ${name}`} maxLength={maxAttributeValueLength} value={editing} onChange={(event) => setEditing(event.target.value)} />
          <button type="submit" disabled={editing.trim() === ''}>
            Save
          </button>
          <button type="button" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </form>
      </li>
    )
  }
  return (
    <li className="attribute-row">
      <span className="attribute-name">{name}</span>
      <bdi className="attribute-value">{value}</bdi>
      <span className="attribute-actions">
        <button type="button" className="link" aria-label={`Edit ${name}`} onClick={() => setEditing(value)}>
          Edit
        </button>
        <button type="button" className="link" aria-label={`Remove ${name}`} onClick={onRemove}>
          Remove
        </button>
      </span>
    </li>
  )
}
