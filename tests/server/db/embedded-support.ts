// Helpers for the embedded PostgreSQL tests: data directories, Carebox nodes in processes of their own, queries.
import { spawn, type ChildProcess } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import pino, { type Logger } from 'pino'
import { ensurePostgresAccount, findBinaries, findRunningPostmaster, pgCtl } from '../../../server/src/db/embedded-postmaster.js'
import { waitForExit } from '../../../server/src/db/embedded-processes.js'

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))
const nodeScript = fileURLToPath(new URL('./embedded-node.ts', import.meta.url))

/** A temporary data directory the 'postgres' account (which runs the cluster when we are root) can traverse. */
export async function makeDataDir(): Promise<string> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'carebox-embedded-'))
  await chmod(dataDir, 0o755)
  return dataDir
}

/** Stops the nodes and the server a failed test left running, so that the next test starts from a stopped cluster. */
export async function stopLeftovers(dataDir: string): Promise<void> {
  for (const node of nodes.splice(0)) await node.kill()
  const running = await findRunningPostmaster(path.join(dataDir, 'postgres'))
  if (running) {
    await runPgCtl(dataDir, ['stop', '-m', 'immediate', '-w'])
    await waitForExit(running.pid, 5_000)
  }
}

export async function removeDataDir(dataDir: string): Promise<void> {
  await stopLeftovers(dataDir)
  await rm(dataDir, { recursive: true, force: true })
}

/** Runs pg_ctl on the data directory's cluster the way Carebox does (as the 'postgres' account when root). */
export async function runPgCtl(dataDir: string, args: string[]): Promise<void> {
  await pgCtl(await findBinaries(), ensurePostgresAccount(), [...args, '-D', path.join(dataDir, 'postgres')])
}

export async function postmasterPid(dataDir: string): Promise<number | undefined> {
  return (await findRunningPostmaster(path.join(dataDir, 'postgres')))?.pid
}

export async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(text)).rows as T[]
  } finally {
    await client.end()
  }
}

/** Retries `check` until it stops throwing; timing is never asserted, only that it happens eventually. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}

export interface LogLine {
  level: number
  msg: string
}

/** A logger whose lines the test can read. */
export function captureLog(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = []
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) })
  return { log, lines }
}

export interface NodeProcess {
  child: ChildProcess
  url: string
  isOwner: boolean
  /** What it logged so far (pino lines). */
  output(): string
  /** Closes its stdin: it leaves the cluster as Carebox does on shutdown, then exits. */
  stop(): Promise<void>
  kill(): Promise<void>
}

const nodes: NodeProcess[] = []

/** Starts a Carebox node in a process of its own on the data directory; resolves once it is connected. */
export function startNode(dataDir: string, options: { watch?: boolean } = {}): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', nodeScript, dataDir, options.watch ? 'watch' : ''], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the node exited (${code}) before connecting: ${stderr}`)))
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (!stdout.includes('\n')) return
      const { url, isOwner } = JSON.parse(stdout.split('\n')[0] as string) as { url: string; isOwner: boolean }
      const node: NodeProcess = {
        child,
        url,
        isOwner,
        output: () => stderr,
        async stop() {
          child.stdin?.end()
          await exited
        },
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
          await exited
        },
      }
      nodes.push(node)
      resolve(node)
    })
  })
}
