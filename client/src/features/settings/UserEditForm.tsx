import { isTeamlessWorker, roleLabels, roles, type Role, type User } from '@carebox/shared'
import { useState, type FormEvent } from 'react'
import { useStore } from '../../store/store'
import { chooseTeamFirst, NoTeamConfirmation } from './NoTeamConfirmation'
import { TeamCheckboxes } from './TeamCheckboxes'

export function UserEditForm({ user, onDone }: { user: User; onDone: () => void }) {
  const update = useStore((s) => s.updateUser)
  const [role, setRole] = useState<Role>(user.role)
  const [teamIds, setTeamIds] = useState<string[]>(user.teamIds)
  const [isNoTeamConfirmed, setNoTeamConfirmed] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [isSaving, setSaving] = useState(false)
  // Asked only when this edit is what leaves them without a team, as the server does.
  const becomesTeamless = isTeamlessWorker(role, teamIds) && !isTeamlessWorker(user.role, user.teamIds)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (becomesTeamless && !isNoTeamConfirmed) {
      setError(chooseTeamFirst)
      return
    }
    setSaving(true)
    const failure = await update(user.id, { role, teamIds, ...(becomesTeamless && { confirmNoTeam: true }) })
    setSaving(false)
    if (failure) setError(failure)
    else onDone()
  }

  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)} aria-label={`Edit ${user.name}`}>
      <label>
        Role
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {roleLabels[r]}
            </option>
          ))}
        </select>
      </label>
      <TeamCheckboxes selected={teamIds} onChange={setTeamIds} />
      {becomesTeamless && <NoTeamConfirmation isConfirmed={isNoTeamConfirmed} onChange={setNoTeamConfirmed} />}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={isSaving}>
          Save
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}
