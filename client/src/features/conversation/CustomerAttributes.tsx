import { useState } from 'react'
import { useStore } from '../../store/store'
import { AttributeForm } from './AttributeForm'
import { AttributeRow } from './AttributeRow'
import { maxAttributes, withAttribute } from './attribute-rules'

/** Custom attributes the team keeps about the customer (plan, order number…): each change saves the whole set. */
export function CustomerAttributes({ contactId, attributes }: { contactId: string; attributes: Record<string, string> }) {
  const update = useStore((s) => s.updateCustomer)
  const [error, setError] = useState<string | null>(null)
  const save = async (key: string, value: string | null): Promise<boolean> => {
    const failure = await update(contactId, { attributes: withAttribute(attributes, key, value) })
    setError(failure)
    return failure === null
  }
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b))
  return (
    <section className="customer-section">
      <h3>Attributes</h3>
      {entries.length > 0 && (
        <ul className="customer-attributes" aria-label="Attributes">
          {entries.map(([key, value]) => (
            <AttributeRow key={key} name={key} value={value} onSave={(next) => save(key, next)} onRemove={() => void save(key, null)} />
          ))}
        </ul>
      )}
      {entries.length < maxAttributes && <AttributeForm attributes={attributes} onAdd={save} />}
      {error && (
        <p role="alert" className="error">
          Attributes not saved: {error}
        </p>
      )}
    </section>
  )
}
