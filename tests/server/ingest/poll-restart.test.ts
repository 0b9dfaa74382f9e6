import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ChannelKind } from '@carebox/shared'
import { provisionChannel } from '../../../server/src/channels/provision.js'
import { repoRoot } from '../../../server/src/config.js'
import type { AppContext } from '../../../server/src/context.js'
import { pollHandler } from '../../../server/src/ingest/poll.job.js'
import { createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { nodeTs, startProcess, type Started } from '../../support/process.js'
import { processQueue } from '../../support/queue.js'

// What `pnpm start` does on a restart, with the demo's polled channels: the platform simulator is a new process
// (nothing it kept in memory survives), Carebox keeps its cursors in the database and points the channels at the
// new simulator. The simulator's ids keep rising across its restarts like the real platforms', so polling carries on
// at once: every message written after the restart is taken in by the next poll, and none before it comes twice.
let database: TestDatabase
let tmp: string
let accountsFile: string
let simulator: Started | undefined

interface Account {
  kind: ChannelKind
  externalId: string
  secrets: Record<string, string>
  handle?: string
  /** How a customer writes on it: a DM, or a public mention. */
  messageKind: 'dm' | 'mention'
}

const accounts: Account[] = [
  { kind: 'telegram', externalId: '7000000201', secrets: { botToken: '7000000201:AArestart' }, messageKind: 'dm' },
  { kind: 'mastodon', externalId: '109000000000201', secrets: { accessToken: 'mastodon-restart' }, handle: 'acme', messageKind: 'mention' },
  {
    kind: 'bluesky',
    externalId: 'did:plc:acmerestart',
    secrets: { identifier: 'acme.restart', appPassword: 'app-pass' },
    handle: 'acme.restart',
    messageKind: 'mention',
  },
]

const customers: Record<string, { id: string; name: string; handle?: string }> = {
  telegram: { id: '58219001', name: 'Lena Krüger' },
  mastodon: { id: '3001', name: 'Tom', handle: 'tom@fosstodon.org' },
  bluesky: { id: 'did:plc:ines', name: 'Inês', handle: 'ines.bsky.social' },
}

/** The simulator as its own process (`server/src/simulator/cli.ts`), on a free port; resolves with its URL. */
async function startSimulatorProcess(): Promise<string> {
  const [command, args] = nodeTs(path.join(repoRoot, 'server', 'src', 'simulator', 'cli.ts'))
  simulator = startProcess(command, [...args, '--port', '0', '--accounts', accountsFile], {})
  const [, url] = await simulator.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*platform simulator listening/, 30_000)
  return url!
}

async function stopSimulatorProcess(): Promise<void> {
  if (!simulator) return
  process.kill(-(simulator.child.pid as number), 'SIGTERM')
  const { code } = await simulator.exited
  expect(code).toBe(0)
  simulator = undefined
}

const apiPrefixes: Partial<Record<ChannelKind, string>> = { telegram: '/telegram', mastodon: '/mastodon', bluesky: '/bluesky' }

/** Connects (or, after a restart, re-points) the channels the way the demo does at every start. */
async function provision(ctx: AppContext, simulatorUrl: string): Promise<Record<string, string>> {
  const ids: Record<string, string> = {}
  for (const account of accounts) {
    ids[account.kind] = await provisionChannel(ctx, {
      kind: account.kind,
      name: `Acme ${account.kind}`,
      externalId: account.externalId,
      settings: {
        mode: 'polling',
        apiBaseUrl: `${simulatorUrl}${apiPrefixes[account.kind]}`,
        pollIntervalMs: 1000,
        ...(account.handle && { handle: account.handle }),
      },
      secrets: account.secrets,
      enabled: true,
    })
  }
  return ids
}

async function customerWrites(simulatorUrl: string, account: Account, text: string): Promise<void> {
  const response = await fetch(`${simulatorUrl}/_sim/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accountExternalId: account.externalId, message: { from: customers[account.kind], text, kind: account.messageKind } }),
  })
  expect(response.status).toBe(200)
}

/** One poll of each channel, each followed by the ingest of what it stored, as the worker would run them. */
async function pollAll(ctx: AppContext, ids: Record<string, string>): Promise<void> {
  for (const id of Object.values(ids)) {
    await pollHandler.run(ctx, { channelId: id }, { attempts: 1, maxAttempts: 3 })
    await processQueue(ctx, database.pool)
  }
}

async function texts(ctx: AppContext, channelId: string): Promise<string[]> {
  const rows = await ctx.db.selectFrom('messages').select('text').where('channelId', '=', channelId).orderBy('sentAt').orderBy('createdAt').execute()
  // Mentions carry the account's handle before the words: only the words are compared.
  return rows.map((row) => row.text.replace(/^@\S+\s+/, ''))
}

/** A Carebox process: its own context over the same database, with a clock later than now (polls run only when asked). */
function carebox(): AppContext {
  return { ...createTestContext(database), clock: createTestClock(new Date('2030-01-01T09:00:00Z')) }
}

beforeAll(async () => {
  database = await createTestDatabase()
  tmp = await mkdtemp(path.join(os.tmpdir(), 'carebox-sim-restart-'))
  accountsFile = path.join(tmp, 'accounts.json')
  await writeFile(accountsFile, JSON.stringify(accounts.map(({ messageKind: _kind, ...account }) => account)))
})
afterEach(async () => {
  if (simulator) {
    process.kill(-(simulator.child.pid as number), 'SIGKILL')
    await simulator.exited
    simulator = undefined
  }
})
afterAll(async () => {
  await database.drop()
  await rm(tmp, { recursive: true, force: true })
})

describe('polled channels across a restart of the simulator and Carebox', () => {
  it('take in what is written after the restart at the next poll, losing and doubling nothing', { timeout: 120_000 }, async () => {
    const firstUrl = await startSimulatorProcess()
    const before = carebox()
    const ids = await provision(before, firstUrl)
    for (const account of accounts) for (const n of [1, 2, 3]) await customerWrites(firstUrl, account, `${account.kind} before ${n}`)
    await pollAll(before, ids)
    await pollAll(before, ids)
    for (const account of accounts) expect(await texts(before, ids[account.kind]!)).toEqual([1, 2, 3].map((n) => `${account.kind} before ${n}`))

    await stopSimulatorProcess()
    const secondUrl = await startSimulatorProcess()
    const after = carebox()
    expect(await provision(after, secondUrl)).toEqual(ids)
    for (const account of accounts) for (const n of [1, 2]) await customerWrites(secondUrl, account, `${account.kind} after ${n}`)
    await pollAll(after, ids)

    for (const account of accounts) {
      expect(await texts(after, ids[account.kind]!)).toEqual([
        ...[1, 2, 3].map((n) => `${account.kind} before ${n}`),
        ...[1, 2].map((n) => `${account.kind} after ${n}`),
      ])
    }
    // Nothing had to be recovered: the restarted platform's ids simply went on.
    const resets = await after.db.selectFrom('channels').select('pollCursorResetAt').where('id', 'in', Object.values(ids)).execute()
    expect(resets.map((row) => row.pollCursorResetAt)).toEqual([null, null, null])
  })
})
