import { useState, type FormEvent } from 'react'

/** The keys whose values differ between two drafts built the same way (so comparing their JSON is fair). */
export function changedKeys<D extends object>(before: D, draft: D, keys: readonly (keyof D)[]): Partial<D> {
  return Object.fromEntries(keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(draft[key])).map((key) => [key, draft[key]])) as Partial<D>
}

/**
 * A form that adds a thing or edits one: its fields, the draft they make (or why they make none), and saving
 * it, sending only what changed when editing. `save` resolves with an error message to show, or null.
 */
export function useEditForm<F, D extends object>(options: {
  /** The fields as the thing stands (memoised by the caller), or empty when adding. */
  initial: F
  /** The thing edited: its id, or undefined when adding. */
  editingId: string | undefined
  draftOf: (fields: F) => D | { error: string }
  keys: readonly (keyof D)[]
  create: (draft: D) => Promise<string | null>
  update: (id: string, changes: Partial<D>) => Promise<string | null>
  onDone: () => void
}) {
  const { initial, editingId, draftOf, keys, create, update, onDone } = options
  const [fields, setFields] = useState(initial)
  const [error, setError] = useState<string | null>(null)
  const [isSaving, setSaving] = useState(false)
  const set = <K extends keyof F>(key: K, value: F[K]) => setFields((f) => ({ ...f, [key]: value }))

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const draft = draftOf(fields)
    if ('error' in draft) {
      setError(draft.error)
      return
    }
    const before = draftOf(initial)
    const changes = editingId !== undefined && !('error' in before) ? changedKeys(before, draft, keys) : draft
    if (editingId !== undefined && Object.keys(changes).length === 0) {
      onDone()
      return
    }
    setSaving(true)
    const failure = editingId !== undefined ? await update(editingId, changes) : await create(draft)
    setSaving(false)
    if (failure) setError(failure)
    else onDone()
  }

  return { fields, setFields, set, error, isSaving, submit }
}
