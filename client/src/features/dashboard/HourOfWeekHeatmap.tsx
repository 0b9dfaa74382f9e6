import { useId } from 'react'
import { DefinitionButton } from './DefinitionButton'
import { cellIntensity, robustMaximum } from './heatmap-scale'

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
/** Monday first, as a working week reads; the data's index stays Sunday = 0. */
const rowOrder = [1, 2, 3, 4, 5, 6, 0]
const hours = Array.from({ length: 24 }, (_, hour) => hour)

/** What the darkest colour means, saying so when the busiest hours are drawn no darker than the scale's top. */
function scaleNote(max: number, scale: number): string {
  if (max === 0) return 'Darker is busier.'
  if (max <= scale) return `Darker is busier: the busiest hour had ${max} customer messages.`
  return `Darker is busier: ${scale} or more customer messages in an hour is drawn darkest (the busiest hour had ${max}).`
}

function hourText(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`
}

/**
 * Customer messages by local hour of the week, as a 7 × 24 table: each cell's colour says how busy that hour is, and
 * its count is there as text for screen readers and as a tooltip.
 */
export function HourOfWeekHeatmap({ counts }: { counts: readonly number[] }) {
  const titleId = useId()
  const max = Math.max(0, ...counts)
  const scale = robustMaximum(counts)
  return (
    <section className="panel heatmap" aria-labelledby={titleId}>
      <div className="chart-head">
        <h2 id={titleId}>Volume by hour of the week</h2>
        <DefinitionButton metric="hourOfWeek" />
      </div>
      <div className="table-wrap">
        <table className="heatmap-table" aria-label="Customer messages by hour of the week">
          <thead>
            <tr>
              <td />
              {hours.map((hour) => (
                <th key={hour} scope="col" aria-label={hourText(hour)}>
                  {hour % 3 === 0 ? hour : ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rowOrder.map((day) => (
              <tr key={day}>
                <th scope="row">
                  <abbr title={weekdays[day]}>{weekdays[day]?.slice(0, 3)}</abbr>
                </th>
                {hours.map((hour) => {
                  const count = counts[day * 24 + hour] ?? 0
                  const text = `${weekdays[day]} ${hourText(hour)}–${hourText((hour + 1) % 24)}: ${count} ${count === 1 ? 'customer message' : 'customer messages'}`
                  return (
                    <td key={hour} title={text} style={{ backgroundColor: `rgba(29, 78, 216, ${cellIntensity(count, scale)})` }}>
                      <span className="visually-hidden">{count}</span>
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="metric-note">{scaleNote(max, scale)} Hours are the team’s local time.</p>
    </section>
  )
}
