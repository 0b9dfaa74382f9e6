import type { ReportSummary } from '@carebox/shared'
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts'
import { chartHeight, ChartFrame } from './ChartFrame'
import { bucketsOf, formatBucket } from './report-format'

/** SLA targets achieved and breached, per day or hour. */
export function SlaTrendChart({ summary }: { summary: ReportSummary }) {
  const rows = bucketsOf(summary.period).map((at) => {
    const point = summary.slaTrend.find((p) => p.at === at)
    return { label: formatBucket(at), achieved: point?.achieved ?? 0, breached: point?.breached ?? 0 }
  })
  return (
    <ChartFrame
      title="SLA targets achieved and breached"
      metric="sla"
      figures={
        <table className="data-table" aria-label="SLA targets achieved and breached">
          <thead>
            <tr>
              <th scope="col">{summary.period.granularity === 'hour' ? 'Hour' : 'Day'}</th>
              <th scope="col">Achieved</th>
              <th scope="col">Breached</th>
            </tr>
          </thead>
          <tbody>
            {summary.slaTrend.map((point) => (
              <tr key={point.at}>
                <td>{formatBucket(point.at)}</td>
                <td>{point.achieved}</td>
                <td>{point.breached}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {(width) => (
        <BarChart width={width} height={chartHeight} data={rows}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" />
          <YAxis allowDecimals={false} width={40} />
          <Tooltip />
          <Legend />
          <Bar dataKey="achieved" name="Achieved" stackId="sla" fill="#16a34a" />
          <Bar dataKey="breached" name="Breached" stackId="sla" fill="#dc2626" />
        </BarChart>
      )}
    </ChartFrame>
  )
}
