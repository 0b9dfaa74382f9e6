import { nextInterval, weekdayNames, type Interval, type Week } from './business-hours'

/** Opening hours per weekday: none (closed), one interval, or several (a split shift). */
export function BusinessHoursEditor({ week, onChange }: { week: Week; onChange: (week: Week) => void }) {
  const setDay = (weekday: number, day: Interval[]) => onChange(week.map((d, i) => (i === weekday ? day : d)))
  return (
    <fieldset className="business-hours">
      <legend>Business hours</legend>
      {week.map((day, weekday) => {
        const name = weekdayNames[weekday]
        return (
          <div key={name} className="business-day" role="group" aria-label={name}>
            <span className="business-day-name">{name}</span>
            <div className="business-day-intervals">
              {day.length === 0 && <span className="muted">Closed</span>}
              {day.map((interval, index) => (
                // Both times are controlled by `week`, so a position is enough of a key.
                <span key={index} className="business-interval">
                  <input
                    type="time"
                    aria-label={`${name} opens (${index + 1})`}
                    value={interval.opens}
                    onChange={(e) =>
                      setDay(
                        weekday,
                        day.map((iv, i) => (i === index ? { ...iv, opens: e.target.value } : iv)),
                      )
                    }
                    required
                  />
                  <span aria-hidden="true">–</span>
                  <input
                    type="time"
                    aria-label={`${name} closes (${index + 1})`}
                    value={interval.closes}
                    onChange={(e) =>
                      setDay(
                        weekday,
                        day.map((iv, i) => (i === index ? { ...iv, closes: e.target.value } : iv)),
                      )
                    }
                    required
                  />
                  <button
                    type="button"
                    className="link"
                    aria-label={`Remove ${name} hours ${index + 1}`}
                    onClick={() =>
                      setDay(
                        weekday,
                        day.filter((_, i) => i !== index),
                      )
                    }
                  >
                    Remove
                  </button>
                </span>
              ))}
            </div>
            <button type="button" className="link" aria-label={`Add hours on ${name}`} onClick={() => setDay(weekday, [...day, nextInterval(day)])}>
              {day.length === 0 ? 'Add hours' : 'Add a split'}
            </button>
          </div>
        )
      })}
      <p className="muted business-hours-note">Times are the team’s local time. A shift that runs to midnight closes at 00:00.</p>
    </fieldset>
  )
}
