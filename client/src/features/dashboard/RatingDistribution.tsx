import { formatCount, formatRate } from './report-format'

/** How many of each rating, 1 to 5, as a row of small bars (the tallest is the most given), each with its count. */
export function RatingDistribution({ distribution }: { distribution: readonly number[] }) {
  const most = Math.max(0, ...distribution)
  const total = distribution.reduce((sum, n) => sum + n, 0)
  return (
    <ol className="rating-bars" aria-label="Ratings from 1 to 5">
      {distribution.map((count, index) => {
        const rating = index + 1
        return (
          <li key={rating} className={`rating-bar rating-bar-${rating}`} title={total > 0 ? `${formatRate(count / total)} of ratings` : undefined}>
            <span className="visually-hidden">
              {rating}: {formatCount(count, 'rating', 'ratings')}
            </span>
            <span className="rating-bar-count" aria-hidden="true">
              {count}
            </span>
            <span className="rating-bar-track" aria-hidden="true">
              <span className="rating-bar-fill" style={{ height: `${most > 0 ? (count / most) * 100 : 0}%` }} />
            </span>
            <span className="rating-bar-label" aria-hidden="true">
              {rating}
            </span>
          </li>
        )
      })}
    </ol>
  )
}
