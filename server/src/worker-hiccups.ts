/**
 * graphile-worker 0.17 rejects a promise nobody awaits when a pool that is shutting down (because the database went
 * away) cannot hand the jobs it had prefetched back to the queue. Left to Node, that unhandled rejection would stop
 * the whole process over a case Carebox already covers: those jobs stay locked by the stopped pool, whose heartbeat
 * goes stale, and the sweep unlocks them for the next pool (queue/heartbeats.ts).
 */
export function isPrefetchedJobsReturnFailure(reason: unknown): boolean {
  return reason instanceof Error && reason.message.startsWith('Error occurred whilst returning jobs from local queue to database queue')
}

/**
 * Installed beside the stop handler (cli/run-cli.ts): the known worker hiccup is logged and
 * survived; anything else stops the process loudly, through the stop handler's clean shutdown for errors (exit 1).
 */
export function handleUnhandledRejections(log: { warn(o: object, m: string): void }): void {
  process.on('unhandledRejection', (reason) => {
    if (isPrefetchedJobsReturnFailure(reason)) {
      log.warn(
        { reason: (reason as Error).message },
        'a job worker pool stopped without returning its prefetched jobs; they are unlocked for the others within a minute',
      )
      return
    }
    const error = reason instanceof Error ? reason : new Error(String(reason))
    // The stop handler listens for uncaught exceptions: it logs, drains and exits 1.
    ;(process.emit as (event: string, ...args: unknown[]) => boolean)('uncaughtException', error, 'unhandledRejection')
  })
}
