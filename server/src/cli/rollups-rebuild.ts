// pnpm rollups:rebuild: recomputes the reports' rollups from the conversations. With the embedded database, stop
// Carebox first (the data directory has one owner); with DATABASE_URL it may run while Carebox does.
import { loadConfig, loadEnvFile } from '../config.js'
import { openDatabase } from '../db/open.js'
import { createLogger } from '../logger.js'
import { rebuildReports } from '../reports/rebuild.js'
import { runCli } from './run-cli.js'

await runCli(async () => {
  loadEnvFile()
  const config = loadConfig()
  const log = createLogger(config)
  const database = await openDatabase(config, log)
  try {
    const started = performance.now()
    const { conversations } = await rebuildReports(database.db, new Date(), {
      onProgress: (done) => {
        if (done % 50_000 === 0) process.stdout.write(`  ${done.toLocaleString('en')} conversations…\n`)
      },
    })
    const seconds = (performance.now() - started) / 1000
    process.stdout.write(`Rebuilt the report rollups from ${conversations.toLocaleString('en')} conversations in ${seconds.toFixed(1)} s.\n`)
  } finally {
    await database.close()
  }
})
