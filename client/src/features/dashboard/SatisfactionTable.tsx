import type { SatisfactionReport } from '@carebox/shared'
import { useId } from 'react'
import type { MetricId } from './definitions'
import { DefinitionButton } from './DefinitionButton'
import { formatNumber, formatRate, formatScore } from './report-format'

type SatisfactionGroup = SatisfactionReport['byAgent'][number]

/** Satisfaction by agent, channel or tag: the score, how many rated, and the response rate, most ratings first. */
export function SatisfactionTable({
  title,
  nameLabel,
  metric,
  groups,
  empty,
}: {
  title: string
  nameLabel: string
  metric: MetricId
  groups: readonly SatisfactionGroup[]
  empty: string
}) {
  const titleId = useId()
  return (
    <section className="panel" aria-labelledby={titleId}>
      <div className="chart-head">
        <h3 id={titleId}>{title}</h3>
        <DefinitionButton metric={metric} />
      </div>
      {groups.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table satisfaction-table" aria-labelledby={titleId}>
            <thead>
              <tr>
                <th scope="col">{nameLabel}</th>
                <th scope="col">Score</th>
                <th scope="col">Ratings</th>
                <th scope="col">Response rate</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => (
                <tr key={group.id ?? 'none'}>
                  <th scope="row">
                    <bdi>{group.name}</bdi>
                  </th>
                  <td>{formatScore(group.figures.score)}</td>
                  <td>{formatNumber(group.figures.answered)}</td>
                  <td title={`${group.figures.answered} of ${group.figures.offered} offered`}>{formatRate(group.figures.responseRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
