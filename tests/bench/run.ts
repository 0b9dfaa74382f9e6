// `pnpm bench [name…]`: runs the named benchmarks (all when none is named). Each prints its figures;
// benchmarks never assert timings.
import { stopEverything } from '../support/process.js'
import { consoleBench } from './console.bench.js'
import { dashboardBench } from './dashboard.bench.js'
import { faultsBench } from './faults.bench.js'
import { ingestBench } from './ingest.bench.js'
import { integrationsBench } from './integrations.bench.js'
import { routingBench } from './routing.bench.js'
import { sentimentBench } from './sentiment.bench.js'
import { startupBench } from './startup.bench.js'

const benches: Record<string, () => Promise<void>> = {
  startup: startupBench,
  ingest: ingestBench,
  console: consoleBench,
  routing: routingBench,
  dashboard: dashboardBench,
  faults: faultsBench,
  sentiment: sentimentBench,
  integrations: integrationsBench,
}

const requested = process.argv.slice(2)
const unknown = requested.filter((name) => !(name in benches))
if (unknown.length > 0) {
  process.stderr.write(`Unknown benchmark ${unknown.join(', ')}. Available: ${Object.keys(benches).join(', ')}\n`)
  process.exit(2)
}

// Ctrl-C or SIGTERM mid-run: stop what the benchmark started (its Carebox processes, its PostgreSQL), then exit 0,
// as after any clean stop. Browsers go with this process (Playwright kills them on exit). While stopping, the
// benchmark's own code fails as its servers go away: nothing it throws then means anything.
let stopping: Promise<never> | undefined
const stop = (signal: NodeJS.Signals) => {
  stopping ??= (async () => {
    process.stdout.write(`\n${signal}: stopping the benchmark's processes and PostgreSQL…\n`)
    process.on('uncaughtException', () => {})
    process.on('unhandledRejection', () => {})
    try {
      await stopEverything()
      process.exit(0)
    } catch (error) {
      process.stderr.write(`Could not stop everything the benchmark started: ${(error as Error).message}\n`)
      process.exit(1)
    }
  })()
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop)

try {
  for (const name of requested.length > 0 ? requested : Object.keys(benches)) {
    if (stopping) break
    process.stdout.write(`\n== ${name}\n`)
    await benches[name]?.()
  }
} catch (error) {
  if (!stopping) throw error
}
if (stopping) await stopping
