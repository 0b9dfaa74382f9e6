import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Logger } from 'pino'
import { StartupError } from '../errors.js'
import type { Cluster } from './embedded-postmaster.js'

const run = promisify(execFile)

/** The superuser initdb creates; its generated password is kept in <dataDir>/postgres.json. */
export interface Credentials {
  user: string
  password: string
}

export async function loadOrCreateCredentials(dataDir: string, clusterDir: string): Promise<Credentials> {
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
  return fs.access(path.join(clusterDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  )
}

/** Creates the cluster on first start, or after a crash during initdb left it half made. */
export async function ensureInitialised(cluster: Cluster, credentials: Credentials, log: Logger): Promise<void> {
  if (await isInitialised(cluster.dir)) return
  await moveAsideIncomplete(cluster.dir, log)
  await initCluster(cluster, credentials, log)
}

/** A cluster directory without PG_VERSION is what a crash during initdb leaves; keep it, but out of the way. */
async function moveAsideIncomplete(clusterDir: string, log: Logger): Promise<void> {
  const entries = await fs.readdir(clusterDir).catch(() => [])
  if (entries.length === 0) return
  const aside = `${clusterDir}.incomplete-${Date.now()}`
  await fs.rename(clusterDir, aside)
  log.warn({ aside }, 'moved an incompletely initialised PostgreSQL directory aside')
}

async function initCluster(cluster: Cluster, credentials: Credentials, log: Logger): Promise<void> {
  const { bin, account, dir: clusterDir } = cluster
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
