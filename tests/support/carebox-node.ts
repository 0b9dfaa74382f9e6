import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { csrfHeader } from '@carebox/shared'
import pg from 'pg'
import { findFreePort } from '../../server/src/db/embedded.js'
import { ensurePostgresAccount, findBinaries, pgCtl } from '../../server/src/db/embedded-postmaster.js'
import { nodeTs, serverMain, startProcess, type Finished, type Started } from './process.js'

// Carebox as operators run it, in processes of its own, for the fault tests: each node started like `pnpm start`
// (embedded PostgreSQL under a data directory the nodes share), killed or stopped from outside.

export const faultAdmin = { email: 'faults-admin@example.test', password: 'faults-admin-password' }

export interface CareboxNode {
  url: string
  port: number
  process: Started
  /** SIGKILL: no shutdown, no cleanup, as a crash or an OOM kill. */
  kill(): Promise<Finished>
  /** SIGTERM: the clean stop. */
  stop(): Promise<Finished>
}

/** A data directory of the test's own, traversable by the 'postgres' account the cluster runs as under root. */
export async function makeDataDir(name: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `carebox-${name}-`))
  await chmod(dir, 0o755)
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

export async function writeChannelsFile(dir: string, channels: unknown[]): Promise<string> {
  const file = path.join(dir, 'channels.json')
  await writeFile(file, JSON.stringify({ channels }))
  return file
}

/** Starts one Carebox node on `port` and resolves once it prints that it is ready. */
export async function startNode(options: { dataDir: string; port?: number; env?: Record<string, string> }): Promise<CareboxNode> {
  const port = options.port ?? (await findFreePort())
  const [command, args] = nodeTs(serverMain)
  const started = startProcess(command, args, {
    PORT: String(port),
    HOST: '127.0.0.1',
    CAREBOX_DATA_DIR: options.dataDir,
    CAREBOX_DEMO: 'off',
    LOG_LEVEL: 'info',
    CAREBOX_ADMIN_EMAIL: faultAdmin.email,
    CAREBOX_ADMIN_PASSWORD: faultAdmin.password,
    CAREBOX_SHUTDOWN_TIMEOUT_MS: '3000',
    ...options.env,
  })
  const [, url = ''] = await started.waitFor(/Carebox is ready: open (\S+)/, 120_000)
  const signal = async (name: NodeJS.Signals) => {
    try {
      process.kill(-(started.child.pid as number), name)
    } catch {
      // Already gone.
    }
    return started.exited
  }
  return { url, port, process: started, kill: () => signal('SIGKILL'), stop: () => signal('SIGTERM') }
}

/** A connection to the shared embedded cluster, as the nodes reach it (its port and generated password). */
export async function clusterPool(dataDir: string): Promise<pg.Pool> {
  const credentials = JSON.parse(await readFile(path.join(dataDir, 'postgres.json'), 'utf8')) as { user: string; password: string }
  const lines = (await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')
  const pool = new pg.Pool({
    host: '127.0.0.1',
    port: Number(lines[3]),
    user: credentials.user,
    password: credentials.password,
    database: 'carebox',
    max: 2,
  })
  pool.on('error', () => {})
  return pool
}

/** `pg_ctl stop -m immediate`: PostgreSQL stops at once without a checkpoint, as if it crashed. */
export async function crashCluster(dataDir: string): Promise<void> {
  const [bin, account] = [await findBinaries(), ensurePostgresAccount()]
  // The cluster may be in the middle of the watchdog's restart from an earlier crash: pg_ctl then finds no server
  // to stop. Try again until there is one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await pgCtl(bin, account, ['stop', '-D', path.join(dataDir, 'postgres'), '-m', 'immediate', '-w', '-t', '30'])
    } catch (error) {
      if (attempt >= 60) throw error
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
}

/** Signs the admin in on a node: the cookie and CSRF token its API and socket need. */
export async function signIn(url: string): Promise<{ cookie: string; headers: Record<string, string> }> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faultAdmin),
  })
  if (!response.ok) throw new Error(`could not sign in: ${response.status} ${await response.text()}`)
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const { csrfToken } = (await response.json()) as { csrfToken: string }
  return { cookie, headers: { cookie, [csrfHeader]: csrfToken, 'content-type': 'application/json' } }
}

/** Polls until `read` gives what `isDone` wants; returns the last value read when time runs out (the test's assertion says what was missing). */
export async function eventually<T>(read: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read().catch(() => undefined as T)
    if ((value !== undefined && isDone(value)) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

/** Lines of a node's JSON log with this message. */
export function logLines(node: CareboxNode, message: RegExp): Record<string, unknown>[] {
  return node.process
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>
      } catch {
        return {}
      }
    })
    .filter((entry) => typeof entry.msg === 'string' && message.test(entry.msg))
}

/**
 * A load balancer in miniature: forwards each request to the node `pick` names at that moment, so a platform keeps
 * one webhook URL while nodes come and go. A request to a node that dies mid-way fails as it would behind a real one.
 */
export async function startBalancer(pick: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const http = await import('node:http')
  const server = http.createServer((request, response) => {
    const target = new URL(request.url ?? '/', pick())
    const upstream = http.request(target, { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(response)
    })
    upstream.on('error', () => {
      if (!response.headersSent) response.writeHead(502)
      response.end()
    })
    request.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
