import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findFreePort } from '../../server/src/db/embedded.js'
import { testSecretKey } from '../support/context.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { nodeTs, serverMain, startProcess } from '../support/process.js'

let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database.drop()
})

function runMain(env: Record<string, string>) {
  const [command, args] = nodeTs(serverMain)
  // An external database needs an explicit key for channel secrets.
  return startProcess(command, args, { LOG_LEVEL: 'warn', CAREBOX_SECRET_KEY: testSecretKey, CAREBOX_DEMO: 'off', ...env })
}

/** The user-facing failure: exactly one line naming the problem, and no stack trace. */
function failureLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('Carebox could not start:'))
}

describe('server/src/main.ts', () => {
  it('exits non-zero naming a malformed variable', async () => {
    const { code, stderr } = await runMain({ PORT: 'eighty', DATABASE_URL: database.url }).exited

    expect(code).toBe(1)
    expect(failureLines(stderr)).toEqual([expect.stringContaining('Environment variable PORT="eighty" is invalid')])
    expect(stderr).not.toMatch(/^\s+at /m)
  })

  it('exits non-zero with an actionable line when DATABASE_URL is unreachable', async () => {
    const closedPort = await findFreePort()

    const { code, stderr } = await runMain({ DATABASE_URL: `postgres://u:secret@127.0.0.1:${closedPort}/db` }).exited

    expect(code).toBe(1)
    expect(failureLines(stderr)).toEqual([expect.stringContaining(`Cannot connect to PostgreSQL at 127.0.0.1:${closedPort}/db (ECONNREFUSED)`)])
    expect(stderr).not.toContain('secret')
    expect(stderr).not.toMatch(/^\s+at /m)
  })

  it('exits non-zero with an actionable line when the port is taken', async () => {
    const blocker = net.createServer()
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)))

    const { code, stderr } = await runMain({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: database.url }).exited
    blocker.close()

    expect(code).toBe(1)
    expect(failureLines(stderr)).toEqual([expect.stringContaining(`Port ${port} on 127.0.0.1 is already in use`)])
  })

  it('prints the URL to open, then drains and exits 0 on SIGTERM', async () => {
    const port = await findFreePort()
    const server = runMain({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: database.url })
    const [, url] = await server.waitFor(/Carebox is ready: open (\S+)/)
    const health = await fetch(`${url}/readyz`).then((r) => r.json())

    process.kill(-(server.child.pid as number), 'SIGTERM')
    const { code } = await server.exited

    expect(url).toBe(`http://127.0.0.1:${port}`)
    expect(health).toMatchObject({ status: 'ready' })
    expect(code).toBe(0)
  })

  it('refuses an external database without CAREBOX_SECRET_KEY, saying how to make one', async () => {
    const { code, stderr } = await runMain({ DATABASE_URL: database.url, CAREBOX_SECRET_KEY: '' }).exited

    expect(code).toBe(1)
    expect(failureLines(stderr)).toEqual([expect.stringContaining('CAREBOX_SECRET_KEY is required with DATABASE_URL')])
  })
})
