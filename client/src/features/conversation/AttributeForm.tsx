import { useState, type FormEvent } from 'react'
import { attributeProblem, maxAttributeKeyLength, maxAttributeValueLength } from './attribute-rules'

/** Adds an attribute: a name not used yet, and its value. */
export function AttributeForm({ attributes, onAdd }: { attributes: Record<string, string>; onAdd: (key: string, value: string) => Promise<boolean> }) {
  const [key, setKey] = useState('')
  const [value, setValue] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const name = key.trim()
    const found = attributeProblem(name, value, attributes)
    setProblem(found)
    if (found || !(await onAdd(name, value.trim()))) return
    setKey('')
    setValue('')
  }
  return (
    <form className="attribute-form" onSubmit={(event) => void submit(event)}>
      <input aria-label="Attribute name" placeholder="Name" maxLength={maxAttributeKeyLength} value={key} onChange={(event) => setKey(event.target.value)} />
      <input
        aria-label="Attribute value"
        placeholder="Value"
        maxLength={maxAttributeValueLength}
        value={value}
        onChange={(event) => setValue(event.target.value)}
      />
      <button type="submit" disabled={key.trim() === ''}>
        Add attribute
      </button>
      {problem && (
        <p role="alert" className="error attribute-problem">
          {problem}
        </p>
      )}
    </form>
  )
}
