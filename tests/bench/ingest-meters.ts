// What a stretch of the ingest benchmark costs the machine: CPU time of a Carebox process and of every PostgreSQL
// process (from /proc), and the WAL PostgreSQL wrote, read before and after.
import { readdir, readFile } from 'node:fs/promises'
import pg from 'pg'

/** USER_HZ, the unit of the CPU times in /proc/<pid>/stat: 100 on every Linux that Node runs on. */
const ticksPerSecond = 100

interface ProcessTimes {
  ppid: number
  /** utime + stime. */
  cpuMs: number
  /** cutime + cstime: what its children that have exited and been waited for used. */
  exitedChildrenCpuMs: number
}

async function readTimes(pid: number): Promise<ProcessTimes | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined)
  if (text === undefined) return undefined
  // The command name (field 2) may hold spaces: field 3 onwards start after its closing parenthesis.
  const fields = text
    .slice(text.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number)
  const ms = (ticks: number) => (ticks * 1000) / ticksPerSecond
  return { ppid: fields[1]!, cpuMs: ms(fields[11]! + fields[12]!), exitedChildrenCpuMs: ms(fields[13]! + fields[14]!) }
}

/**
 * All of PostgreSQL: the postmaster, its live children (backends, WAL writer, checkpointer, autovacuum…), and the
 * children that have exited, which the postmaster reaped into its own children's times.
 */
async function postgresCpuMs(postmasterPid: number): Promise<number> {
  const postmaster = await readTimes(postmasterPid)
  if (!postmaster) return Number.NaN
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number)
  const children = await Promise.all(pids.map((pid) => readTimes(pid)))
  let total = postmaster.cpuMs + postmaster.exitedChildrenCpuMs
  for (const child of children) if (child?.ppid === postmasterPid) total += child.cpuMs + child.exitedChildrenCpuMs
  return total
}

