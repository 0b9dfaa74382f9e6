import type { TimeFigures } from '@carebox/shared'
import { formatSeconds } from './report-format'

/** Median and p90 in calendar time and in the team's business time, side by side. */
export function TimeFiguresTable({ label, figures }: { label: string; figures: TimeFigures }) {
  return (
    <table className="time-figures" aria-label={label}>
      <thead>
        <tr>
          <td />
          <th scope="col">Median</th>
          <th scope="col">p90</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">Calendar</th>
          <td className="metric-value">{formatSeconds(figures.calendar.median)}</td>
          <td>{formatSeconds(figures.calendar.p90)}</td>
        </tr>
        <tr>
          <th scope="row">Business</th>
          <td className="metric-value">{formatSeconds(figures.business.median)}</td>
          <td>{formatSeconds(figures.business.p90)}</td>
        </tr>
      </tbody>
    </table>
  )
}
