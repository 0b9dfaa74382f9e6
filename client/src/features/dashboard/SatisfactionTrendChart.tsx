import type { SatisfactionReport } from '@carebox/shared'
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts'
import { chartHeight, ChartFrame } from './ChartFrame'
import { formatBucket, formatCount, formatScore } from './report-format'

export const noRatingsYet = 'No ratings in this period yet: surveys are sent after a resolve.'

const percentTick = (score: number) => `${score}%`
// A day without ratings has no score: its point is left out (a gap in the line), never drawn as 0.
const tooltipValue = (value: unknown, _name: unknown, item: { payload?: { answered?: number } }) =>
  typeof value === 'number' ? `${formatScore(value)} (${formatCount(item.payload?.answered ?? 0, 'rating', 'ratings')})` : 'no ratings'

/** The CSAT score day by day (by the day the survey was offered); days without ratings are gaps, greyed in the table. */
export function SatisfactionTrendChart({ report }: { report: SatisfactionReport }) {
  const rows = report.trend.map((point) => ({ label: formatBucket(point.at), score: point.score, answered: point.answered }))
  const hasRatings = report.trend.some((point) => point.answered > 0)
  return (
    <ChartFrame
      title="CSAT score by day"
      metric="csatScore"
      level={3}
      figures={
        <div className="table-wrap">
          <table className="data-table" aria-label="CSAT score by day">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">CSAT score</th>
                <th scope="col">Ratings</th>
                <th scope="col">Rated 4 or 5</th>
              </tr>
            </thead>
            <tbody>
              {report.trend.map((point) => (
                <tr key={point.at} className={point.answered === 0 ? 'inactive' : undefined}>
                  <td>{formatBucket(point.at)}</td>
                  <td>{formatScore(point.score)}</td>
                  <td>{point.answered}</td>
                  <td>{point.satisfied}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      }
    >
      {(width) =>
        hasRatings ? (
          <LineChart width={width} height={chartHeight} data={rows}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" />
            <YAxis width={48} domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tickFormatter={percentTick} />
            <Tooltip formatter={tooltipValue} />
            <Line type="linear" dataKey="score" name="CSAT score" stroke="#16a34a" strokeWidth={2} connectNulls={false} dot={{ r: 3 }} />
          </LineChart>
        ) : (
          <p className="muted">{noRatingsYet}</p>
        )
      }
    </ChartFrame>
  )
}
