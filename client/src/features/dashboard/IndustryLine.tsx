import { industryResponseRate } from '@carebox/shared'
import { formatRate } from './report-format'

/** The team's response rate as a bar, with a marker at the ~1 in 10 the industry answers (Sprout Social Index, 2016). */
export function IndustryLine({ rate }: { rate: number | null }) {
  const shown = rate === null ? 0 : Math.min(1, Math.max(0, rate))
  const comparison =
    rate === null
      ? 'Nothing to answer yet'
      : rate >= industryResponseRate
        ? `${times(rate / industryResponseRate)} the industry line`
        : 'Below the industry line'
  return (
    <div className="industry">
      <div className="industry-bar" role="img" aria-label={`${formatRate(rate)} against the industry line of ${formatRate(industryResponseRate)}`}>
        <span className="industry-bar-fill" style={{ width: `${shown * 100}%` }} />
        <span className="industry-bar-marker" style={{ left: `${industryResponseRate * 100}%` }} />
      </div>
      <p className="metric-note">
        {comparison}. Industry: {formatRate(industryResponseRate)}, about 1 in 10 (Sprout Social Index, 2016, Q2).
      </p>
    </div>
  )
}

function times(ratio: number): string {
  return `${ratio.toFixed(ratio < 10 ? 1 : 0)}×`
}
