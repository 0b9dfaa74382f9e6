import { useStore } from '../../store/store'
import { AgentRow } from './AgentRow'

/** Who can take conversations now, how full they are, and what they can take. */
export function AgentsTable() {
  const agents = useStore((s) => s.routingAgents)
  return (
    <section className="panel" aria-labelledby="agents-heading">
      <h2 id="agents-heading">Agents</h2>
      <p className="muted">
        Load is the open conversations assigned to someone; capacity is how many they take at once. Automatic assignment skips anyone away, offline or full.
      </p>
      {agents === null ? (
        <p className="muted">Loading…</p>
      ) : agents.length === 0 ? (
        <p className="muted">No teammates in your teams yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table agents-table" aria-label="Agents">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Presence</th>
                <th scope="col">Load</th>
                <th scope="col">Caps per channel</th>
                <th scope="col">Languages</th>
                <th scope="col">Channels</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {agents.map((agent) => (
                <AgentRow key={agent.id} agent={agent} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
