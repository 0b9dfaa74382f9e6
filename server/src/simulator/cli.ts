import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { seededRandom, startDemoTraffic } from './demo.js'
import { startSimulator } from './simulator.js'
import type { SimAccount } from './types.js'

/**
 * Runs the simulator on its own:
 *   node --import tsx server/src/simulator/cli.ts --port 4010 [--accounts accounts.json] [--demo] [--intensity 1] [--seed 7]
 * `accounts.json` is an array of SimAccount; accounts can also be added later with POST /_sim/accounts.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    accounts: { type: 'string' },
    demo: { type: 'boolean', default: false },
    intensity: { type: 'string', default: '1' },
    seed: { type: 'string' },
  },
})

const log = pino({ level: 'info' })
const sim = await startSimulator({ port: Number(values.port), host: values.host, logger: log })
const accounts = values.accounts ? (JSON.parse(await readFile(values.accounts, 'utf8')) as SimAccount[]) : []
for (const account of accounts) {
  sim.addAccount(account)
  log.info({ kind: account.kind, externalId: account.externalId, apiBaseUrl: sim.apiBaseUrl(account.kind) }, 'simulated account')
}
if (values.demo) {
  startDemoTraffic(sim, sim.accounts(), {
    intensity: Number(values.intensity),
    logger: log,
    ...(values.seed ? { random: seededRandom(Number(values.seed)) } : {}),
  })
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sim.close().then(() => process.exit(0))
  })
}
