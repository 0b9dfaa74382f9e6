import { minMeasuredResolutions, type CostReport } from '@carebox/shared'
import { formatCount, formatMoney, formatNumber, formatRate } from './report-format'

/**
 * Where the cost figures come from: each input, its value and what it adds, then the sentence that puts them
 * together. Working time is what the consoles measured, never a wall-clock span.
 */
export function CostBreakdown({ report }: { report: CostReport }) {
  const { breakdown, settings } = report
  const money = (amount: number) => formatMoney(amount, settings.currency)
  const isMeasured = breakdown.basis === 'measured'
  const rows: [string, string, string][] = [
    ['Resolved social conversations', formatNumber(breakdown.resolved), ''],
    ['Share that would have been phone calls', formatRate(settings.deflectionRate), ''],
    ['Cost per phone call', money(settings.phoneCostPerContact), `${money(report.avoidedCost)} avoided`],
    isMeasured
      ? [`Hours agents worked (in ${formatCount(breakdown.workedConversations, 'conversation', 'conversations')})`, formatNumber(breakdown.workedHours), '']
      : [`Default cost per conversation, until ${minMeasuredResolutions} resolutions are measured`, money(settings.socialCostPerConversation), ''],
    isMeasured
      ? [
          `Cost per hour (${money(settings.agentHourlyCost)} agent + ${money(settings.overheadPerHour)} overhead)`,
          money(breakdown.hourlyCost),
          `${money(report.socialCost)} social cost`,
        ]
      : [`Resolved conversations with working time recorded`, formatNumber(breakdown.measuredResolutions), `${money(report.socialCost)} social cost`],
  ]
  return (
    <>
      <div className="table-wrap">
        <table className="data-table cost-breakdown" aria-label="Cost breakdown">
          <thead>
            <tr>
              <th scope="col">Input</th>
              <th scope="col">Value</th>
              <th scope="col">Contributes</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, value, contributes]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>{value}</td>
                <td>{contributes}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Net saving</th>
              <td />
              <td>{money(report.netSaving)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <p className="metric-note" aria-label="Cost explanation">
        {breakdown.explanation}
      </p>
      <p className="metric-note" aria-label="Social cost basis">
        {isMeasured
          ? `Social cost measured: ${formatNumber(breakdown.workedHours)} hours agents worked × (${money(settings.agentHourlyCost)} agent cost + ${money(settings.overheadPerHour)} overhead per hour), over ${formatNumber(report.resolved)} resolved social conversations.`
          : `Social cost is the per-conversation default: ${money(settings.socialCostPerConversation)} × ${formatNumber(report.resolved)} resolved social conversations, until ${minMeasuredResolutions} resolved conversations have working time recorded (${formatNumber(breakdown.measuredResolutions)} so far).`}{' '}
        Working time is measured from the console: a minute counts while an agent has the conversation’s thread open and in focus and is active (typing,
        pointing, clicking), not the wall-clock time from the first reply to the resolve.
      </p>
    </>
  )
}
