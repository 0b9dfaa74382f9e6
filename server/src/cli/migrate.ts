// pnpm db:migrate: applies pending migrations (Carebox's and the job queue's) and exits.
import { loadConfig, loadEnvFile } from '../config.js'
import { migrationState } from '../db/migrate.js'
import { openDatabase } from '../db/open.js'
import { createLogger } from '../logger.js'
import { runCli } from './run-cli.js'

await runCli(async () => {
  loadEnvFile()
  const config = loadConfig()
  const log = createLogger(config)
  const database = await openDatabase(config, log)
  const { applied } = await migrationState(database.db)
  await database.close()
  process.stdout.write(`Database is up to date: ${applied} migrations applied.\n`)
})
