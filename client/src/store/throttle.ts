/**
 * Runs `fn` at most once per `ms`: at once after a quiet spell, otherwise once when the wait ends (every call
 * in between folds into that one run).
 */
export function throttle(fn: () => void, ms: number): () => void {
  let lastRunAt = Number.NEGATIVE_INFINITY
  let timer: ReturnType<typeof setTimeout> | null = null
  const run = () => {
    timer = null
    lastRunAt = Date.now()
    fn()
  }
  return () => {
    if (timer) return
    const wait = lastRunAt + ms - Date.now()
    // A wait longer than `ms` means the clock was set back: run rather than stall.
    if (wait <= 0 || wait > ms) run()
    else timer = setTimeout(run, wait)
  }
}
