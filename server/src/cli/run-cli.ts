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
