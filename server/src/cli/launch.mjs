// `pnpm start`, `pnpm worker` and `pnpm bench` run their TypeScript entry through this launcher:
//   node server/src/cli/launch.mjs [--build-console] <entry.ts> [args…]
// Plain JavaScript, so that it holds the stop signals a few milliseconds after pnpm starts it, where tsx takes
// seconds to load an entry.
//
// The entry runs in a process group of its own. A terminal's Ctrl-C goes to the whole foreground process group: in
// it, the Ctrl-C would also end what the entry runs beside itself (tsx's compiler, initdb, pg_ctl) while it starts,
// and fail the start instead of stopping it. Here it reaches pnpm and this launcher only; pnpm passes it on to the
// launcher, which passes every stop signal on to the entry, and exits with the entry's exit code. An entry that dies
// of a signal passed on had not taken the signals over yet, so it had started nothing: a clean stop too, exit 0.
import { spawn } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP']

const argv = process.argv.slice(2)
const isBuildingConsole = argv[0] === '--build-console'
const [entry, ...args] = isBuildingConsole ? argv.slice(1) : argv

/** The stop signals received, in order. */
const received = []
/** What runs now: the console build (stopped with its whole group, Vite included) or the entry (told itself). */
let current

for (const signal of stopSignals) {
  process.on(signal, () => {
    received.push(signal)
    if (!current) return
    try {
      process.kill(current.isGroup ? -current.child.pid : current.child.pid, current.isGroup ? 'SIGTERM' : signal)
    } catch {
      // Already gone.
    }
  })
}

/** Runs node with these arguments in a process group of its own; resolves with how it ended. */
function run(nodeArgs, isGroup) {
  const child = spawn(process.execPath, nodeArgs, { stdio: 'inherit', detached: true })
  current = { child, isGroup }
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`Could not run ${nodeArgs.join(' ')}: ${error.message}\n`)
      resolve({ code: 1, signal: null })
    })
    child.on('exit', (code, signal) => {
      current = undefined
      resolve({ code, signal })
    })
  })
}

if (isBuildingConsole && received.length === 0) {
  const build = await run([path.join(repoRoot, 'client', 'build-if-stale.mjs')], true)
  // Asked to stop during the build: the build is stopped, and nothing else has started.
  if (received.length > 0) process.exit(0)
  // The build said why it failed.
  if (build.code !== 0) process.exit(build.code ?? 1)
}
if (received.length > 0) process.exit(0)

const { code, signal } = await run(['--import', 'tsx', entry, ...args], false)
if (signal === null) process.exit(code ?? 1)
process.exit(received.includes(signal) ? 0 : 128 + (os.constants.signals[signal] ?? 0))
