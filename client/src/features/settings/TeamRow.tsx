import type { Team } from '@carebox/shared'
import { useState, type FormEvent } from 'react'
import { useStore } from '../../store/store'

export function TeamRow({ team }: { team: Team }) {
  const rename = useStore((s) => s.renameTeam)
  const [name, setName] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [isSaving, setSaving] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (name === null) return
    setSaving(true)
    const failure = await rename(team.id, name.trim())
    setSaving(false)
    setError(failure)
    if (!failure) setName(null)
  }

  return (
    <li className="plain-row" aria-label={team.name}>
      {name === null ? (
        <>
          <strong className="plain-row-main">{team.name}</strong>
          <button type="button" onClick={() => setName(team.name)}>
            Rename
          </button>
        </>
      ) : (
        <form className="inline-form plain-row-main" onSubmit={(e) => void submit(e)} aria-label={`Rename ${team.name}`}>
          <label>
            Team name
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
          </label>
          <button type="submit" className="primary" disabled={isSaving}>
            Save
          </button>
          <button type="button" onClick={() => setName(null)}>
            Cancel
          </button>
        </form>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </li>
  )
}
