import { minLabelledForShare, type NegativeSharePoint, type ReportSummary } from '@carebox/shared'
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts'
import { chartHeight, ChartFrame } from './ChartFrame'
import { bucketsOf, formatBucket, formatNumber, formatRate } from './report-format'

const percentTick = (share: number) => `${share}%`
const shareOf = (point: NegativeSharePoint) => (point.labelled > 0 ? point.negative / point.labelled : null)
const isThin = (point: NegativeSharePoint) => point.labelled < minLabelledForShare
const thinNote = `fewer than ${minLabelledForShare} labelled`

interface Row {
  label: string
  negative: number
  labelled: number
  /** The share in percent, drawn in colour when there are enough labelled messages… */
  share: number | null
  /** …and greyed when there are too few to read much from. A bucket with none has neither: a gap. */
  thinShare: number | null
}

const tooltipValue = (value: unknown, _name: unknown, item: { payload?: Row }) => {
  const row = item.payload
  if (typeof value !== 'number' || !row) return 'no labelled messages'
  const counts = `${formatNumber(row.negative)} of ${formatNumber(row.labelled)} labelled`
  return `${formatRate(value / 100)} (${counts}${row.labelled < minLabelledForShare ? `, ${thinNote}` : ''})`
}

/** Customer messages labelled negative ÷ those labelled at all, per day or hour; too few labelled is greyed. */
export function NegativeShareChart({ summary }: { summary: ReportSummary }) {
  const trend = summary.negativeShareTrend
  // Today filtered by agent or tag is counted by day only: then the points are the buckets.
  const isHourly = trend.some((point) => point.at.includes('T'))
  const buckets = summary.period.granularity === 'hour' && !isHourly ? trend.map((point) => point.at) : bucketsOf(summary.period)
  const rows: Row[] = buckets.map((at) => {
    const point = trend.find((p) => p.at === at) ?? { at, negative: 0, labelled: 0 }
    const share = shareOf(point)
    const percent = share === null ? null : Math.round(share * 1000) / 10
    return {
      label: formatBucket(at),
      negative: point.negative,
      labelled: point.labelled,
      share: isThin(point) ? null : percent,
      thinShare: isThin(point) ? percent : null,
    }
  })
  const per = isHourly ? 'hour' : 'day'
  const hasLabels = trend.some((point) => point.labelled > 0)
  return (
    <ChartFrame
      title={`Negative share per ${per}`}
      metric="negativeShare"
      figures={
        <div className="table-wrap">
          <table className="data-table" aria-label={`Negative share per ${per}`}>
            <thead>
              <tr>
                <th scope="col">{per === 'hour' ? 'Hour' : 'Day'}</th>
                <th scope="col">Negative share</th>
                <th scope="col">Negative</th>
                <th scope="col">Labelled</th>
              </tr>
            </thead>
            <tbody>
              {trend.map((point) => (
                <tr key={point.at} className={isThin(point) ? 'inactive' : undefined}>
                  <td>{formatBucket(point.at)}</td>
                  <td>
                    {formatRate(shareOf(point))}
                    {isThin(point) && point.labelled > 0 && ` (${thinNote})`}
                  </td>
                  <td>{point.negative}</td>
                  <td>{point.labelled}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      }
    >
      {(width) =>
        hasLabels ? (
          <BarChart width={width} height={chartHeight} data={rows}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" />
            <YAxis width={48} domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tickFormatter={percentTick} />
            <Tooltip formatter={tooltipValue} />
            <Legend />
            <Bar dataKey="share" name="Negative share" stackId="share" fill="#dc2626" />
            <Bar dataKey="thinShare" name={`Negative share, ${thinNote}`} stackId="share" fill="#cbd5e1" />
          </BarChart>
        ) : (
          <p className="muted">No labelled customer messages in this period.</p>
        )
      }
    </ChartFrame>
  )
}
