import { readdir } from 'node:fs/promises'
import path from 'node:path'
import pino from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isProcessRunning, startEmbeddedPostgres } from '../../../server/src/db/embedded.js'
import { makeDataDir, postmasterPid, query, removeDataDir, startNode, stopLeftovers } from './embedded-support.js'

// Carebox nodes sharing one data directory: one node runs in this test process, the others in processes of their
// own, so that they can be killed like a crashed node.
const log = pino({ level: 'silent' })
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

describe('startEmbeddedPostgres with several Carebox nodes', () => {
  it('leaves the cluster and its port alone when a killed node starts again while another node uses it', async () => {
    const nodeA = await startNode(dataDir)
    const nodeB = await startEmbeddedPostgres({ dataDir, log })
    const postmaster = await postmasterPid(dataDir)

    await nodeA.kill()
    const nodeAAgain = await startNode(dataDir)
    const rows = await query<{ ok: number }>(nodeB.url, 'select 1 as ok')
    const postmasterAfter = await postmasterPid(dataDir)
    await nodeAAgain.stop()
    await nodeB.stop()

    expect(nodeA.isOwner).toBe(true)
    expect(nodeB.isOwner).toBe(false)
    expect(nodeAAgain.isOwner).toBe(false)
    expect(nodeAAgain.url).toBe(nodeB.url)
    expect(rows).toEqual([{ ok: 1 }])
    expect(postmasterAfter).toBe(postmaster)
  }, 60_000)

  it('leaves the cluster running while another node uses it, and the last node to leave stops it', async () => {
    const starter = await startNode(dataDir)
    const joiner = await startEmbeddedPostgres({ dataDir, log })
    const postmaster = await postmasterPid(dataDir)

    await starter.stop()
    const rows = await query<{ ok: number }>(joiner.url, 'select 1 as ok')
    await joiner.stop()
    const registered = await readdir(path.join(dataDir, 'postgres.nodes'))

    expect(starter.output()).toContain('left running for 1 other Carebox process')
    expect(rows).toEqual([{ ok: 1 }])
    expect(isProcessRunning(postmaster as number)).toBe(false)
    expect(registered).toEqual([])
  }, 60_000)
})
