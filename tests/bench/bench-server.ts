// Carebox alone in its own process for benchmarks, so the load generator does not share its event loop.
// Configured by the environment like `pnpm start`; prints `READY <url>` once it listens, and stops like it on
// SIGTERM or SIGINT, even mid-start: cleanly, exit 0.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import pino from 'pino'
import { handleStopSignals } from '../../server/src/cli/run-cli.js'
import { loadConfig } from '../../server/src/config.js'
import { startServer } from '../../server/src/server.js'

const signals = handleStopSignals()
const config = loadConfig(process.env)
const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' })
const server = await startServer(config, log)
// How long the event loop was held up: time every request and job waits on top of its own work.
const loopDelay = monitorEventLoopDelay({ resolution: 10 })
loopDelay.enable()
process.stdout.write(`READY ${server.url}\n`)
await signals.stopWhenAsked({
  log,
  doing: 'draining requests and jobs',
  timeoutMs: config.shutdownTimeoutMs + 15_000,
  stop: async () => {
    const ms = (ns: number) => (ns / 1e6).toFixed(1)
    process.stdout.write(
      `Carebox event loop delay: p50 ${ms(loopDelay.percentile(50))} ms, p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms\n`,
    )
    await server.close()
  },
})
