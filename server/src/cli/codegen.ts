// pnpm db:codegen: migrates the database, then regenerates server/src/db/database.gen.ts from it.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { loadConfig, loadEnvFile, repoRoot } from '../config.js'
import { codegenArgs } from '../db/codegen.js'
import { openDatabase } from '../db/open.js'
import { createLogger } from '../logger.js'
import { runCli } from './run-cli.js'

await runCli(async () => {
  loadEnvFile()
  const config = loadConfig()
  const log = createLogger(config)
  const database = await openDatabase(config, log)
  try {
    const url = (database.pool.options as { connectionString: string }).connectionString
    const bin = path.join(repoRoot, 'server', 'node_modules', '.bin', 'kysely-codegen')
    execFileSync(bin, codegenArgs(url), { stdio: 'inherit' })
  } finally {
    await database.close()
  }
})
