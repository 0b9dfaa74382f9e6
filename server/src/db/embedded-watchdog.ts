import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from 'pino'
import { findRunningPostmaster } from './embedded-postmaster.js'
import { findPostgresProcessesIn } from './embedded-processes.js'

const CHECK_INTERVAL_MS = 2_000
const FIRST_RETRY_MS = 250
const MAX_RETRY_MS = 2_000
/** Failed starts are expected for a moment; past this, each retry is worth a warning again. */
const QUIET_RETRIES_MS = 30_000

export interface Watchdog {
  /** Ends the checks. Resolves once a restart in progress has finished, so that none begins after it. */
  stop(): Promise<void>
}

/**
 * Restarts the embedded PostgreSQL when it dies while Carebox runs (killed, out of memory, `pg_ctl stop -m
 * immediate`), through `restart`, which starts it on the same port: every node's URL stays valid and the pools
 * reconnect on their own. Every node watches; when several notice at once, PostgreSQL's lock on postmaster.pid lets
 * one of them start it, and the others find it running on their next look.
 */
export function watchPostmaster(options: { clusterDir: string; restart: () => Promise<void>; log: Logger }): Watchdog {
  const { clusterDir, restart, log } = options
  const stopping = new AbortController()
  let timer: NodeJS.Timeout | undefined
  let cycle: Promise<void> = Promise.resolve()

  const schedule = () => {
    if (stopping.signal.aborted) return
    timer = setTimeout(() => {
      cycle = check().then(schedule)
    }, CHECK_INTERVAL_MS)
    // Watching must not keep the process alive once everything else is done.
    timer.unref()
  }

  async function check(): Promise<void> {
    if (stopping.signal.aborted || (await findRunningPostmaster(clusterDir))) return
    const since = Date.now()
    log.warn('embedded PostgreSQL stopped unexpectedly; restarting it')
    let delay = FIRST_RETRY_MS
    let quietUntil = since + QUIET_RETRIES_MS
    while (!stopping.signal.aborted) {
      if (await findRunningPostmaster(clusterDir)) {
        const ms = Date.now() - since
        log.info({ ms }, 'embedded PostgreSQL is running again after %d ms (another Carebox process restarted it)', ms)
        return
      }
      try {
        await restart()
        const ms = Date.now() - since
        log.info({ ms }, 'embedded PostgreSQL restarted after %d ms', ms)
        return
      } catch (error) {
        // Usually a moment's wait: backends of a killed postmaster still exiting, or another node starting it first.
        const reason = (error as Error).message
        if (Date.now() < quietUntil) {
          log.debug({ reason }, 'embedded PostgreSQL did not start yet; retrying')
        } else {
          // A backend busy with a long query notices its postmaster's death only when the query ends.
          const lingering = await findPostgresProcessesIn(clusterDir)
          log.warn({ reason, lingering }, 'embedded PostgreSQL still does not start; retrying')
          quietUntil = Date.now() + QUIET_RETRIES_MS
        }
      }
      await sleep(delay, undefined, { ref: false, signal: stopping.signal }).catch(() => {})
      delay = Math.min(delay * 2, MAX_RETRY_MS)
    }
  }

  schedule()
  return {
    async stop() {
      stopping.abort()
      clearTimeout(timer)
      await cycle
    },
  }
}
