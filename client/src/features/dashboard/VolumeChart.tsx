import type { ReportSummary } from '@carebox/shared'
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts'
import { chartHeight, ChartFrame, seriesColours } from './ChartFrame'
import { bucketsOf, formatBucket } from './report-format'

interface ChannelSeries {
  id: string
  name: string
  colour: string
}

/** The channels that had any volume, named (a channel since removed or hidden still shows, unnamed). */
function channelsOf(summary: ReportSummary): ChannelSeries[] {
  const ids = [...new Set([...summary.channels.map((c) => c.id), ...summary.volume.map((p) => p.channelId)])].filter((id) =>
    summary.volume.some((p) => p.channelId === id),
  )
  return ids.map((id, index) => ({
    id,
    name: summary.channels.find((c) => c.id === id)?.name ?? 'Other channel',
    colour: seriesColours[index % seriesColours.length] as string,
  }))
}

/** Customer messages in and replies out, per day (or hour, for today), stacked by channel: inbound left, replied right. */
export function VolumeChart({ summary }: { summary: ReportSummary }) {
  const channels = channelsOf(summary)
  const rows = bucketsOf(summary.period).map((at) => {
    const row: Record<string, string | number> = { at, label: formatBucket(at) }
    for (const channel of channels) {
      const point = summary.volume.find((p) => p.at === at && p.channelId === channel.id)
      row[`inbound:${channel.id}`] = point?.inbound ?? 0
      row[`replied:${channel.id}`] = point?.replied ?? 0
    }
    return row
  })
  const per = summary.period.granularity === 'hour' ? 'hour' : 'day'
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
                <td>{channels.find((c) => c.id === point.channelId)?.name}</td>
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
            {channels.map((channel) => (
              <li key={channel.id}>
                <span className="chart-swatch" style={{ background: channel.colour }} aria-hidden="true" />
                {channel.name}
              </li>
            ))}
            <li className="muted">Each {per}: inbound (solid), then replied (light)</li>
          </ul>
          {channels.length === 0 ? (
            <p className="muted">No messages in this period.</p>
          ) : (
            <BarChart width={width} height={chartHeight} data={rows} barGap={2}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" />
              <YAxis allowDecimals={false} width={40} />
              <Tooltip />
              {channels.map((channel) => (
                <Bar
                  key={`inbound:${channel.id}`}
                  dataKey={`inbound:${channel.id}`}
                  stackId="inbound"
                  name={`${channel.name}: inbound`}
                  fill={channel.colour}
                />
              ))}
              {channels.map((channel) => (
                <Bar
                  key={`replied:${channel.id}`}
                  dataKey={`replied:${channel.id}`}
                  stackId="replied"
                  name={`${channel.name}: replied`}
                  fill={channel.colour}
                  fillOpacity={0.4}
                />
              ))}
            </BarChart>
          )}
        </>
      )}
    </ChartFrame>
  )
}
