import { useId, type ReactNode } from 'react'
import type { MetricId } from './definitions'
import { DefinitionButton } from './DefinitionButton'

/** One headline figure: its name, how it is computed a click away, the figure and what it is made of. */
export function MetricCard({ title, metric, children }: { title: string; metric: MetricId; children: ReactNode }) {
  const headingId = useId()
  return (
    <section className="metric-card" aria-labelledby={headingId}>
      <div className="metric-card-head">
        <h3 id={headingId}>{title}</h3>
        <DefinitionButton metric={metric} />
      </div>
      {children}
    </section>
  )
}
