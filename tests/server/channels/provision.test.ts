import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listChannels } from '../../../server/src/channels/channels.service.js'
import { provisionChannelsFromFile } from '../../../server/src/channels/provision.js'
import type { AppContext } from '../../../server/src/context.js'
import { StartupError } from '../../../server/src/errors.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

let database: TestDatabase
let ctx: AppContext
let dir: string

const whatsapp = {
  kind: 'whatsapp',
  name: 'Support WhatsApp',
  externalId: '130000000000002',
  settings: { mode: 'webhook', apiBaseUrl: 'https://graph.facebook.com/v21.0' },
  secrets: { appSecret: 'meta-secret', accessToken: 'wa-token' },
}
const mastodon = {
  kind: 'mastodon',
  name: 'Support Mastodon',
  externalId: '109000000000001',
  settings: { mode: 'polling', apiBaseUrl: 'https://mastodon.social', handle: 'support' },
  secrets: { accessToken: 'mastodon-token' },
}

async function channelsFile(name: string, content: unknown): Promise<string> {
  const file = path.join(dir, name)
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  dir = await mkdtemp(path.join(os.tmpdir(), 'carebox-channels-'))
})
afterAll(async () => {
  await database.drop()
})

describe('provisionChannelsFromFile', () => {
  it('creates the channels once and updates them on later starts', async () => {
    const first = await channelsFile('first.json', { channels: [whatsapp, mastodon] })
    const second = await channelsFile('second.json', { channels: [{ ...whatsapp, name: 'WhatsApp (EU)', enabled: false }, mastodon] })

    await provisionChannelsFromFile(ctx, first)
    await provisionChannelsFromFile(ctx, first)
    await provisionChannelsFromFile(ctx, second)

    const channels = await listChannels(ctx, null)
    expect(channels.map((c) => [c.kind, c.name, c.enabled])).toEqual([
      ['whatsapp', 'WhatsApp (EU)', false],
      ['mastodon', 'Support Mastodon', true],
    ])
  })

  it.each([
    ['unreadable JSON', '{"channels": [', /could not be read as JSON/],
    ['an unknown platform', { channels: [{ ...whatsapp, kind: 'myspace' }] }, /is invalid at \/channels\/0/],
    ['a missing secret', { channels: [{ ...mastodon, externalId: 'x1', secrets: {} }] }, /Missing accessToken/],
  ])('stops start-up with the file named for %s', async (_case, content, message) => {
    const file = await channelsFile(`bad-${Math.random()}.json`, content)

    const provision = provisionChannelsFromFile(ctx, file)

    await expect(provision).rejects.toThrow(message)
    await expect(provisionChannelsFromFile(ctx, file)).rejects.toBeInstanceOf(Error)
  })

  it('puts a channel in the team the file names, creating the team once', async () => {
    const file = await channelsFile('teams.json', { channels: [{ ...mastodon, team: 'Social EMEA' }] })

    await provisionChannelsFromFile(ctx, file)
    await provisionChannelsFromFile(ctx, file)

    const teams = await ctx.db.selectFrom('teams').select(['id', 'name']).where('name', '=', 'Social EMEA').execute()
    expect(teams).toHaveLength(1)
    const channel = (await listChannels(ctx, null)).find((c) => c.kind === 'mastodon')
    expect(channel?.teamId).toBe(teams[0]?.id)
  })

  it('wraps unreadable files in a StartupError', async () => {
    await expect(provisionChannelsFromFile(ctx, path.join(dir, 'missing.json'))).rejects.toBeInstanceOf(StartupError)
  })
})
