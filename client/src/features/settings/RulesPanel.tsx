import { useEffect, useState } from 'react'
import { useStore } from '../../store/store'
import './rules.css'
import { RuleForm } from './RuleForm'
import { RuleRow } from './RuleRow'

export function RulesPanel() {
  const rules = useStore((s) => s.automationRules)
  const error = useStore((s) => s.automationRulesError)
  const loadRules = useStore((s) => s.loadRules)
  const loadTeams = useStore((s) => s.loadTeams)
  const [isAdding, setAdding] = useState(false)

  useEffect(() => {
    void loadRules()
    void loadTeams()
  }, [loadRules, loadTeams])

  return (
    <section className="panel" aria-labelledby="rules-heading">
      <div className="panel-head">
        <h2 id="rules-heading">Rules</h2>
        {!isAdding && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Add a rule
          </button>
        )}
      </div>
      <p className="muted">
        Rules act on conversations by themselves: raise the priority of a refund request, tell the leads when a deadline is near, send a silent conversation
        back to the queue. They run from the top of the list.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {isAdding && <RuleForm onDone={() => setAdding(false)} />}
      {rules === null ? (
        <p className="muted">Loading…</p>
      ) : rules.length === 0 ? (
        <p className="muted">No rules yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table rules-table" aria-label="Rules">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Team</th>
                <th scope="col">When</th>
                <th scope="col">If</th>
                <th scope="col">Then</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rules.map((rule) => (
                <RuleRow key={rule.id} rule={rule} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
