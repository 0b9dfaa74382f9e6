/**
 * Times are kept in histograms, not lists: a median over 90 days then reads a few hundred rows whatever the volume.
 * A bucket is named by its lower edge in seconds, and figures are reported at that edge, so precision is:
 * 10 s under 10 minutes, the minute under 2 hours, 10 minutes under a day, the hour under a week, 6 hours beyond
 * (up to 90 days, where the last bucket holds everything longer).
 */
const steps: [below: number, step: number][] = [
  [600, 10],
  [7_200, 60],
  [86_400, 600],
  [604_800, 3_600],
  [Number.POSITIVE_INFINITY, 21_600],
]
const lastBucket = 90 * 86_400

export function bucketOf(seconds: number): number {
  const s = Math.max(0, Math.floor(seconds))
  for (const [below, step] of steps) if (s < below) return Math.min(s - (s % step), lastBucket)
  return lastBucket
}

/**
 * The q-quantile by nearest rank: the smallest bucket at or below which at least q of the cases lie (the median of
 * 4 cases is the 2nd). Buckets in any order; null with no cases.
 */
export function quantile(histogram: Iterable<readonly [bucket: number, count: number]>, q: number): number | null {
  const sorted = [...histogram].filter(([, count]) => count > 0).sort((a, b) => a[0] - b[0])
  const total = sorted.reduce((sum, [, count]) => sum + count, 0)
  if (total === 0) return null
  const rank = Math.max(1, Math.ceil(q * total))
  let seen = 0
  for (const [bucket, count] of sorted) {
    seen += count
    if (seen >= rank) return bucket
  }
  return sorted.at(-1)?.[0] ?? null
}

export function timeFigure(histogram: Iterable<readonly [number, number]>): { median: number | null; p90: number | null; count: number } {
  const entries = [...histogram]
  return { median: quantile(entries, 0.5), p90: quantile(entries, 0.9), count: entries.reduce((sum, [, count]) => sum + count, 0) }
}
