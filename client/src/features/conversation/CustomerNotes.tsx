import type { CustomerPanel } from '@carebox/shared'
import { useState, type FormEvent } from 'react'
import { MessageText } from '../../components/MessageText'
import { RelativeTime } from '../../components/RelativeTime'
import { useStore } from '../../store/store'

const maxNoteLength = 2000

/** Notes about the customer, seen beside every conversation with them; newest first. */
export function CustomerNotes({ contactId, notes }: { contactId: string; notes: CustomerPanel['notes'] }) {
  const addNote = useStore((s) => s.addCustomerNote)
  const [text, setText] = useState('')
  const [isSaving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (text.trim() === '' || isSaving) return
    setSaving(true)
    const failure = await addNote(contactId, text.trim())
    setSaving(false)
    setError(failure)
    if (!failure) setText('')
  }

  return (
    <section className="customer-section">
      <h3>Notes</h3>
      <form className="customer-note-form" onSubmit={(event) => void submit(event)}>
        <textarea
          aria-label="Note about the customer"
          placeholder="Something teammates should know…"
          maxLength={maxNoteLength}
          rows={2}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" disabled={text.trim() === '' || isSaving}>
          {isSaving ? 'Saving…' : 'Save note'}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          Note not saved: {error}
        </p>
      )}
      {notes.length > 0 && (
        <ul className="customer-notes" aria-label="Notes about the customer">
          {notes.map((note) => (
            <li key={note.id}>
              <MessageText text={note.text} className="customer-note-text" />
              <span className="muted">
                <bdi>{note.author?.name ?? 'Someone'}</bdi> · <RelativeTime at={note.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
