import type { SatisfactionReport } from '@carebox/shared'
import { memo, useId } from 'react'
import { NotOfferedReasons } from './NotOfferedReasons'
import { SatisfactionCards } from './SatisfactionCards'
import { SatisfactionComments } from './SatisfactionComments'
import { SatisfactionTable } from './SatisfactionTable'
import { noRatingsYet, SatisfactionTrendChart } from './SatisfactionTrendChart'

/**
 * What customers said of the period's conversations: CSAT score, survey response rate, the ratings' spread, the
 * score by day, by agent, channel and tag, why surveys were not sent, and the latest comments and low ratings.
 * Memoised: the page re-renders as each of its other parts loads, and the chart need not be drawn again each time.
 */
export const SatisfactionPanel = memo(function SatisfactionPanel({
  report,
  isLoading,
  error,
}: {
  report: SatisfactionReport | null
  isLoading: boolean
  error: string | undefined
}) {
  const titleId = useId()
  const isEmpty = report !== null && report.totals.offered === 0 && report.totals.answered === 0 && report.notOffered.length === 0
  return (
    <section className="satisfaction" aria-labelledby={titleId} aria-busy={isLoading}>
      <h2 id={titleId}>Satisfaction</h2>
      {error && (
        <p role="alert" className="error">
          Could not load satisfaction: {error}
        </p>
      )}
      {report === null ? (
        !error && <p className="muted">Loading…</p>
      ) : isEmpty ? (
        <p className="empty-state satisfaction-empty">{noRatingsYet} Once customers answer, their score, ratings and comments show here.</p>
      ) : (
        <>
          <SatisfactionCards totals={report.totals} />
          <div className="chart-grid">
            <SatisfactionTrendChart report={report} />
            <NotOfferedReasons reasons={report.notOffered} />
          </div>
          <div className="satisfaction-groups">
            <SatisfactionTable
              title="By agent"
              nameLabel="Agent"
              metric="satisfactionPerAgent"
              groups={report.byAgent}
              empty="No surveys offered in this period."
            />
            <SatisfactionTable title="By channel" nameLabel="Channel" metric="csatScore" groups={report.byChannel} empty="No surveys offered in this period." />
            <SatisfactionTable
              title="By tag"
              nameLabel="Tag"
              metric="csatScore"
              groups={report.byTag}
              empty="No surveys offered on tagged conversations in this period."
            />
          </div>
          <SatisfactionComments comments={report.comments} />
        </>
      )}
    </section>
  )
})
