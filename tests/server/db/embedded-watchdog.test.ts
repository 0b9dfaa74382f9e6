import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isProcessRunning, startEmbeddedPostgres } from '../../../server/src/db/embedded.js'
import { captureLog, eventually, makeDataDir, postmasterPid, query, removeDataDir, stopLeftovers, runPgCtl, startNode } from './embedded-support.js'

// The embedded PostgreSQL dies under a running Carebox: the watchdog starts it again on the same port.
let dataDir: string

beforeAll(async () => {
  dataDir = await makeDataDir()
})
afterEach(async () => {
  await stopLeftovers(dataDir)
})
afterAll(async () => {
  await removeDataDir(dataDir)
})

describe('EmbeddedPostgres.watch', () => {
  it('restarts PostgreSQL on the same port after an immediate shutdown, and pools reconnect', async () => {
    const { log, lines } = captureLog()
    const embedded = await startEmbeddedPostgres({ dataDir, log })
    embedded.watch()
    const pool = new pg.Pool({ connectionString: embedded.url })
    // Idle clients of a pool see the server go away; the pool drops them and connects anew.
    pool.on('error', () => {})
    await pool.query('select 1')

    await runPgCtl(dataDir, ['stop', '-m', 'immediate', '-w'])
    const { rows } = await eventually(() => pool.query<{ ok: number }>('select 1 as ok'))
    await pool.end()
    await embedded.stop()

    expect(rows).toEqual([{ ok: 1 }])
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, msg: 'embedded PostgreSQL stopped unexpectedly; restarting it' }))
    expect(lines).toContainEqual(expect.objectContaining({ level: 30, msg: expect.stringMatching(/^embedded PostgreSQL restarted after \d+ ms$/) }))
  }, 60_000)

  it('restarts PostgreSQL after its postmaster is killed', async () => {
    const { log } = captureLog()
    const embedded = await startEmbeddedPostgres({ dataDir, log })
    embedded.watch()
    const killed = (await postmasterPid(dataDir)) as number

    process.kill(killed, 'SIGKILL')
    const rows = await eventually(() => query<{ ok: number }>(embedded.url, 'select 1 as ok'))
    const restarted = await postmasterPid(dataDir)
    await embedded.stop()

    expect(rows).toEqual([{ ok: 1 }])
    expect(restarted).not.toBe(killed)
    expect(isProcessRunning(killed)).toBe(false)
  }, 60_000)

  it('lets one of several watching nodes restart it, without errors from the others', async () => {
    const { log, lines } = captureLog()
    const other = await startNode(dataDir, { watch: true })
    const embedded = await startEmbeddedPostgres({ dataDir, log })
    embedded.watch()

    await runPgCtl(dataDir, ['stop', '-m', 'immediate', '-w'])
    const rows = await eventually(() => query<{ ok: number }>(embedded.url, 'select 1 as ok'))
    const otherRows = await eventually(() => query<{ ok: number }>(other.url, 'select 1 as ok'))
    await other.stop()
    await embedded.stop()

    expect(rows).toEqual([{ ok: 1 }])
    expect(otherRows).toEqual([{ ok: 1 }])
    expect(lines.filter((line) => line.level >= 50)).toEqual([])
    expect(other.output()).not.toMatch(/"level":(50|60)/)
  }, 60_000)

  it('restarts nothing once stop() has returned', async () => {
    const { log } = captureLog()
    const embedded = await startEmbeddedPostgres({ dataDir, log })
    embedded.watch()

    await embedded.stop()
    // Longer than one watchdog interval: a check still scheduled would have restarted it by now.
    await sleep(3_000)

    expect(await postmasterPid(dataDir)).toBeUndefined()
  }, 60_000)
})
