// `pnpm bench [name…]`: runs the named benchmarks (all when none is named). Each prints its figures;
// benchmarks never assert timings.
import { consoleBench } from './console.bench.js'
import { dashboardBench } from './dashboard.bench.js'
import { faultsBench } from './faults.bench.js'
import { ingestBench } from './ingest.bench.js'
import { routingBench } from './routing.bench.js'
import { startupBench } from './startup.bench.js'

const benches: Record<string, () => Promise<void>> = {
  startup: startupBench,
  ingest: ingestBench,
  console: consoleBench,
  routing: routingBench,
  dashboard: dashboardBench,
  faults: faultsBench,
}

const requested = process.argv.slice(2)
const unknown = requested.filter((name) => !(name in benches))
if (unknown.length > 0) {
  process.stderr.write(`Unknown benchmark ${unknown.join(', ')}. Available: ${Object.keys(benches).join(', ')}\n`)
  process.exit(2)
}
for (const name of requested.length > 0 ? requested : Object.keys(benches)) {
  process.stdout.write(`\n== ${name}\n`)
  await benches[name]?.()
}
