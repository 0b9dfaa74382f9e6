import type { ContactCrm } from '@carebox/shared'
import { useState, type FormEvent } from 'react'
import { useStore } from '../../store/store'

/** Edits the customer's email and phone; the server normalises both (the phone needs its +country code). */
export function CustomerKeysForm({ crm, onDone }: { crm: ContactCrm; onDone: () => void }) {
  const save = useStore((s) => s.updateCustomerKeys)
  const [email, setEmail] = useState(crm.email ?? '')
  const [phone, setPhone] = useState(crm.phone ?? '')
  const [error, setError] = useState<string | null>(null)
  const [isSaving, setSaving] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setSaving(true)
    const failure = await save(crm.contactId, { email: email.trim() || null, phone: phone.trim() || null })
    setSaving(false)
    if (failure) setError(failure)
    else onDone()
  }

  return (
    <form className="customer-note-form" aria-label="Email and phone" onSubmit={(event) => void submit(event)}>
      <label>
        Email
        <input type="email" value={email} maxLength={254} onChange={(event) => setEmail(event.target.value)} placeholder="name@example.com" />
      </label>
      <label>
        Phone
        <input type="tel" value={phone} maxLength={40} onChange={(event) => setPhone(event.target.value)} placeholder="+44 20 7946 0958" />
      </label>
      {error && (
        <p role="alert" className="error">
          Not saved: {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={isSaving}>
          {isSaving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}
