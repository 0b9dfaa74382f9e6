import type { SatisfactionReport } from '@carebox/shared'
import { useId } from 'react'
import { DefinitionButton } from './DefinitionButton'
import { formatCount, formatNumber } from './report-format'

/** The surveys that were due but never sent, by why (the window had closed, a public thread…), most first. */
export function NotOfferedReasons({ reasons }: { reasons: SatisfactionReport['notOffered'] }) {
  const titleId = useId()
  const total = reasons.reduce((sum, reason) => sum + reason.count, 0)
  return (
    <section className="panel" aria-labelledby={titleId}>
      <div className="chart-head">
        <h3 id={titleId}>Surveys not offered</h3>
        <DefinitionButton metric="surveyResponseRate" />
      </div>
      {reasons.length === 0 ? (
        <p className="muted">Every survey due in this period was offered.</p>
      ) : (
        <>
          <p className="metric-note">{formatCount(total, 'survey was', 'surveys were')} not sent, and count in neither part of the response rate.</p>
          <ul className="reason-list" aria-labelledby={titleId}>
            {reasons.map((reason) => (
              <li key={reason.reason}>
                <span>{reason.reason}</span>
                <strong>
                  <span className="visually-hidden">: </span>
                  {formatNumber(reason.count)}
                </strong>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
