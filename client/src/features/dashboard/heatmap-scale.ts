/**
 * The count at which a heatmap cell is drawn at full colour: the 95th percentile of the hours that had any
 * messages, not the busiest hour, so one launch-day hour does not wash every other hour out to white. Hours above
 * it are drawn at full colour too (their exact counts are in each cell's text). Quiet hours are left out of the
 * percentile, or a team that writes in few hours of the week would get a scale of zero.
 */
export function robustMaximum(counts: readonly number[], percentile = 0.95): number {
  const busy = counts.filter((count) => count > 0).sort((a, b) => a - b)
  if (busy.length === 0) return 0
  // Nearest rank: the smallest count with at least `percentile` of the busy hours at or below it.
  const rank = Math.max(1, Math.ceil(percentile * busy.length))
  return busy[rank - 1] as number
}

/** A cell's opacity, as a string for the style: quiet hours blank, any message visible, the scale's top and above solid. */
export function cellIntensity(count: number, scaleMaximum: number): string {
  if (count <= 0 || scaleMaximum <= 0) return '0'
  return (0.12 + 0.88 * Math.min(1, count / scaleMaximum)).toFixed(3)
}
