import { isTeamlessWorker, roleLabels } from '@carebox/shared'
import { useState } from 'react'
import { RelativeTime } from '../../components/RelativeTime'
import { useStore } from '../../store/store'
import { teamNames } from './teamNames'

export function PendingInvites() {
  const invites = useStore((s) => s.invites)
  const teams = useStore((s) => s.teams)
  const withdraw = useStore((s) => s.withdrawInvite)
  const [error, setError] = useState<string | null>(null)

  if (!invites || invites.length === 0) return null
  return (
    <div className="subsection">
      <h3>Pending invitations</h3>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ul className="plain-list" aria-label="Pending invitations">
        {invites.map((invite) => (
          <li key={invite.id} className="plain-row" aria-label={invite.email}>
            <span className="plain-row-main">
              <strong>{invite.email}</strong>
              <span className="muted">
                {' '}
                · {roleLabels[invite.role]} ·{' '}
                {isTeamlessWorker(invite.role, invite.teamIds) ? 'no team: will see no conversations' : teamNames(invite.teamIds, teams)} · expires{' '}
                <RelativeTime at={invite.expiresAt} />
              </span>
            </span>
            <button type="button" onClick={() => void withdraw(invite.id).then(setError)}>
              Withdraw
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}
