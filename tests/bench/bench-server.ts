// Carebox alone in its own process for benchmarks, so the load generator does not share its event loop.
// Configured by the environment like `pnpm start`; prints `READY <url>` once it listens.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import pino from 'pino'
import { loadConfig } from '../../server/src/config.js'
import { startServer } from '../../server/src/server.js'

const server = await startServer(loadConfig(process.env), pino({ level: process.env.LOG_LEVEL ?? 'warn' }))
// How long the event loop was held up: time every request and job waits on top of its own work.
const loopDelay = monitorEventLoopDelay({ resolution: 10 })
loopDelay.enable()
process.stdout.write(`READY ${server.url}\n`)
process.once('SIGTERM', () => {
  const ms = (ns: number) => (ns / 1e6).toFixed(1)
  process.stdout.write(
    `Carebox event loop delay: p50 ${ms(loopDelay.percentile(50))} ms, p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms\n`,
  )
  void server.close().then(() => process.exit(0))
})
