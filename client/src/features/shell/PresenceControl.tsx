import type { Presence } from '@carebox/shared'
import { useState } from 'react'
import type { ChosenPresence } from '../../store/presence.slice'
import { useStore } from '../../store/store'
import './presence.css'

const presenceLabels: Record<Presence, string> = { online: 'Online', away: 'Away', offline: 'Offline' }

/**
 * The signed-in person's availability: online takes new conversations, away does not. Shows what the server
 * says, which also changes on its own (away after a while without activity, back on return).
 */
export function PresenceControl() {
  // Until the server says, no console of theirs is known to be connected: offline.
  const presence = useStore((s) => s.ownPresence ?? 'offline')
  const setPresence = useStore((s) => s.setOwnPresence)
  const [error, setError] = useState<string | null>(null)
  const [isSaving, setSaving] = useState(false)

  const choose = async (chosen: ChosenPresence) => {
    setSaving(true)
    setError(await setPresence(chosen))
    setSaving(false)
  }

  return (
    <div className="shell-presence">
      <label className="shell-presence-label">
        <span className={`presence-dot presence-${presence}`} aria-hidden="true" />
        <select aria-label="Your status" value={presence} disabled={isSaving} onChange={(event) => void choose(event.target.value as ChosenPresence)}>
          {presence === 'offline' && (
            <option value="offline" disabled>
              {presenceLabels.offline}
            </option>
          )}
          <option value="online">{presenceLabels.online}</option>
          <option value="away">{presenceLabels.away}</option>
        </select>
      </label>
      {error && (
        <p role="alert" className="shell-presence-error">
          {error}
        </p>
      )}
    </div>
  )
}
