// Carebox alone in its own process for benchmarks, so the load generator does not share its event loop.
// Configured by the environment like `pnpm start`; prints `READY <url>` once it listens.
import pino from 'pino'
import { loadConfig } from '../../server/src/config.js'
import { startServer } from '../../server/src/server.js'

const server = await startServer(loadConfig(process.env), pino({ level: process.env.LOG_LEVEL ?? 'warn' }))
process.stdout.write(`READY ${server.url}\n`)
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0))
})
