import { useEffect, useState } from 'react'
import { useStore } from '../../store/store'
import './sla-policies.css'
import { SlaPolicyForm } from './SlaPolicyForm'
import { SlaPolicyRow } from './SlaPolicyRow'

export function SlaPoliciesPanel() {
  const policies = useStore((s) => s.slaPolicies)
  const error = useStore((s) => s.slaPoliciesError)
  const loadPolicies = useStore((s) => s.loadSlaPolicies)
  const loadChannels = useStore((s) => s.loadChannels)
  const loadTeams = useStore((s) => s.loadTeams)
  const [isAdding, setAdding] = useState(false)

  useEffect(() => {
    void loadPolicies()
    void loadChannels()
    void loadTeams()
  }, [loadPolicies, loadChannels, loadTeams])

  return (
    <section className="panel" aria-labelledby="sla-policies-heading">
      <div className="panel-head">
        <h2 id="sla-policies-heading">SLA policies</h2>
        {!isAdding && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Add a policy
          </button>
        )}
      </div>
      <p className="muted">
        How fast each conversation must be answered and resolved. Policies are tried from the top: the first enabled one that matches a conversation sets its
        targets. Changing a policy recomputes the deadlines of open conversations.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {isAdding && <SlaPolicyForm onDone={() => setAdding(false)} />}
      {policies === null ? (
        <p className="muted">Loading…</p>
      ) : policies.length === 0 ? (
        <p className="muted">No SLA policies yet: conversations have no deadlines.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table sla-policies-table" aria-label="SLA policies">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Name</th>
                <th scope="col">Applies to</th>
                <th scope="col">Targets</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {policies.map((policy, index) => (
                <SlaPolicyRow key={policy.id} policy={policy} index={index} count={policies.length} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
