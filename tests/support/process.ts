import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readlink } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { repoRoot } from '../../server/src/config.js'
import { listOtherNodes, unregisterNode } from '../../server/src/db/embedded-nodes.js'
import { ensurePostgresAccount, findBinaries, findRunningPostmaster, stopPostmaster } from '../../server/src/db/embedded-postmaster.js'

export interface Finished {
  code: number | null
  stdout: string
  stderr: string
}

export interface Started {
  child: ChildProcess
  output(): string
  /** Resolves with the first match of the pattern in stdout or stderr, or rejects when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  exited: Promise<Finished>
}

/** The processes startProcess started that have not exited yet. */
const running = new Set<Started>()

/** Starts a command the way a person would, with extra environment, and records its output. */
export function startProcess(command: string, args: string[], env: Record<string, string>, cwd = repoRoot): Started {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, LOG_FORMAT: 'json', ...env },
    // Its own process group, so a test can send Ctrl-C to the whole tree like a terminal does.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  const listeners = new Set<() => void>()
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    listeners.forEach((l) => l())
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    listeners.forEach((l) => l())
  })
  const exited = new Promise<Finished>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
  const started: Started = {
    child,
    output: () => stdout + stderr,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = (stdout + stderr).match(pattern)
          if (match) {
            listeners.delete(check)
            clearTimeout(timer)
            resolve(match)
          }
        }
        const timer = setTimeout(() => {
          listeners.delete(check)
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${stdout}${stderr}`))
        }, timeoutMs)
        listeners.add(check)
        void exited.then(() => {
          if (!listeners.has(check)) return
          listeners.delete(check)
          clearTimeout(timer)
          reject(new Error(`process exited before ${pattern}; output:\n${stdout}${stderr}`))
        })
        check()
      })
    },
  }
  running.add(started)
  void exited.then(() => running.delete(started))
  return started
}

/** What this process runs itself and stopEverything stops first, while PostgreSQL is still up. */
const runningHere = new Set<() => Promise<void>>()

/**
 * Has stopEverything stop something this process runs itself (a benchmark's job worker) before the databases it
 * uses go away. Returns the way to take it back, once it is stopped the ordinary way.
 */
export function stopOnInterrupt(stop: () => Promise<void>): () => void {
  runningHere.add(stop)
  return () => runningHere.delete(stop)
}

/**
 * Stops what this process started and would otherwise leave running when it is interrupted (`pnpm bench` on
 * Ctrl-C): first what runs in this process (stopOnInterrupt), then every process startProcess started and that
 * still runs (SIGTERM to its process group, the clean stop; SIGKILL after `graceMs`), then every embedded PostgreSQL
 * it joined and no other live process uses.
 */
export async function stopEverything(graceMs = 30_000): Promise<void> {
  await Promise.all([...runningHere].map((stop) => Promise.race([stop().catch(() => {}), sleep(graceMs)])))
  await Promise.all(
    [...running].map(async (started) => {
      signalGroup(started.child, 'SIGTERM')
      const isGone = await Promise.race([started.exited.then(() => true), sleep(graceMs, false)])
      if (!isGone) signalGroup(started.child, 'SIGKILL')
      await started.exited
    }),
  )
  for (const dataDir of await findJoinedClusters()) {
    await unregisterNode(dataDir)
    if ((await listOtherNodes(dataDir)).length > 0) continue
    const clusterDir = path.join(dataDir, 'postgres')
    const postmaster = await findRunningPostmaster(clusterDir)
    if (postmaster) await stopPostmaster({ bin: await findBinaries(), account: ensurePostgresAccount(), dir: clusterDir }, postmaster)
  }
}

/** Each process startProcess starts leads a process group of its own (detached): the whole tree gets the signal. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-(child.pid as number), signal)
  } catch {
    // Already gone.
  }
}

/**
 * The data directories of the running embedded clusters this process registered in (server/src/db/embedded-nodes.ts),
 * found from their postgres processes, whose working directory is the cluster's.
 */
async function findJoinedClusters(): Promise<string[]> {
  const dataDirs = new Set<string>()
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => '')
    const dataDir = path.dirname(cwd)
    if (path.basename(cwd) === 'postgres' && existsSync(path.join(dataDir, 'postgres.nodes', String(process.pid)))) dataDirs.add(dataDir)
  }
  return [...dataDirs]
}

/**
 * Runs a TypeScript entry point as the package scripts' launcher (server/src/cli/launch.mjs) does: one node process,
 * signals delivered straight to it.
 */
export function nodeTs(entry: string): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', entry]]
}

export const serverMain = path.join(repoRoot, 'server', 'src', 'main.ts')
