/**
 * Steps a time axis may take, in seconds: the ones a clock reads in (15 s, 5 min, 30 min, 6 h, 2 d), so each tick
 * is a round time rather than 1-2-5 of some unit.
 */
const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400, 172_800, 432_000, 604_800]

/**
 * Ticks for a linear time axis from zero up past `maxSeconds`: the smallest round step that needs at most
 * `maxIntervals` intervals, so there are 2 to maxIntervals + 1 ticks, the last at or above the highest value.
 */
export function roundTimeTicks(maxSeconds: number, maxIntervals = 5): number[] {
  if (!(maxSeconds > 0)) return [0, 60]
  const step =
    steps.find((candidate) => Math.ceil(maxSeconds / candidate) <= maxIntervals) ??
    // Beyond weeks: whole weeks, as many as needed.
    604_800 * Math.ceil(maxSeconds / 604_800 / maxIntervals)
  const intervals = Math.max(1, Math.ceil(maxSeconds / step))
  return Array.from({ length: intervals + 1 }, (_, index) => index * step)
}
