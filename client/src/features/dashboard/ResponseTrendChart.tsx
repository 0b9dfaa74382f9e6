import type { ReportSummary } from '@carebox/shared'
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts'
import { chartHeight, ChartFrame } from './ChartFrame'
import { bucketsOf, formatBucket, formatSeconds } from './report-format'
import { roundTimeTicks } from './time-ticks'

const tooltipValue = (value: unknown) => formatSeconds(typeof value === 'number' ? value : null)
const timeTick = (seconds: number) => (seconds === 0 ? '0' : formatSeconds(seconds))

/**
 * First response time over the period: the median and the p90 (calendar time), per day or hour. A linear axis from
 * zero with round times as ticks: twice as high reads as twice as long. A slow p90 flattens the median against the
 * floor, which is why the exact figures are a click away in the table.
 */
export function ResponseTrendChart({ summary }: { summary: ReportSummary }) {
  const rows = bucketsOf(summary.period).map((at) => {
    const point = summary.firstResponseTrend.find((p) => p.at === at)
    return { label: formatBucket(at), median: point?.median ?? null, p90: point?.p90 ?? null }
  })
  const ticks = roundTimeTicks(Math.max(0, ...rows.flatMap((row) => [row.median ?? 0, row.p90 ?? 0])))
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
          <YAxis width={84} type="number" domain={[0, ticks[ticks.length - 1] ?? 60]} ticks={ticks} interval={0} tickFormatter={timeTick} />
          <Tooltip formatter={tooltipValue} />
          <Legend />
          <Line type="monotone" dataKey="median" name="Median" stroke="#1d4ed8" strokeWidth={2} connectNulls dot={false} />
          <Line type="monotone" dataKey="p90" name="p90" stroke="#ea580c" strokeWidth={2} strokeDasharray="5 4" connectNulls dot={false} />
        </LineChart>
      )}
    </ChartFrame>
  )
}
