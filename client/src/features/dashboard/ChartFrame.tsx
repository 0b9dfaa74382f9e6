import { useId, type ReactNode } from 'react'
import type { MetricId } from './definitions'
import { DefinitionButton } from './DefinitionButton'
import { useChartWidth } from './useChartWidth'

export const chartHeight = 240

/** A chart with its title, its definition a click away, and its figures as a table for whoever cannot read the drawing. */
export function ChartFrame({
  title,
  metric,
  figures,
  level = 2,
  children,
}: {
  title: string
  metric: MetricId
  figures: ReactNode
  /** The title's heading level: 3 for a chart inside a titled part of the page. */
  level?: 2 | 3
  children: (width: number) => ReactNode
}) {
  const { box, width } = useChartWidth()
  const titleId = useId()
  const Heading = level === 3 ? 'h3' : 'h2'

  return (
    <figure className="panel chart" aria-labelledby={titleId}>
      <figcaption className="chart-head">
        <Heading id={titleId}>{title}</Heading>
        <DefinitionButton metric={metric} />
      </figcaption>
      <div ref={box} className="chart-box">
        {children(width)}
      </div>
      <details className="chart-figures">
        <summary>Show the figures</summary>
        {figures}
      </details>
    </figure>
  )
}

/** Colours for channels, in the order the report lists them. */
export const seriesColours = ['#2563eb', '#16a34a', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#dc2626']
