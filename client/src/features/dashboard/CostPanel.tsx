import { costInputSources, defaultCostSettings, gartnerEnvelope, type CostReport } from '@carebox/shared'
import { useId, type MouseEvent } from 'react'
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts'
import { useStore } from '../../store/store'
import { costInputLabels, costInputs, isMoneyInput, type CostInput } from '../settings/report-settings-fields'
import { chartHeight } from './ChartFrame'
import { CostBreakdown } from './CostBreakdown'
import { DefinitionButton } from './DefinitionButton'
import { formatBucket, formatDecimal, formatMoney, formatRate } from './report-format'
import { useChartWidth } from './useChartWidth'

const settingsPath = '/settings/reports'

function inputText(input: CostInput, value: number, currency: string): string {
  return isMoneyInput(input) ? formatMoney(value, currency) : formatDecimal(value)
}

/**
 * What answering on social saved against the phone: avoided cost, the social channel's own cost, the net, and how
 * much of it rests on the deflection assumption (the band from 0.25 to 1.0). Every input shows its default and source.
 */
export function CostPanel({ report }: { report: CostReport }) {
  const navigate = useStore((s) => s.navigate)
  const titleId = useId()
  const { box, width } = useChartWidth()
  const { currency } = report.settings
  const money = (amount: number | null) => formatMoney(amount, currency)
  const band = [
    { label: 'Low', figures: report.band.low },
    {
      label: 'Your setting',
      figures: { deflectionRate: report.settings.deflectionRate, avoidedCost: report.avoidedCost, netSaving: report.netSaving, roi: report.roi },
    },
    { label: 'High', figures: report.band.high },
  ]
  const lowest = Math.min(0, report.band.low.netSaving, report.band.high.netSaving)
  const highest = Math.max(0, report.band.low.netSaving, report.band.high.netSaving, report.netSaving)
  const at = (amount: number) => (highest === lowest ? 0 : ((amount - lowest) / (highest - lowest)) * 100)

  const openSettings = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
    event.preventDefault()
    navigate(settingsPath)
  }

  return (
    <section className="panel cost-panel" aria-labelledby={titleId}>
      <div className="chart-head">
        <h2 id={titleId}>Cost saving</h2>
        <DefinitionButton metric="cost" />
      </div>
      <dl className="cost-figures">
        <div>
          <dt>Avoided cost</dt>
          <dd>{money(report.avoidedCost)}</dd>
        </div>
        <div>
          <dt>Social cost</dt>
          <dd>{money(report.socialCost)}</dd>
        </div>
        <div>
          <dt>Net saving</dt>
          <dd>{money(report.netSaving)}</dd>
        </div>
        <div>
          <dt>Cost per resolution</dt>
          <dd>{money(report.costPerResolution)}</dd>
        </div>
        <div>
          <dt>ROI</dt>
          <dd>{formatRate(report.roi)}</dd>
        </div>
      </dl>
      <CostBreakdown report={report} />

      <h3>Deflection sensitivity</h3>
      <p className="metric-note">
        The deflection rate (the share of social conversations that would otherwise have been a phone call) is an assumption: here is the saving from{' '}
        {formatDecimal(report.band.low.deflectionRate)} to {formatDecimal(report.band.high.deflectionRate)}.
      </p>
      <div
        className="band-bar"
        role="img"
        aria-label={`Net saving from ${money(report.band.low.netSaving)} to ${money(report.band.high.netSaving)}; ${money(report.netSaving)} at your setting`}
      >
        <span
          className="band-bar-range"
          style={{ left: `${at(report.band.low.netSaving)}%`, width: `${at(report.band.high.netSaving) - at(report.band.low.netSaving)}%` }}
        />
        <span className="band-bar-marker" style={{ left: `${at(report.netSaving)}%` }} />
      </div>
      <div className="table-wrap">
        <table className="data-table" aria-label="Deflection band">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">Deflection rate</th>
              <th scope="col">Avoided cost</th>
              <th scope="col">Net saving</th>
              <th scope="col">ROI</th>
            </tr>
          </thead>
          <tbody>
            {band.map(({ label, figures }) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>{formatDecimal(figures.deflectionRate)}</td>
                <td>{money(figures.avoidedCost)}</td>
                <td>{money(figures.netSaving)}</td>
                <td>{formatRate(figures.roi)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div ref={box} className="chart-box" role="group" aria-label="Cost over time">
        {report.series.length === 0 ? (
          <p className="muted">Nothing resolved in this period yet.</p>
        ) : (
          <LineChart width={width} height={chartHeight} data={report.series.map((p) => ({ ...p, label: formatBucket(p.at) }))}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" />
            <YAxis width={72} tickFormatter={(value: number) => money(value)} />
            <Tooltip formatter={(value: unknown) => (typeof value === 'number' ? money(value) : '')} />
            <Legend />
            <Line type="monotone" dataKey="avoidedCost" name="Avoided cost" stroke="#16a34a" strokeWidth={2} dot={false} />
            <Line type="monotone" dataKey="socialCost" name="Social cost" stroke="#dc2626" strokeWidth={2} dot={false} />
            <Line type="monotone" dataKey="netSaving" name="Net saving" stroke="#2563eb" strokeWidth={2} dot={false} />
          </LineChart>
        )}
      </div>

      <h3>Inputs</h3>
      <div className="table-wrap">
        <table className="data-table cost-inputs" aria-label="Cost inputs">
          <thead>
            <tr>
              <th scope="col">Input</th>
              <th scope="col">Value</th>
              <th scope="col">Default</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {costInputs.map((input) => (
              <tr key={input}>
                <th scope="row">{costInputLabels[input]}</th>
                <td>{inputText(input, report.settings[input], currency)}</td>
                <td>{inputText(input, defaultCostSettings[input], defaultCostSettings.currency)}</td>
                <td>{costInputSources[input]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="metric-note" aria-label="Upper-bound envelope">
        Upper bound: {gartnerEnvelope.source} Your cost per resolution: {money(report.costPerResolution)}.
      </p>
      <p className="metric-note">
        <a href={settingsPath} onClick={openSettings}>
          Cost inputs are set in Settings → Reports
        </a>
        .
      </p>
    </section>
  )
}
