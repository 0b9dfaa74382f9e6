import type { WallboardTeam } from '@carebox/shared'
import { useId } from 'react'

/**
 * Who is there for whom, team by team: members online, away and offline, and customers waiting. A table, so a
 * screen reader reads each figure with its team and column; team names are people's text, shown as text.
 */
export function WallboardTeams({ teams }: { teams: WallboardTeam[] }) {
  const titleId = useId()
  return (
    <section className="wallboard-teams" aria-labelledby={titleId}>
      <h2 id={titleId}>Teams now</h2>
      {teams.length === 0 ? (
        <p className="wallboard-note">No teams to show.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Online</th>
              <th scope="col">Away</th>
              <th scope="col">Offline</th>
              <th scope="col">Waiting</th>
            </tr>
          </thead>
          <tbody>
            {teams.map((team) => (
              <tr key={team.id}>
                <th scope="row">{team.name}</th>
                <td className={team.online > 0 ? 'wallboard-online' : 'wallboard-none'}>{team.online}</td>
                <td className={team.away > 0 ? undefined : 'wallboard-none'}>{team.away}</td>
                <td className={team.offline > 0 ? undefined : 'wallboard-none'}>{team.offline}</td>
                <td className={team.waiting > 0 ? (team.online > 0 ? 'wallboard-waiting' : 'wallboard-uncovered') : 'wallboard-none'}>{team.waiting}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
