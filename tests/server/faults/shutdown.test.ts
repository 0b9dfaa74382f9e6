import { readdir, readFile, readlink } from 'node:fs/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { findFreePort } from '../../../server/src/db/embedded.js'
import { makeDataDir } from '../../support/carebox-node.js'
import { startProcess, type Started } from '../../support/process.js'

// Ctrl-C, as a terminal sends it (SIGINT to the whole foreground process group), and a supervisor's SIGTERM end
// `pnpm start` and `pnpm bench` cleanly: exit 0, no "ELIFECYCLE", and nothing of theirs left running.

interface ProcessInfo {
  pid: number
  ppid: number
  pgid: number
  command: string
  cwd: string
}

async function listProcesses(): Promise<ProcessInfo[]> {
  const all: ProcessInfo[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => undefined)
    if (!stat) continue
    // Fields after the command (which may hold spaces): state, ppid, pgrp, …
    const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (state === 'Z') continue
    const command = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ').trim()
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => '')
    all.push({ pid: Number(entry), ppid: Number(ppid), pgid: Number(pgid), command, cwd })
  }
  return all
}

/** The processes started from `root`, however deep: its children, theirs, and so on. */
function descendantsOf(root: number, all: ProcessInfo[]): ProcessInfo[] {
  const found: ProcessInfo[] = []
  let parents = new Set([root])
  while (parents.size > 0) {
    const children = all.filter((p) => parents.has(p.ppid))
    found.push(...children)
    parents = new Set(children.map((p) => p.pid))
  }
  return found
}

/**
 * What is left of a run: processes in its process group, the processes it started in groups of their own while it
 * ran (`seen`), and PostgreSQL working under `dir`.
 */
async function leftOf(started: Started, seen: ProcessInfo[], dir: string): Promise<string[]> {
  const all = await listProcesses()
  const left = all.filter(
    (p) =>
      p.pgid === started.child.pid || seen.some((s) => s.pid === p.pid && s.command === p.command) || (p.cwd.startsWith(dir) && /postgres/.test(p.command)),
  )
  return left.map((p) => `${p.pid} ${p.command}`)
}

async function waitUntil<T>(read: () => Promise<T | undefined>, started: Started, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (started.child.exitCode !== null || Date.now() > deadline) throw new Error(`gave up waiting; output:\n${started.output().slice(-3000)}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

const terminalCtrlC = (started: Started) => process.kill(-(started.child.pid as number), 'SIGINT')

const runs: Started[] = []
const dirs: { remove(): Promise<void> }[] = []
afterAll(async () => {
  // A failed test may leave its run going: stop it the clean way before removing its directories.
  for (const run of runs.filter((r) => r.child.exitCode === null && r.child.signalCode === null)) {
    process.kill(-(run.child.pid as number), 'SIGTERM')
    await run.exited
  }
  await Promise.all(dirs.map((d) => d.remove()))
})

describe('pnpm start', () => {
  it('exits 0 on Ctrl-C with the demo running, and leaves neither PostgreSQL nor any other process behind', { timeout: 300_000 }, async () => {
    const data = await makeDataDir('shutdown-start')
    dirs.push(data)
    const carebox = startProcess('pnpm', ['start'], { PORT: String(await findFreePort()), HOST: '127.0.0.1', CAREBOX_DATA_DIR: data.dir })
    runs.push(carebox)
    await carebox.waitFor(/demo traffic started/, 240_000)
    const seen = descendantsOf(carebox.child.pid as number, await listProcesses())

    terminalCtrlC(carebox)
    const { code } = await carebox.exited

    expect(code, carebox.output().slice(-3000)).toBe(0)
    expect(carebox.output()).not.toContain('ELIFECYCLE')
    expect(carebox.output()).toContain('embedded PostgreSQL stopped')
    expect(await leftOf(carebox, seen, data.dir)).toEqual([])
  })

  it('exits 0 on Ctrl-C while PostgreSQL is being created, and leaves nothing behind', { timeout: 300_000 }, async () => {
    const data = await makeDataDir('shutdown-initdb')
    dirs.push(data)
    const carebox = startProcess('pnpm', ['start'], { PORT: String(await findFreePort()), HOST: '127.0.0.1', CAREBOX_DATA_DIR: data.dir, CAREBOX_DEMO: 'off' })
    runs.push(carebox)
    // Logged as initdb starts: the Ctrl-C comes while it runs, or a moment later, still long before Carebox is up.
    const seen = await waitUntil(
      async () =>
        carebox.output().includes('initialising the embedded PostgreSQL cluster')
          ? descendantsOf(carebox.child.pid as number, await listProcesses())
          : undefined,
      carebox,
      240_000,
    )

    terminalCtrlC(carebox)
    const { code } = await carebox.exited

    expect(code, carebox.output().slice(-3000)).toBe(0)
    expect(carebox.output()).not.toContain('ELIFECYCLE')
    expect(await leftOf(carebox, seen, data.dir)).toEqual([])
  })

  it('exits 0 when a supervisor sends pnpm alone SIGTERM', { timeout: 300_000 }, async () => {
    const data = await makeDataDir('shutdown-term')
    dirs.push(data)
    const carebox = startProcess('pnpm', ['start'], { PORT: String(await findFreePort()), HOST: '127.0.0.1', CAREBOX_DATA_DIR: data.dir, CAREBOX_DEMO: 'off' })
    runs.push(carebox)
    const [, url] = await carebox.waitFor(/Carebox is ready: open (\S+)/, 240_000)
    await waitUntil(
      () =>
        fetch(`${url}/readyz`).then(
          (response) => (response.ok ? true : undefined),
          () => undefined,
        ),
      carebox,
      60_000,
    )
    const seen = descendantsOf(carebox.child.pid as number, await listProcesses())

    process.kill(carebox.child.pid as number, 'SIGTERM')
    const { code } = await carebox.exited

    expect(code, carebox.output().slice(-3000)).toBe(0)
    expect(await leftOf(carebox, seen, data.dir)).toEqual([])
  })
})

describe('pnpm bench', () => {
  it('stops its Carebox server and PostgreSQL and exits 0 on Ctrl-C in the middle of seeding', { timeout: 300_000 }, async () => {
    // The benchmark makes its data directory in the temporary folder: one of the test's own, to find its PostgreSQL.
    const tmp = await makeDataDir('shutdown-bench')
    dirs.push(tmp)
    const bench = startProcess('pnpm', ['bench', 'dashboard'], { TMPDIR: tmp.dir })
    runs.push(bench)
    const seen = await waitUntil(
      async () => {
        const all = await listProcesses()
        const descendants = descendantsOf(bench.child.pid as number, all)
        const isServing = descendants.some((p) => p.command.includes('bench-server.ts'))
        const isPostgresUp = all.some((p) => p.cwd.startsWith(tmp.dir) && /postgres/.test(p.command))
        return isServing && isPostgresUp ? descendants : undefined
      },
      bench,
      240_000,
    )
    // Into the run: the benchmark's server is up (or nearly) and the bulk load of a million conversations begins.
    await new Promise((resolve) => setTimeout(resolve, 5000))

    terminalCtrlC(bench)
    const { code } = await bench.exited

    expect(code, bench.output().slice(-3000)).toBe(0)
    expect(bench.output()).not.toContain('ELIFECYCLE')
    expect(await leftOf(bench, seen, tmp.dir)).toEqual([])
  })
})
