import { attributionSourceLabels, type AttributionReport, type AttributionRow } from '@carebox/shared'
import { memo, useId } from 'react'
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts'
import { chartHeight, ChartFrame, seriesColours } from './ChartFrame'
import { formatMoney, formatNumber, formatRate, formatScore, formatSeconds } from './report-format'

/** A campaign as a lead reads it: the ad's headline (an advertiser's words, shown as text) or the link's ref. */
function campaignName(row: AttributionRow): { name: string; detail: string | null } {
  if (row.source === 'ad') {
    if (row.headline) return { name: `“${row.headline}”`, detail: row.campaign ? `ad ${row.campaign}` : null }
    return { name: row.campaign ? `Ad ${row.campaign}` : 'Ad without an id', detail: null }
  }
  return { name: row.campaign ? `ref=${row.campaign}` : 'Link without a ref', detail: null }
}

function Figures({ row }: { row: AttributionRow }) {
  return (
    <>
      <td>{formatNumber(row.conversations)}</td>
      <td title={`${row.answered} of ${row.conversations} answered`}>{formatRate(row.responseRate)}</td>
      <td title={row.firstResponse.p90 === null ? undefined : `p90 ${formatSeconds(row.firstResponse.p90)}`}>{formatSeconds(row.firstResponse.median)}</td>
      <td title={`${row.resolved} of ${row.conversations} resolved`}>{formatRate(row.resolutionRate)}</td>
      <td title={`${row.satisfied} of ${row.ratings} ratings were 4 or 5`}>{formatScore(row.satisfaction)}</td>
      <td>{formatNumber(row.leads)}</td>
      <td>{formatNumber(row.purchases)}</td>
      <td>{row.revenue.length === 0 ? '—' : row.revenue.map((amount) => formatMoney(amount.value, amount.currency)).join(', ')}</td>
    </>
  )
}

const figureHeads = ['Conversations', 'Response rate', 'First response (median)', 'Resolved', 'Satisfaction', 'Leads', 'Purchases', 'Revenue']

function FigureTable({ label, nameLabel, rows }: { label: string; nameLabel: string; rows: AttributionRow[] }) {
  return (
    <div className="table-wrap">
      <table className="data-table attribution-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">{nameLabel}</th>
            {figureHeads.map((head) => (
              <th key={head} scope="col">
                {head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const { name, detail } = nameLabel === 'Source' ? { name: attributionSourceLabels[row.source], detail: null } : campaignName(row)
            return (
              <tr key={`${row.source}:${row.campaign ?? ''}`}>
                <th scope="row">
                  <bdi>{name}</bdi>
                  {detail && <span className="muted"> {detail}</span>}
                  {nameLabel !== 'Source' && <span className="muted"> · {attributionSourceLabels[row.source].toLowerCase()}</span>}
                </th>
                <Figures row={row} />
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

/** Conversations from ads, links and on their own: how many, and how many of them got an answer. */
function SourceChart({ rows }: { rows: AttributionRow[] }) {
  const data = rows.map((row) => ({ label: attributionSourceLabels[row.source], answered: row.answered, unanswered: row.conversations - row.answered }))
  return (
    <ChartFrame
      title="Conversations by source"
      metric="inboundConversations"
      level={3}
      figures={<FigureTable label="Conversations by source, figures" nameLabel="Source" rows={rows} />}
    >
      {(width) => (
        <BarChart width={width} height={chartHeight} data={data}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" />
          <YAxis allowDecimals={false} width={40} />
          <Tooltip />
          <Legend />
          <Bar dataKey="answered" name="Answered" stackId="conversations" fill={seriesColours[1]} />
          <Bar dataKey="unanswered" name="Not answered" stackId="conversations" fill={seriesColours[2]} />
        </BarChart>
      )}
    </ChartFrame>
  )
}

/**
 * Where the period's conversations came from (the ad or link of their first touch, or neither) and how each source and
 * campaign fared: the dashboard's own figures, per source. Memoised: the page re-renders as each other part loads.
 */
export const AttributionPanel = memo(function AttributionPanel({
  report,
  isLoading,
  error,
}: {
  report: AttributionReport | null
  isLoading: boolean
  error: string | undefined
}) {
  const titleId = useId()
  const isEmpty = report !== null && report.bySource.every((row) => row.conversations === 0)
  return (
    <section className="attribution-report" aria-labelledby={titleId} aria-busy={isLoading}>
      <h2 id={titleId}>Ads and links</h2>
      {error && <p className="error">Could not load where conversations came from: {error}</p>}
      {report === null ? (
        !error && <p className="muted">Loading…</p>
      ) : isEmpty ? (
        <p className="empty-state attribution-empty">
          No conversations in this period. When customers arrive from a Messenger, Instagram or WhatsApp ad, or from an m.me or ig.me link, each ad and link
          shows here with its response rate, first response, resolution, satisfaction and outcomes.
        </p>
      ) : (
        <>
          <p className="muted">
            A conversation counts under the ad or link it first came from, when a customer message began it (or began it again) in the period; the figures are
            the dashboard’s own.
          </p>
          <div className="chart-grid">
            <SourceChart rows={report.bySource} />
          </div>
          <FigureTable label="By source" nameLabel="Source" rows={report.bySource} />
          <h3>By campaign</h3>
          {report.byCampaign.length === 0 ? (
            <p className="muted">No conversation came from an ad or a link in this period.</p>
          ) : (
            <FigureTable label="By campaign" nameLabel="Ad or link" rows={report.byCampaign} />
          )}
        </>
      )}
    </section>
  )
})
