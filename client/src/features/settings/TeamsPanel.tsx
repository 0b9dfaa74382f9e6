import { useEffect, useState, type FormEvent } from 'react'
import { useStore } from '../../store/store'
import { TeamRow } from './TeamRow'

export function TeamsPanel() {
  const teams = useStore((s) => s.teams)
  const loadError = useStore((s) => s.teamsError)
  const load = useStore((s) => s.loadTeams)
  const create = useStore((s) => s.createTeam)
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [isSaving, setSaving] = useState(false)

  useEffect(() => {
    void load()
  }, [load])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setSaving(true)
    const failure = await create(name.trim())
    setSaving(false)
    setError(failure)
    if (!failure) setName('')
  }

  return (
    <section className="panel" aria-labelledby="teams-heading">
      <h2 id="teams-heading">Teams</h2>
      <p className="muted">A channel belongs to one team; its conversations go to that team’s members.</p>
      {loadError && (
        <p role="alert" className="error">
          {loadError}
        </p>
      )}
      {teams === null ? (
        <p className="muted">Loading…</p>
      ) : teams.length === 0 ? (
        <p className="muted">No teams yet.</p>
      ) : (
        <ul className="plain-list" aria-label="Teams">
          {teams.map((team) => (
            <TeamRow key={team.id} team={team} />
          ))}
        </ul>
      )}
      <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label="Create a team">
        <label>
          New team
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
        </label>
        <button type="submit" className="primary" disabled={isSaving}>
          Create team
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  )
}