function lsnBytes(lsn: string): bigint {
  const [high = '0', low = '0'] = lsn.split('/')
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`)
}

export interface Reading {
  at: number
  /** The measured server process (Carebox, or the empty Fastify server); NaN when none. */
  serverCpuMs: number
  postgresCpuMs: number
  /** The benchmark's own connection, left out of PostgreSQL's share. */
  benchBackendCpuMs: number
  walLsn: bigint
  /** Where the last checkpoint's redo starts: moved means a checkpoint ran meanwhile (its full-page images count). */
  redoLsn: string
}

export interface Cost {
  seconds: number
  serverCpuMs: number
  postgresCpuMs: number
  walBytes: number
  hadCheckpoint: boolean
}

export interface Meter {
  /** The benchmark's direct connection to PostgreSQL: its queries do not count in what is measured. */
  db: pg.Client
  read(serverPid?: number): Promise<Reading>
  /**
   * VACUUM of the whole database, on a connection of its own that counts: ending each measured stretch with it
   * charges a stage for the cleaning up its writes leave, rather than leaving that to an autovacuum that would land
   * in whichever stage came next. Without ANALYZE, whose fixed sampling cost would weigh on the small stages.
   */
  vacuum(): Promise<void>
  close(): Promise<void>
}

export async function openMeter(databaseUrl: string): Promise<Meter> {
  const db = new pg.Client({ connectionString: databaseUrl, application_name: 'carebox-bench' })
  await db.connect()
  const maintenance = new pg.Client({ connectionString: databaseUrl, application_name: 'carebox-bench-vacuum' })
  await maintenance.connect()
  const { rows } = await db.query<{ pid: number }>('select pg_backend_pid() as pid')
  const benchBackendPid = rows[0]!.pid
  const postmasterPid = (await readTimes(benchBackendPid))?.ppid
  if (postmasterPid === undefined) throw new Error('cannot read PostgreSQL processes from /proc')
  return {
    db,
    async read(serverPid) {
      const [server, postgres, bench, wal] = await Promise.all([
        serverPid === undefined ? undefined : readTimes(serverPid),
        postgresCpuMs(postmasterPid),
        readTimes(benchBackendPid),
        db.query<{ lsn: string; redo: string }>('select pg_current_wal_lsn()::text as lsn, (select redo_lsn::text from pg_control_checkpoint()) as redo'),
      ])
      return {
        at: performance.now(),
        serverCpuMs: serverPid === undefined ? 0 : (server?.cpuMs ?? Number.NaN),
        postgresCpuMs: postgres,
        benchBackendCpuMs: bench?.cpuMs ?? 0,
        walLsn: lsnBytes(wal.rows[0]!.lsn),
        redoLsn: wal.rows[0]!.redo,
      }
    },
    async vacuum() {
      await maintenance.query('vacuum')
    },
    async close() {
      await Promise.all([db.end(), maintenance.end()])
    },
  }
}

/** Starts a measured stretch with nothing left to vacuum from before it. */
export async function beginStretch(meter: Meter, serverPid?: number): Promise<Reading> {
  await meter.vacuum()
  return meter.read(serverPid)
}

/**
 * Ends a measured stretch with the VACUUM of what it left: its cost per unit (per delivery), VACUUM included and
 * also given apart.
 */
export async function endStretch(meter: Meter, from: Reading, units: number, serverPid?: number): Promise<UnitCost> {
  const work = await meter.read(serverPid)
  await meter.vacuum()
  const after = await meter.read(serverPid)
  const vacuum = perUnit(costBetween(work, after), units)
  return { ...perUnit(costBetween(from, after), units), vacuum: { cpuMs: vacuum.postgresCpuMs, walBytes: vacuum.walBytes } }
}

export function costBetween(from: Reading, to: Reading): Cost {
  return {
    seconds: (to.at - from.at) / 1000,
    serverCpuMs: to.serverCpuMs - from.serverCpuMs,
    postgresCpuMs: to.postgresCpuMs - from.postgresCpuMs - (to.benchBackendCpuMs - from.benchBackendCpuMs),
    walBytes: Number(to.walLsn - from.walLsn),
    hadCheckpoint: to.redoLsn !== from.redoLsn,
  }
}

export interface UnitCost {
  cpuMs: number
  serverCpuMs: number
  postgresCpuMs: number
  walBytes: number
  hadCheckpoint: boolean
  /** The share of the closing VACUUM (PostgreSQL's CPU), when the stretch ended with one. */
  vacuum?: { cpuMs: number; walBytes: number }
}

export function perUnit(cost: Cost, units: number): UnitCost {
  return {
    cpuMs: (cost.serverCpuMs + cost.postgresCpuMs) / units,
    serverCpuMs: cost.serverCpuMs / units,
    postgresCpuMs: cost.postgresCpuMs / units,
    walBytes: cost.walBytes / units,
    hadCheckpoint: cost.hadCheckpoint,
  }
}

export function sumUnits(units: UnitCost[]): UnitCost {
  return units.reduce(
    (sum, u) => ({
      cpuMs: sum.cpuMs + u.cpuMs,
      serverCpuMs: sum.serverCpuMs + u.serverCpuMs,
      postgresCpuMs: sum.postgresCpuMs + u.postgresCpuMs,
      walBytes: sum.walBytes + u.walBytes,
      hadCheckpoint: sum.hadCheckpoint || u.hadCheckpoint,
      vacuum: { cpuMs: (sum.vacuum?.cpuMs ?? 0) + (u.vacuum?.cpuMs ?? 0), walBytes: (sum.vacuum?.walBytes ?? 0) + (u.vacuum?.walBytes ?? 0) },
    }),
    { cpuMs: 0, serverCpuMs: 0, postgresCpuMs: 0, walBytes: 0, hadCheckpoint: false },
  )
}

/** "0.52 ms CPU (Carebox 0.31 + PostgreSQL 0.21), 1,234 B WAL (of which VACUUM 0.020 ms, 310 B)"; no server: PostgreSQL alone. */
export function describeUnitCost(unit: UnitCost, serverName: string | null = 'Carebox'): string {
  const ms = (n: number) => n.toFixed(n < 1 ? 3 : 2)
  const bytes = (n: number) => `${Math.round(n).toLocaleString('en')} B`
  const cpu =
    serverName === null
      ? `${ms(unit.cpuMs)} ms CPU of PostgreSQL`
      : `${ms(unit.cpuMs)} ms CPU (${serverName} ${ms(unit.serverCpuMs)} + PostgreSQL ${ms(unit.postgresCpuMs)})`
  return (
    `${cpu}, ${bytes(unit.walBytes)} WAL` +
    (unit.vacuum ? ` (of which VACUUM ${ms(unit.vacuum.cpuMs)} ms, ${bytes(unit.vacuum.walBytes)})` : '') +
    (unit.hadCheckpoint ? ' [a checkpoint ran meanwhile: the WAL includes its full-page images]' : '')
  )
}
