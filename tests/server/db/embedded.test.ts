import { spawn } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isProcessRunning as isAlive, startEmbeddedPostgres } from '../../../server/src/db/embedded.js'
import { registerNode, unregisterNode } from '../../../server/src/db/embedded-nodes.js'

// These tests start and stop real clusters in a data directory of their own.
const log = pino({ level: 'silent' })
let dataDir: string

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(text)).rows as T[]
  } finally {
    await client.end()
  }
}

function postmasterPid(): Promise<number | undefined> {
  return readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').then(
    (t) => Number(t.split('\n')[0]),
    () => undefined,
  )
}

/** A pid that surely belongs to no running process: one that just exited. */
async function deadPid(): Promise<number> {
  const child = spawn('true')
  await new Promise((resolve) => child.on('exit', resolve))
  return child.pid as number
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'carebox-embedded-'))
  await chmod(dataDir, 0o755)
})
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

describe('startEmbeddedPostgres', () => {
  it('keeps the data and the port across a stop and a start', async () => {
    const first = await startEmbeddedPostgres({ dataDir, log })
    await query(first.url, 'create table kept (note text); insert into kept values ($$still here$$)')
    await first.stop()

    const second = await startEmbeddedPostgres({ dataDir, log })
    const rows = await query<{ note: string }>(second.url, 'select note from kept')
    await second.stop()

    expect(first.isOwner).toBe(true)
    expect(second.url).toBe(first.url)
    expect(rows).toEqual([{ note: 'still here' }])
  })

  it('takes a free port when the one it used last is taken', async () => {
    const first = await startEmbeddedPostgres({ dataDir, log })
    await first.stop()
    const squatter = net.createServer()
    await new Promise<void>((resolve) => squatter.listen(Number(new URL(first.url).port), '127.0.0.1', resolve))

    const second = await startEmbeddedPostgres({ dataDir, log })
    const rows = await query<{ note: string }>(second.url, 'select note from kept')
    await second.stop()
    await new Promise((resolve) => squatter.close(resolve))

    expect(second.url).not.toBe(first.url)
    expect(rows).toEqual([{ note: 'still here' }])
  })

  it('leaves no postgres process behind after stop()', async () => {
    const embedded = await startEmbeddedPostgres({ dataDir, log })
    const pid = await postmasterPid()

    await embedded.stop()

    expect(pid).toBeGreaterThan(0)
    expect(isAlive(pid as number)).toBe(false)
  })

  it('recovers from a stale postmaster.pid left by a crash', async () => {
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid')
    await writeFile(pidFile, `${await deadPid()}\n${path.join(dataDir, 'postgres')}\n1700000000\n5432\n\n127.0.0.1\n`)

    const embedded = await startEmbeddedPostgres({ dataDir, log })
    const rows = await query<{ note: string }>(embedded.url, 'select note from kept')
    await embedded.stop()

    expect(rows).toEqual([{ note: 'still here' }])
  })

  it('takes over, on the same port, a postgres left running by Carebox processes that died', async () => {
    const orphan = await startEmbeddedPostgres({ dataDir, log })
    const orphanPid = await postmasterPid()
    // The entry of a node that died does not count (and is cleaned up); nor does our own, left by `orphan`.
    const deadNode = await deadPid()
    await writeFile(path.join(dataDir, 'postgres.nodes', String(deadNode)), '')

    const embedded = await startEmbeddedPostgres({ dataDir, log })
    const rows = await query<{ note: string }>(embedded.url, 'select note from kept')
    const nodes = await readdir(path.join(dataDir, 'postgres.nodes'))
    await embedded.stop()

    expect(embedded.isOwner).toBe(true)
    expect(embedded.url).toBe(orphan.url)
    expect(isAlive(orphanPid as number)).toBe(false)
    expect(nodes).not.toContain(String(deadNode))
    expect(rows).toEqual([{ note: 'still here' }])
  })

  it('connects to, and leaves running, a cluster another live Carebox process uses', async () => {
    const owner = await startEmbeddedPostgres({ dataDir, log })
    // Pretend another live process uses it: our parent is alive and is not us.
    await registerNode(dataDir, process.ppid)

    const guest = await startEmbeddedPostgres({ dataDir, log })
    await guest.stop()
    const rows = await query<{ note: string }>(owner.url, 'select note from kept')
    await unregisterNode(dataDir, process.ppid)
    await owner.stop()

    expect(guest.isOwner).toBe(false)
    expect(guest.url).toBe(owner.url)
    expect(rows).toEqual([{ note: 'still here' }])
  })

  it('moves an incompletely initialised directory aside instead of deleting it', async () => {
    const otherDir = await mkdtemp(path.join(os.tmpdir(), 'carebox-embedded-'))
    await chmod(otherDir, 0o755)
    await mkdir(path.join(otherDir, 'postgres'))
    await writeFile(path.join(otherDir, 'postgres', 'half-written'), 'x')

    const embedded = await startEmbeddedPostgres({ dataDir: otherDir, log })
    const rows = await query<{ ok: number }>(embedded.url, 'select 1 as ok')
    await embedded.stop()
    const entries = await readdir(otherDir)
    await rm(otherDir, { recursive: true, force: true })

    expect(rows).toEqual([{ ok: 1 }])
    expect(entries.some((e) => e.startsWith('postgres.incomplete-'))).toBe(true)
  })
})
