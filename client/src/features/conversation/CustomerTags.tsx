import { useState } from 'react'
import { TagsEditor } from '../../components/TagsEditor'
import { useStore } from '../../store/store'

/** The customer's tags, kept across all their conversations. */
export function CustomerTags({ contactId, tags }: { contactId: string; tags: string[] }) {
  const update = useStore((s) => s.updateCustomer)
  const [error, setError] = useState<string | null>(null)
  const change = async (next: string[]) => setError(await update(contactId, { tags: next }))
  return (
    <section className="customer-section">
      <h3>Tags</h3>
      <TagsEditor tags={tags} label="Customer tags" inputLabel="Add a customer tag" onChange={(next) => void change(next)} />
      {error && (
        <p role="alert" className="error">
          Tags not saved: {error}
        </p>
      )}
    </section>
  )
}
