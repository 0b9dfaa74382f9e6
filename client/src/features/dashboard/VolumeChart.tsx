import type { ReportSummary } from '@carebox/shared'
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts'
import { chartHeight, ChartFrame } from './ChartFrame'
import { bucketsOf, formatBucket } from './report-format'
import { volumeSeriesOf } from './volume-series'

/**
 * Customer messages in and replies out, per day (or hour, for today), stacked by channel: inbound is the solid bar
 * on the left, replied the outlined bar on its right, so the two differ by place and by shape, not by shade alone.
 */
export function VolumeChart({ summary }: { summary: ReportSummary }) {
  const series = volumeSeriesOf(summary)
  const rows = bucketsOf(summary.period).map((at) => {
    const row: Record<string, string | number> = { at, label: formatBucket(at) }
    for (const one of series) {
      const points = summary.volume.filter((p) => p.at === at && one.channelIds.includes(p.channelId))
      row[`inbound:${one.id}`] = points.reduce((sum, p) => sum + p.inbound, 0)
      row[`replied:${one.id}`] = points.reduce((sum, p) => sum + p.replied, 0)
    }
    return row
  })
  const per = summary.period.granularity === 'hour' ? 'hour' : 'day'
  const nameOf = (channelId: string) => summary.channels.find((c) => c.id === channelId)?.name ?? 'Removed channel'
  return (
    <ChartFrame
      title={`Inbound and replied per ${per}`}
      metric="volume"
      figures={
        <table className="data-table" aria-label={`Inbound and replied per ${per} by channel`}>
          <thead>
            <tr>
              <th scope="col">{per === 'hour' ? 'Hour' : 'Day'}</th>
              <th scope="col">Channel</th>
              <th scope="col">Inbound</th>
              <th scope="col">Replied</th>
            </tr>
          </thead>
          <tbody>
            {summary.volume.map((point) => (
              <tr key={`${point.at}:${point.channelId}`}>
                <td>{formatBucket(point.at)}</td>
                <td>{nameOf(point.channelId)}</td>
                <td>{point.inbound}</td>
                <td>{point.replied}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {(width) => (
        <>
          <ul className="chart-legend" aria-label="Channels">
            {series.map((one) => (
              <li key={one.id} title={one.channelIds.length > 1 ? one.channelIds.map(nameOf).join(', ') : undefined}>
                <span className="chart-swatch" style={{ background: one.colour }} aria-hidden="true" />
                {one.name}
              </li>
            ))}
            <li className="muted">
              Each {per}: inbound (<span className="chart-swatch chart-swatch-solid" aria-hidden="true" />
              solid), then replied (<span className="chart-swatch chart-swatch-outlined" aria-hidden="true" />
              outlined)
            </li>
          </ul>
          {series.length === 0 ? (
            <p className="muted">No messages in this period.</p>
          ) : (
            <BarChart width={width} height={chartHeight} data={rows} barGap={3}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" />
              <YAxis allowDecimals={false} width={40} />
              <Tooltip />
              {series.map((one) => (
                <Bar key={`inbound:${one.id}`} dataKey={`inbound:${one.id}`} stackId="inbound" name={`${one.name}: inbound`} fill={one.colour} />
              ))}
              {series.map((one) => (
                <Bar
                  key={`replied:${one.id}`}
                  dataKey={`replied:${one.id}`}
                  stackId="replied"
                  name={`${one.name}: replied`}
                  fill="#ffffff"
                  stroke={one.colour}
                  strokeWidth={2}
                />
              ))}
            </BarChart>
          )}
        </>
      )}
    </ChartFrame>
  )
}
