import { useState } from 'react'

/** "Thu, 25 Dec 2026": the date itself, whatever the time zone of the browser. */
function dateText(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString(undefined, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })
}

/** Days the team is closed all day, in its own calendar. */
export function HolidaysEditor({ holidays, onChange }: { holidays: string[]; onChange: (holidays: string[]) => void }) {
  const [date, setDate] = useState('')
  const add = () => {
    if (!date) return
    if (!holidays.includes(date)) onChange([...holidays, date].sort())
    setDate('')
  }
  return (
    <fieldset className="holidays">
      <legend>Holidays</legend>
      {holidays.length === 0 ? (
        <p className="muted">No holidays.</p>
      ) : (
        <ul className="holiday-list" aria-label="Holidays">
          {holidays.map((holiday) => (
            <li key={holiday}>
              <time dateTime={holiday}>{dateText(holiday)}</time>
              <button type="button" className="link" aria-label={`Remove holiday ${holiday}`} onClick={() => onChange(holidays.filter((h) => h !== holiday))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <span className="holiday-add">
        <input type="date" aria-label="Holiday date" value={date} onChange={(e) => setDate(e.target.value)} />
        <button type="button" onClick={add} disabled={!date}>
          Add holiday
        </button>
      </span>
    </fieldset>
  )
}
