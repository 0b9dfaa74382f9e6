import { tokenScopeLabels, type ApiToken } from '@carebox/shared'
import { useState } from 'react'
import { ConfirmButton } from '../../components/ConfirmButton'
import { RelativeTime } from '../../components/RelativeTime'
import { useStore } from '../../store/store'
import { teamNames } from './teamNames'

export function TokenRow({ token }: { token: ApiToken }) {
  const revoke = useStore((s) => s.revokeToken)
  const teams = useStore((s) => s.teams)
  const [error, setError] = useState<string | null>(null)
  return (
    <tr aria-label={token.name} className={token.revokedAt ? 'inactive' : undefined}>
      <td>{token.name}</td>
      <td>
        <code>{token.prefix}…</code>
      </td>
      <td>
        <ul className="scope-list">
          {token.scopes.map((scope) => (
            <li key={scope} title={scope}>
              {tokenScopeLabels[scope]}
            </li>
          ))}
        </ul>
      </td>
      <td>{token.teamIds ? teamNames(token.teamIds, teams) : <span className="muted">Every team</span>}</td>
      <td>
        <RelativeTime at={token.createdAt} />
      </td>
      <td>{token.lastUsedAt ? <RelativeTime at={token.lastUsedAt} /> : <span className="muted">never</span>}</td>
      <td>
        {token.revokedAt ? (
          <span className="pill">
            Revoked <RelativeTime at={token.revokedAt} />
          </span>
        ) : (
          <span className="pill pill-on">Active</span>
        )}
      </td>
      <td>
        <div className="row-actions">
          {!token.revokedAt && (
            <ConfirmButton
              label="Revoke"
              question={`Revoke ${token.name}? Integrations using it stop working at once.`}
              confirmLabel="Yes, revoke"
              onConfirm={() => void revoke(token.id).then(setError)}
            />
          )}
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
        </div>
      </td>
    </tr>
  )
}
