import { useEffect, useState } from 'react'
import { OneTimeSecret } from '../../components/OneTimeSecret'
import { useStore } from '../../store/store'
import { TokenForm } from './TokenForm'
import { TokenRow } from './TokenRow'

export function TokensPanel() {
  const tokens = useStore((s) => s.tokens)
  const error = useStore((s) => s.tokensError)
  const load = useStore((s) => s.loadTokens)
  // For the teams a token may be limited to, and their names in the list.
  const loadTeams = useStore((s) => s.loadTeams)
  const [isCreating, setCreating] = useState(false)
  // The secret is answered once: it lives in this component only, and is gone once dismissed.
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null)

  useEffect(() => {
    void load()
    void loadTeams()
  }, [load, loadTeams])

  return (
    <section className="panel" aria-labelledby="tokens-heading">
      <div className="panel-head">
        <h2 id="tokens-heading">API tokens</h2>
        {!isCreating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            Create a token
          </button>
        )}
      </div>
      <p className="muted">
        For integrations calling the Carebox API. A token can do only what its scopes allow, and, when limited to teams, only with those teams’ conversations
        and customers.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {secret && (
        <OneTimeSecret title={`Secret of ${secret.name}`} value={secret.value} onDone={() => setSecret(null)}>
          <strong>Copy it now: it won’t be shown again.</strong> Anyone holding it can act with this token’s scopes.
        </OneTimeSecret>
      )}
      {isCreating && (
        <TokenForm
          onCancel={() => setCreating(false)}
          onCreated={(name, value) => {
            setCreating(false)
            setSecret({ name, value })
          }}
        />
      )}
      {tokens === null ? (
        <p className="muted">Loading…</p>
      ) : tokens.length === 0 ? (
        <p className="muted">No tokens yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" aria-label="API tokens">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Scopes</th>
                <th scope="col">Teams</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <TokenRow key={token.id} token={token} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
