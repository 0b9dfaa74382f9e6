import { teamLimitableScopes, tokensApi, tokenScopeLabels, tokenScopes, type TokenScope } from '@carebox/shared'
import { useState, type FormEvent } from 'react'
import { call } from '../../api/http'
import { useStore } from '../../store/store'
import { TeamCheckboxes } from './TeamCheckboxes'

export function TokenForm({ onCreated, onCancel }: { onCreated: (name: string, secret: string) => void; onCancel: () => void }) {
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<TokenScope[]>([])
  const [isLimited, setLimited] = useState(false)
  const [teamIds, setTeamIds] = useState<string[]>([])
  const [error, setError] = useState<string | null>(null)
  const [isSaving, setSaving] = useState(false)

  const toggle = (scope: TokenScope, isChecked: boolean) => setScopes(isChecked ? [...scopes, scope] : scopes.filter((s) => s !== scope))

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (scopes.filter((scope) => !isLimited || teamLimitableScopes.includes(scope)).length === 0) {
      setError('Choose at least one scope.')
      return
    }
    if (isLimited && teamIds.length === 0) {
      setError('Choose at least one team, or let the token reach every team.')
      return
    }
    setSaving(true)
    try {
      const chosen = isLimited ? scopes.filter((scope) => teamLimitableScopes.includes(scope)) : scopes
      const body = { name: name.trim(), scopes: chosen, ...(isLimited && { teamIds }) }
      // Called here rather than through the tokens slice, whose createToken does not take teams yet; the list is
      // updated the same way it does.
      const { token, secret } = await call(tokensApi.create, { body })
      useStore.setState((s) => ({ tokens: [token, ...(s.tokens ?? [])] }))
      onCreated(body.name, secret)
    } catch (failure) {
      setError((failure as Error).message)
    } finally {
      setSaving(false)
    }
  }

  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)} aria-label="Create a token">
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} placeholder="e.g. CRM sync" />
      </label>
      <fieldset className="checkbox-list">
        <legend>Scopes</legend>
        {tokenScopes.map((scope) => {
          // These reach every team: not offered to a token limited to some.
          const isUnavailable = isLimited && !teamLimitableScopes.includes(scope)
          return (
            <label key={scope} title={isUnavailable ? 'Reaches every team: not for a token limited to teams' : undefined}>
              <input
                type="checkbox"
                disabled={isUnavailable}
                checked={scopes.includes(scope) && !isUnavailable}
                onChange={(e) => toggle(scope, e.target.checked)}
              />
              {tokenScopeLabels[scope]}
            </label>
          )
        })}
      </fieldset>
      <fieldset className="checkbox-list">
        <legend>Teams it may reach</legend>
        <label>
          <input type="radio" name="token-teams" checked={!isLimited} onChange={() => setLimited(false)} />
          Every team
        </label>
        <label>
          <input type="radio" name="token-teams" checked={isLimited} onChange={() => setLimited(true)} />
          Only the teams chosen below: their conversations and customers
        </label>
      </fieldset>
      {isLimited && <TeamCheckboxes selected={teamIds} onChange={setTeamIds} />}
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
