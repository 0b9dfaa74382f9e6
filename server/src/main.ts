import { readFileSync } from 'node:fs'
import path from 'node:path'
import { handleStopSignals, runCli } from './cli/run-cli.js'
import { loadConfig, loadEnvFile, repoRoot } from './config.js'
import { createLogger } from './logger.js'
import { handleUnhandledRejections } from './worker-hiccups.js'

// Before the server's modules, which take seconds to load: a Ctrl-C meanwhile ends cleanly too.
const signals = handleStopSignals()
const { startServer } = await import('./server.js')

const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }

await runCli(async () => {
  loadEnvFile()
  const config = loadConfig(process.env, version)
  const log = createLogger(config)
  signals.exitIfAsked()
  const server = await startServer(config, log)
  handleUnhandledRejections(log)
  process.stdout.write(`\nCarebox is ready: open ${server.url}\n${server.notices.map((line) => `${line}\n`).join('')}\n`)
  await signals.stopWhenAsked({
    log,
    doing: 'draining requests and jobs',
    timeoutMs: config.shutdownTimeoutMs + 15_000,
    stop: () => server.close(),
  })
})
