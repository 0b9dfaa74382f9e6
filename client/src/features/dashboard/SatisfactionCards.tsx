import type { SatisfactionFigures } from '@carebox/shared'
import { MetricCard } from './MetricCard'
import { RatingDistribution } from './RatingDistribution'
import { formatCount, formatNumber, formatRate, formatScore } from './report-format'

/** The period's satisfaction at a glance: the CSAT score, the survey response rate and how the ratings spread. */
export function SatisfactionCards({ totals }: { totals: SatisfactionFigures }) {
  return (
    <div className="metric-cards" aria-label="Satisfaction figures" role="group">
      <MetricCard title="CSAT score" metric="csatScore">
        <p className="metric-big">{formatScore(totals.score)}</p>
        <p className="metric-note">
          {formatCount(totals.answered, 'rating', 'ratings')}
          {totals.answered > 0 && `, ${formatNumber(totals.satisfied)} of them 4 or 5`}
        </p>
      </MetricCard>
      <MetricCard title="Survey response rate" metric="surveyResponseRate">
        <p className="metric-big">{formatRate(totals.responseRate)}</p>
        <p className="metric-note">
          {formatNumber(totals.answered)} of {formatNumber(totals.offered)} offered {totals.offered === 1 ? 'survey' : 'surveys'} answered
        </p>
      </MetricCard>
      <MetricCard title="Ratings 1 to 5" metric="csatScore">
        <RatingDistribution distribution={totals.distribution} />
      </MetricCard>
    </div>
  )
}
