import type { TeamRouting } from '@carebox/shared'
import { useState, type FormEvent } from 'react'
import type { TeamRoutingChanges } from '../../store/routing.slice'
import { useStore } from '../../store/store'
import { shiftsOf, weekOf, type Week } from './business-hours'
import { BusinessHoursEditor } from './BusinessHoursEditor'
import { HolidaysEditor } from './HolidaysEditor'
import { TimeZoneField } from './TimeZoneField'

interface HoursFields {
  timeZone: string
  week: Week
  holidays: string[]
  autoAssign: boolean
}

function fieldsOf(team: TeamRouting): HoursFields {
  return { timeZone: team.timeZone, week: weekOf(team.businessHours.shifts), holidays: [...team.businessHours.holidays].sort(), autoAssign: team.autoAssign }
}

/** What differs from the team as saved; business hours go as a whole, as the contract takes them. */
function changesOf(team: TeamRouting, fields: HoursFields): TeamRoutingChanges | { error: string } {
  const shifts = shiftsOf(fields.week)
  if ('error' in shifts) return shifts
  const saved = shiftsOf(weekOf(team.businessHours.shifts))
  const businessHours = { shifts: shifts.shifts, holidays: fields.holidays }
  const savedHours = { shifts: 'shifts' in saved ? saved.shifts : null, holidays: [...team.businessHours.holidays].sort() }
  return {
    ...(fields.timeZone.trim() !== team.timeZone && { timeZone: fields.timeZone.trim() }),
    ...(JSON.stringify(businessHours) !== JSON.stringify(savedHours) && { businessHours }),
    ...(fields.autoAssign !== team.autoAssign && { autoAssign: fields.autoAssign }),
  }
}

/** One team's time zone, opening hours, holidays and auto-assignment, with its queue as it stands. */
export function TeamRoutingForm({ team }: { team: TeamRouting }) {
  const update = useStore((s) => s.updateTeamRouting)
  const [fields, setFields] = useState(() => fieldsOf(team))
  const [error, setError] = useState<string | null>(null)
  const [isSaved, setSaved] = useState(false)
  const [isSaving, setSaving] = useState(false)
  const set = <K extends keyof HoursFields>(key: K, value: HoursFields[K]) => {
    setSaved(false)
    setFields((f) => ({ ...f, [key]: value }))
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const changes = changesOf(team, fields)
    if ('error' in changes) {
      setError(changes.error)
      return
    }
    if (Object.keys(changes).length === 0) {
      setError(null)
      setSaved(true)
      return
    }
    setSaving(true)
    const failure = await update(team.teamId, changes)
    setSaving(false)
    setError(failure)
    setSaved(!failure)
  }

  return (
    <section className="routing-team" aria-label={team.name}>
      <div className="routing-team-head">
        <h3>{team.name}</h3>
        <span className={team.openNow ? 'pill pill-on' : 'pill'}>{team.openNow ? 'Open now' : 'Closed now'}</span>
        <span className="muted">{team.waiting === 1 ? '1 conversation waiting' : `${team.waiting} conversations waiting`} in the queue</span>
      </div>
      <form className="settings-form routing-form" onSubmit={(e) => void submit(e)} aria-label={`Hours of ${team.name}`}>
        <TimeZoneField value={fields.timeZone} onChange={(zone) => set('timeZone', zone)} />
        <label className="routing-check">
          <input type="checkbox" checked={fields.autoAssign} onChange={(e) => set('autoAssign', e.target.checked)} />
          Assign conversations automatically
        </label>
        <p className="muted routing-form-wide">
          With automatic assignment, new and returning conversations go to the least-loaded online agent who can take them: within their capacity, and working
          that kind of channel and the customer’s language.
        </p>
        <div className="routing-form-wide">
          <BusinessHoursEditor week={fields.week} onChange={(week) => set('week', week)} />
        </div>
        <div className="routing-form-wide">
          <HolidaysEditor holidays={fields.holidays} onChange={(holidays) => set('holidays', holidays)} />
        </div>
        {error && (
          <p role="alert" className="error routing-form-wide">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={isSaving}>
            Save hours
          </button>
          <span role="status" className="muted">
            {isSaved ? 'Saved.' : ''}
          </span>
        </div>
      </form>
    </section>
  )
}
