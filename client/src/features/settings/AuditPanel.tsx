import { useEffect, useState, type FormEvent } from 'react'
import { noAuditFilters, type AuditFilters } from '../../store/audit.slice'
import { useStore } from '../../store/store'
import { AuditRow } from './AuditRow'
import './audit.css'

const hasFilters = (filters: AuditFilters) => Object.values(filters).some((value) => value !== '')

export function AuditPanel() {
  const entries = useStore((s) => s.auditEntries)
  const nextCursor = useStore((s) => s.auditNextCursor)
  const applied = useStore((s) => s.auditFilters)
  const facets = useStore((s) => s.auditFacets)
  const error = useStore((s) => s.auditError)
  const isLoading = useStore((s) => s.isLoadingAudit)
  const load = useStore((s) => s.loadAudit)
  const loadOlder = useStore((s) => s.loadOlderAudit)
  const loadFacets = useStore((s) => s.loadAuditFacets)
  const [filters, setFilters] = useState<AuditFilters>(noAuditFilters)
  const [filterError, setFilterError] = useState<string | null>(null)

  useEffect(() => {
    void load(noAuditFilters)
    void loadFacets()
  }, [load, loadFacets])

  const change = (field: keyof AuditFilters) => (event: { target: { value: string } }) => setFilters((f) => ({ ...f, [field]: event.target.value }))

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (filters.from && filters.to && filters.from > filters.to) {
      setFilterError('The “from” day is after the “to” day.')
      return
    }
    setFilterError(null)
    void load(filters)
  }

  const clear = () => {
    setFilters(noAuditFilters)
    setFilterError(null)
    void load(noAuditFilters)
  }

  const users = facets?.actors.filter((actor) => actor.kind === 'user') ?? []
  const tokens = facets?.actors.filter((actor) => actor.kind === 'token') ?? []
  return (
    <section className="panel" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <form className="inline-form audit-filters" onSubmit={submit} aria-label="Filter the audit log">
        <label>
          Who
          <select value={filters.actor} onChange={change('actor')}>
            <option value="">Anyone</option>
            <option value="system">No one signed in (Carebox, failed sign-ins)</option>
            {users.length > 0 && (
              <optgroup label="People">
                {users.map((user) => (
                  <option key={user.id} value={user.id}>
                    {user.name}
                    {user.email ? ` (${user.email})` : ''}
                  </option>
                ))}
              </optgroup>
            )}
            {tokens.length > 0 && (
              <optgroup label="API tokens">
                {tokens.map((token) => (
                  <option key={token.id} value={token.id}>
                    {token.name}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </label>
        <label>
          Action
          <select value={filters.action} onChange={change('action')}>
            <option value="">Any action</option>
            {facets?.actions.map(({ action, label }) => (
              <option key={action} value={action}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Find
          <input type="search" value={filters.q} onChange={change('q')} maxLength={100} placeholder="e.g. password, Acme on Telegram" />
        </label>
        <label>
          From
          <input type="date" value={filters.from} onChange={change('from')} aria-invalid={filterError !== null} />
        </label>
        <label>
          To
          <input
            type="date"
            value={filters.to}
            onChange={change('to')}
            aria-invalid={filterError !== null}
            aria-describedby={filterError ? 'audit-filter-error' : undefined}
          />
        </label>
        <button type="submit">Filter</button>
        {hasFilters(filters) && (
          <button type="button" onClick={clear}>
            Clear
          </button>
        )}
      </form>
      {filterError && (
        <p role="alert" id="audit-filter-error" className="error">
          {filterError}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {entries === null ? (
        <p className="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="muted">{hasFilters(applied) ? 'Nothing recorded that matches these filters.' : 'Nothing recorded yet.'}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" aria-label="Audit log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">From IP</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <AuditRow key={entry.id} entry={entry} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor && (
        <div>
          <button type="button" onClick={() => void loadOlder()} disabled={isLoading}>
            Load older
          </button>
        </div>
      )}
    </section>
  )
}
