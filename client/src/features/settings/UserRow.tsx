import { isTeamlessWorker, roleLabels, type User } from '@carebox/shared'
import { useState } from 'react'
import { ConfirmButton } from '../../components/ConfirmButton'
import { RelativeTime } from '../../components/RelativeTime'
import { useStore } from '../../store/store'
import type { IssuedLinkFor } from './IssuedLinkNotice'
import { teamNames } from './teamNames'
import { UserEditForm } from './UserEditForm'

const columnCount = 7

export function UserRow({ user, onLinkIssued }: { user: User; onLinkIssued: (issued: IssuedLinkFor) => void }) {
  const teams = useStore((s) => s.teams)
  const isSelf = useStore((s) => s.session?.user.id === user.id)
  const setActive = useStore((s) => s.setUserActive)
  const resetPassword = useStore((s) => s.resetPassword)
  const [isEditing, setEditing] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const reset = async () => {
    const outcome = await resetPassword(user.id)
    if (outcome.ok) onLinkIssued({ title: `Password reset link for ${user.email}`, link: outcome.value })
    setError(outcome.ok ? null : outcome.error)
  }

  return (
    <>
      <tr aria-label={user.name} className={user.active ? undefined : 'inactive'}>
        <td>
          {user.name}
          {isSelf && <span className="muted"> (you)</span>}
        </td>
        <td>{user.email}</td>
        <td>{roleLabels[user.role]}</td>
        <td>{isTeamlessWorker(user.role, user.teamIds) ? <span className="muted">None: sees no conversations</span> : teamNames(user.teamIds, teams)}</td>
        <td>
          <span className={user.active ? 'pill pill-on' : 'pill'}>{user.active ? 'Active' : 'Deactivated'}</span>
        </td>
        <td>{user.lastLoginAt ? <RelativeTime at={user.lastLoginAt} /> : <span className="muted">never</span>}</td>
        <td>
          <div className="row-actions">
            <button type="button" onClick={() => setEditing(!isEditing)}>
              {isEditing ? 'Close' : 'Edit'}
            </button>
            <ConfirmButton
              label="Reset password"
              question={`Reset ${user.name}'s password? They are signed out everywhere.`}
              confirmLabel="Yes, reset"
              onConfirm={() => void reset()}
            />
            {user.active && !isSelf && (
              <ConfirmButton
                label="Deactivate"
                question={`Deactivate ${user.name}? They are signed out at once.`}
                confirmLabel="Yes, deactivate"
                onConfirm={() => void setActive(user.id, false).then(setError)}
              />
            )}
            {!user.active && (
              <ConfirmButton
                label="Reactivate"
                question={`Let ${user.name} sign in again?`}
                confirmLabel="Yes, reactivate"
                isDangerous={false}
                onConfirm={() => void setActive(user.id, true).then(setError)}
              />
            )}
          </div>
        </td>
      </tr>
      {(isEditing || error) && (
        <tr className="detail-row">
          <td colSpan={columnCount}>
            {error && (
              <p role="alert" className="error">
                {error}
              </p>
            )}
            {isEditing && <UserEditForm user={user} onDone={() => setEditing(false)} />}
          </td>
        </tr>
      )}
    </>
  )
}
