import type { Logger } from 'pino'
import { ConfigError } from '../config.js'
import { StartupError } from '../errors.js'

/** Runs a command; a known failure prints one actionable line and exits non-zero, never a bare stack trace. */
export async function runCli(main: () => Promise<void>, what = 'Carebox'): Promise<void> {
  try {
    await main()
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof StartupError
    const message = known ? (error as Error).message : `${(error as Error).message} (unexpected; please report it)`
    process.stderr.write(`\n${what} could not start: ${message}\n`)
    process.exit(1)
  }
}

/** Why a long-running command stops: a signal (a person's Ctrl-C, a supervisor's SIGTERM) or an error nothing caught. */
type StopReason = { signal: NodeJS.Signals } | { error: Error }

export interface StopOptions {
  log: Logger
  /** What the stop does, for the log line that says it began ("draining requests and jobs"). */
  doing: string
  /** How long the whole stop may take before the process exits anyway, non-zero. */
  timeoutMs: number
  stop(): Promise<void>
}

export interface StopSignals {
  /** Exits 0 at once if a stop signal came already (while the modules loaded): nothing runs yet that needs stopping. */
  exitIfAsked(): void
  /**
   * Resolves never: waits for a stop signal (or, from now on, an error nothing caught), runs `stop`, then exits:
   * 0 after a signal; 1 after an error, or when the stop fails or outlasts its timeout.
   */
  stopWhenAsked(options: StopOptions): Promise<never>
}

const stopSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/**
 * Takes over SIGINT, SIGTERM and SIGHUP for a long-running command (`pnpm start`, `pnpm worker`). Call it first,
 * before loading the modules that take seconds: from then on a signal no longer kills the process on the spot, so a
 * Ctrl-C while Carebox starts stops it once it is up, instead of leaving its PostgreSQL running.
 *
 * Only the first signal counts. A terminal's Ctrl-C reaches pnpm and Carebox alike, and pnpm passes it on once
 * more (a second Ctrl-C becomes pnpm's SIGTERM): a later signal is the same request, and the stop under way,
 * bounded by its timeout, answers it. A supervisor reads the exit code: 0 is a clean stop, never a crash.
 */
export function handleStopSignals(): StopSignals {
  let log: Logger | undefined
  let hasFailed = false
  let onFirst: ((reason: StopReason) => void) | undefined
  let first: StopReason | undefined
  const receive = (reason: StopReason) => {
    if (!first) {
      first = reason
      onFirst?.(reason)
    } else if ('error' in reason) {
      hasFailed = true
      log?.error({ err: reason.error }, 'unexpected error while shutting down')
    } else {
      log?.debug({ signal: reason.signal }, 'already shutting down')
    }
  }
  for (const signal of stopSignals) process.on(signal, () => receive({ signal }))

  return {
    exitIfAsked() {
      if (first && 'signal' in first) process.exit(0)
    },
    async stopWhenAsked(options) {
      log = options.log
      // Installed only once running: an error while starting still ends the start, through runCli.
      process.on('uncaughtException', (error) => receive({ error }))
      const reason = await new Promise<StopReason>((resolve) => (first ? resolve(first) : (onFirst = resolve)))
      const started = Date.now()
      if ('error' in reason) {
        hasFailed = true
        options.log.error({ err: reason.error }, 'shutting down after an unexpected error: %s', options.doing)
      } else {
        options.log.info({ signal: reason.signal }, 'shutting down: %s', options.doing)
      }
      const outcome = await Promise.race([
        options.stop().then(
          () => 'stopped' as const,
          (error: unknown) => {
            options.log.error({ err: error }, 'the shutdown failed')
            return 'failed' as const
          },
        ),
        new Promise<'timed out'>((resolve) => setTimeout(resolve, options.timeoutMs, 'timed out')),
      ])
      if (outcome === 'timed out') options.log.error({ timeoutMs: options.timeoutMs }, 'the shutdown did not finish in time; exiting anyway')
      else if (outcome === 'stopped') options.log.info({ ms: Date.now() - started }, 'stopped')
      // The log is written asynchronously: let the last lines out, in order, before exiting.
      await Promise.race([new Promise((resolve) => options.log.flush(resolve)), new Promise((resolve) => setTimeout(resolve, 1000))])
      process.exit(outcome === 'stopped' && !hasFailed ? 0 : 1)
    },
  }
}
