import { useEffect, useState, type FormEvent } from 'react'
import { useStore } from '../../store/store'
import { AuditRow } from './AuditRow'

const actionPattern = /^[a-z_.]+$/

export function AuditPanel() {
  const entries = useStore((s) => s.auditEntries)
  const nextCursor = useStore((s) => s.auditNextCursor)
  const appliedAction = useStore((s) => s.auditAction)
  const error = useStore((s) => s.auditError)
  const isLoading = useStore((s) => s.isLoadingAudit)
  const load = useStore((s) => s.loadAudit)
  const loadOlder = useStore((s) => s.loadOlderAudit)
  const [action, setAction] = useState('')
  const [filterError, setFilterError] = useState<string | null>(null)

  useEffect(() => {
    void load('')
  }, [load])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const filter = action.trim()
    if (filter && !actionPattern.test(filter)) {
      setFilterError('An action is lowercase letters, dots and underscores, such as user.login_failed.')
      return
    }
    setFilterError(null)
    void load(filter)
  }

  return (
    <section className="panel" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <form className="inline-form" onSubmit={submit} aria-label="Filter the audit log">
        <label>
          Action
          <input
            value={action}
            onChange={(e) => setAction(e.target.value)}
            maxLength={60}
            placeholder="e.g. user.invited"
            aria-invalid={filterError !== null}
            aria-describedby={filterError ? 'audit-filter-error' : undefined}
          />
        </label>
        <button type="submit">Filter</button>
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
        <p className="muted">Nothing recorded{appliedAction ? ` for ${appliedAction}` : ''}.</p>
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
