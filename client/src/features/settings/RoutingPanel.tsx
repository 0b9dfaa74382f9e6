import { useEffect } from 'react'
import { useStore } from '../../store/store'
import { AgentsTable } from './AgentsTable'
import { OutOfHoursReplies } from './OutOfHoursReplies'
import './routing.css'
import { TeamRoutingForm } from './TeamRoutingForm'

export function RoutingPanel() {
  const teams = useStore((s) => s.routingTeams)
  const error = useStore((s) => s.routingError)
  const load = useStore((s) => s.loadRouting)

  useEffect(() => {
    void load()
  }, [load])

  return (
    <>
      <section className="panel" aria-labelledby="routing-heading">
        <h2 id="routing-heading">Hours & routing</h2>
        <p className="muted">Each team’s opening hours, in its own time zone: SLA targets counted in business hours run only while the team is open.</p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {teams === null ? (
          <p className="muted">Loading…</p>
        ) : teams.length === 0 ? (
          <p className="muted">You are in no team yet.</p>
        ) : (
          teams.map((team) => <TeamRoutingForm key={team.teamId} team={team} />)
        )}
      </section>
      <OutOfHoursReplies />
      <AgentsTable />
    </>
  )
}
