import { readFileSync } from 'node:fs'
import path from 'node:path'
import closeWithGrace from 'close-with-grace'
import { runCli } from './cli/run-cli.js'
import { loadConfig, loadEnvFile, repoRoot } from './config.js'
import { createLogger } from './logger.js'
import { startServer } from './server.js'
import { handleUnhandledRejections } from './worker-hiccups.js'

const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }

await runCli(async () => {
  loadEnvFile()
  const config = loadConfig(process.env, version)
  const log = createLogger(config)
  const server = await startServer(config, log)
  closeWithGrace(
    // Unhandled rejections are sorted first (see worker-hiccups.ts): one comes from a case Carebox recovers from.
    { delay: config.shutdownTimeoutMs + 15_000, logger: false, skip: ['unhandledRejection'] },
    async ({ signal, err }) => {
      if (err) log.error({ err }, 'shutting down after an unexpected error')
      else log.info({ signal }, 'shutting down: draining requests and jobs')
      await server.close()
    },
  )
  handleUnhandledRejections(log)
  process.stdout.write(`\nCarebox is ready: open ${server.url}\n${server.notices.map((line) => `${line}\n`).join('')}\n`)
})
