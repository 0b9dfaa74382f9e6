import { tokenScopeLabels, tokenScopes, type TokenScope } from '@carebox/shared'
import { useState, type FormEvent } from 'react'
import { useStore } from '../../store/store'

export function TokenForm({ onCreated, onCancel }: { onCreated: (name: string, secret: string) => void; onCancel: () => void }) {
  const create = useStore((s) => s.createToken)
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<TokenScope[]>([])
  const [error, setError] = useState<string | null>(null)
  const [isSaving, setSaving] = useState(false)

  const toggle = (scope: TokenScope, isChecked: boolean) => setScopes(isChecked ? [...scopes, scope] : scopes.filter((s) => s !== scope))

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (scopes.length === 0) {
      setError('Choose at least one scope.')
      return
    }
    setSaving(true)
    const outcome = await create(name.trim(), scopes)
    setSaving(false)
    if (outcome.ok) onCreated(name.trim(), outcome.value)
    else setError(outcome.error)
  }

  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)} aria-label="Create a token">
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} placeholder="e.g. CRM sync" />
      </label>
      <fieldset className="checkbox-list">
        <legend>Scopes</legend>
        {tokenScopes.map((scope) => (
          <label key={scope}>
            <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => toggle(scope, e.target.checked)} />
            {tokenScopeLabels[scope]}
          </label>
        ))}
      </fieldset>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={isSaving}>
          Create token
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
