import { isTeamlessWorker, roleLabels, roles, type IssuedLink, type Role } from '@carebox/shared'
import { useState, type FormEvent } from 'react'
import { useStore } from '../../store/store'
import { chooseTeamFirst, NoTeamConfirmation } from './NoTeamConfirmation'
import { TeamCheckboxes } from './TeamCheckboxes'

export function InviteForm({ onInvited, onCancel }: { onInvited: (email: string, link: IssuedLink) => void; onCancel: () => void }) {
  const invite = useStore((s) => s.inviteUser)
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('agent')
  const [teamIds, setTeamIds] = useState<string[]>([])
  const [isNoTeamConfirmed, setNoTeamConfirmed] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [isSaving, setSaving] = useState(false)
  const isTeamless = isTeamlessWorker(role, teamIds)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (isTeamless && !isNoTeamConfirmed) {
      setError(chooseTeamFirst)
      return
    }
    setSaving(true)
    const outcome = await invite({ email: email.trim(), role, teamIds, ...(isTeamless && { confirmNoTeam: true }) })
    setSaving(false)
    if (outcome.ok) onInvited(email.trim(), outcome.value)
    else setError(outcome.error)
  }

  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)} aria-label="Invite someone">
      <label>
        Email
        <input type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} required maxLength={254} />
      </label>
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
      {role === 'admin' && <p className="muted">Admins see every team’s conversations: teams are optional.</p>}
      {isTeamless && <NoTeamConfirmation isConfirmed={isNoTeamConfirmed} onChange={setNoTeamConfirmed} />}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={isSaving}>
          Create invite link
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
