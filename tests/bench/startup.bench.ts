import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { findFreePort } from '../../server/src/db/embedded.js'
import { startProcess } from '../support/process.js'

/** Time from `pnpm start` to "Carebox is ready" and to the first successful /readyz, then Ctrl-C to exit. */
async function measureStart(dataDir: string): Promise<{ ready: number; readyz: number; stop: number }> {
  const port = await findFreePort()
  const started = performance.now()
  const carebox = startProcess('pnpm', ['start'], { PORT: String(port), CAREBOX_DATA_DIR: dataDir })
  const [, url] = await carebox.waitFor(/Carebox is ready: open (\S+)/, 180_000)
  const ready = performance.now() - started
  for (;;) {
    const response = await fetch(`${url}/readyz`).catch(() => undefined)
    if (response?.ok) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const readyz = performance.now() - started
  const stopping = performance.now()
  process.kill(-(carebox.child.pid as number), 'SIGINT')
  const { code } = await carebox.exited
  // A clean stop exits 0; anything else is what a process supervisor would read as a crash.
  if (code !== 0) process.stdout.write(`  warning: pnpm start exited ${code} on Ctrl-C\n${carebox.output().slice(-2000)}\n`)
  return { ready, readyz, stop: performance.now() - stopping }
}

export async function startupBench(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'carebox-bench-'))
  await chmod(dataDir, 0o755)
  try {
    const cold = await measureStart(dataDir)
    const warm = [await measureStart(dataDir), await measureStart(dataDir), await measureStart(dataDir)]
    const ms = (n: number) => `${Math.round(n)} ms`
    process.stdout.write(
      `cold start (empty data dir: initdb + migrations): ready ${ms(cold.ready)}, /readyz ok ${ms(cold.readyz)}, Ctrl-C to exit ${ms(cold.stop)}\n`,
    )
    for (const [i, run] of warm.entries()) {
      process.stdout.write(`warm start #${i + 1}: ready ${ms(run.ready)}, /readyz ok ${ms(run.readyz)}, Ctrl-C to exit ${ms(run.stop)}\n`)
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}
