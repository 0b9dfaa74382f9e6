import type { ReportSummary } from '@carebox/shared'
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts'
import { chartHeight, ChartFrame } from './ChartFrame'
import { bucketsOf, formatBucket, formatSeconds } from './report-format'

// Drawn in minutes, so the axis picks round minutes; the tooltip says the time as the cards do.
const tooltipValue = (value: unknown) => formatSeconds(typeof value === 'number' ? value * 60 : null)
const minutesTick = (minutes: number) =>
  minutes < 1 ? `${Math.round(minutes * 60)} s` : minutes < 120 ? `${Math.round(minutes)} min` : `${Math.round(minutes / 6) / 10} h`
// A log scale: medians of minutes and p90s of hours both stay readable. It has no zero, so under 10 s is drawn at 10 s.
const inMinutes = (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? null : Math.max(seconds, 10) / 60)

/** First response time over the period: the median and the p90 (calendar time), per day or hour. */
export function ResponseTrendChart({ summary }: { summary: ReportSummary }) {
  const rows = bucketsOf(summary.period).map((at) => {
    const point = summary.firstResponseTrend.find((p) => p.at === at)
    return { label: formatBucket(at), median: inMinutes(point?.median), p90: inMinutes(point?.p90) }
  })
  return (
    <ChartFrame
      title="First response time trend"
      metric="firstResponse"
      figures={
        <table className="data-table" aria-label="First response time trend">
          <thead>
            <tr>
              <th scope="col">{summary.period.granularity === 'hour' ? 'Hour' : 'Day'}</th>
              <th scope="col">Median</th>
              <th scope="col">p90</th>
              <th scope="col">First responses</th>
            </tr>
          </thead>
          <tbody>
            {summary.firstResponseTrend.map((point) => (
              <tr key={point.at}>
                <td>{formatBucket(point.at)}</td>
                <td>{formatSeconds(point.median)}</td>
                <td>{formatSeconds(point.p90)}</td>
                <td>{point.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {(width) => (
        <LineChart width={width} height={chartHeight} data={rows}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" />
          <YAxis width={64} scale="log" domain={['auto', 'auto']} tickFormatter={minutesTick} />
          <Tooltip formatter={tooltipValue} />
          <Legend />
          <Line type="monotone" dataKey="median" name="Median" stroke="#2563eb" strokeWidth={2} connectNulls dot={false} />
          <Line type="monotone" dataKey="p90" name="p90" stroke="#d97706" strokeWidth={2} strokeDasharray="5 4" connectNulls dot={false} />
        </LineChart>
      )}
    </ChartFrame>
  )
}
