import { createServer as createHttpServer } from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import type { ChannelKind } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../../../server/src/context.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { whatsappBusinessAccountId } from '../../../server/src/simulator/payloads/meta.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let sim: Simulator
let admin: SignedIn
let agent: SignedIn

const botToken = '7001234567:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1'

/** One account per platform, as the simulator knows it, and the form values that connect it. */
const accounts: Record<ChannelKind, { externalId: string; handle?: string; secrets: Record<string, string>; wrong: Record<string, string> }> = {
  facebook: {
    externalId: '104455667788990',
    handle: 'Acme Support',
    secrets: { appSecret: 'fb-app-secret', accessToken: 'fb-page-token' },
    wrong: { accessToken: 'fb-wrong-token' },
  },
  instagram: {
    externalId: '17841400000000001',
    handle: 'Acme Shop',
    secrets: { appSecret: 'ig-app-secret', accessToken: 'ig-token' },
    wrong: { accessToken: 'ig-wrong-token' },
  },
  whatsapp: {
    externalId: '130000000000002',
    handle: 'Acme Care',
    secrets: { appSecret: 'wa-app-secret', accessToken: 'wa-token' },
    wrong: { accessToken: 'wa-wrong-token' },
  },
  telegram: {
    externalId: '7001234567',
    handle: 'acme_care_bot',
    secrets: { botToken, webhookSecret: 'telegram-secret_1' },
    wrong: { botToken: '7001234567:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9' },
  },
  x: { externalId: '2244994945', handle: 'AcmeCare', secrets: { consumerSecret: 'x-consumer', accessToken: 'x-token' }, wrong: { accessToken: 'x-wrong' } },
  mastodon: { externalId: '109000000000000001', handle: 'care', secrets: { accessToken: 'm-token' }, wrong: { accessToken: 'm-wrong' } },
  bluesky: {
    externalId: 'did:plc:acmebrand',
    handle: 'acme.bsky.social',
    secrets: { identifier: 'acme.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' },
    wrong: { appPassword: 'wrong-pass-word-xxxx' },
  },
}

const expectedSummaries: Record<ChannelKind, RegExp> = {
  facebook: /^Facebook Page “Acme Support” \(104455667788990\)$/,
  instagram: /^Instagram account @acme_shop \(17841400000000001\)$/,
  whatsapp: /^WhatsApp number 1555\d+ \(“Acme Care”\)$/,
  telegram: /^Telegram bot @acme_care_bot/,
  x: /^X account @AcmeCare$/,
  mastodon: /^Mastodon account @care@127\.0\.0\.1:\d+/,
  bluesky: /^Bluesky account @acme\.bsky\.social \(did:plc:acmebrand\)$/,
}

/** What each platform's refusal of a wrong credential reads as. */
const expectedRefusals: Record<ChannelKind, RegExp> = {
  facebook: /Meta does not accept this access token.*code 190/,
  instagram: /Meta does not accept this access token.*code 190/,
  whatsapp: /Meta does not accept this access token.*code 190/,
  telegram: /Telegram does not know this bot token \(401 Unauthorized\)/,
  x: /X does not accept this access token \(HTTP 401\)/,
  mastodon: /The Mastodon instance does not accept this access token \(HTTP 401\).*The access token is invalid/,
  bluesky: /Bluesky does not accept this handle and app password \(Invalid identifier or password\)/,
}

const kinds = Object.keys(accounts) as ChannelKind[]

/** A loopback port nothing listens on: a server takes one, then lets it go. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

function formOf(kind: ChannelKind, secrets: Record<string, string> = accounts[kind].secrets, externalId = accounts[kind].externalId) {
  const mode = kind === 'mastodon' || kind === 'bluesky' ? 'polling' : 'webhook'
  return { kind, externalId, settings: { mode, apiBaseUrl: sim.apiBaseUrl(kind) }, secrets }
}

function check(user: SignedIn, payload: object) {
  return app.inject({ headers: user.headers, method: 'POST', url: '/api/channels/connection-check', payload })
}

beforeAll(async () => {
  sim = await startSimulator()
  for (const kind of kinds) {
    const { externalId, handle, secrets } = accounts[kind]
    // The Telegram bot has no webhook secret until Carebox registers its webhook with one.
    const known = kind === 'telegram' ? { botToken } : { ...secrets }
    sim.addAccount({ kind, externalId, ...(handle && { handle }), secrets: known })
  }
  database = await createTestDatabase()
  ctx = createTestContext(database, { publicUrl: 'https://care.example.com' })
  app = await buildTestApp(ctx)
  admin = await signedInAs(ctx, app, 'admin')
  agent = await signedInAs(ctx, app, 'agent')
})
afterAll(async () => {
  await app.close()
  await sim.close()
  await database.drop()
})

describe('POST /api/channels/connection-check', () => {
  it.each(kinds)('names the %s account the credentials belong to', async (kind) => {
    const response = await check(admin, formOf(kind))

    expect(response.statusCode).toBe(200)
    const result = response.json()
    expect(result).toMatchObject({ status: 'connected', account: { id: accounts[kind].externalId }, warnings: [] })
    expect(result.account.summary).toMatch(expectedSummaries[kind])
  })

  it.each(kinds)('says in plain words that %s refused a wrong credential', async (kind) => {
    const response = await check(admin, formOf(kind, { ...accounts[kind].secrets, ...accounts[kind].wrong }))

    expect(response.statusCode).toBe(200)
    const result = response.json()
    expect(result.status).toBe('failed')
    expect(result.error).toMatch(expectedRefusals[kind])
  })

  it('refuses a made-up Telegram token without calling Telegram', async () => {
    const before = sim.requests.length

    const response = await check(admin, formOf('telegram', { botToken: 'fake-token' }))

    expect(response.json()).toEqual({ status: 'failed', error: expect.stringMatching(/^This is not a Telegram bot token: a token looks like 123456789:AAH/) })
    expect(sim.requests.length).toBe(before)
  })

  it('fills in the id the platform gave when the form has none, and warns when the form has another', async () => {
    const blank = await check(admin, formOf('telegram', accounts.telegram.secrets, ''))
    const other = await check(admin, formOf('telegram', accounts.telegram.secrets, '7009999999'))

    expect(blank.json()).toMatchObject({ status: 'connected', account: { id: '7001234567', handle: 'acme_care_bot' }, warnings: [] })
    expect(other.json().warnings).toEqual([expect.stringContaining("belong to id 7001234567, but the channel's id is 7009999999")])
  })

  it('says Meta cannot see a Page id the token is not for', async () => {
    const response = await check(admin, formOf('facebook', accounts.facebook.secrets, '999000111222333'))

    expect(response.json()).toEqual({
      status: 'failed',
      error: expect.stringMatching(/^Meta has no Page 999000111222333 that this token can see\..*Check the Page ID/),
    })
  })

  it('asks Meta /me for a Page form without an id yet', async () => {
    const response = await check(admin, formOf('facebook', accounts.facebook.secrets, ''))

    expect(response.json()).toMatchObject({ status: 'connected', account: { id: '104455667788990', name: 'Acme Support' } })
  })

  it('says which address could not be reached', async () => {
    const port = await closedPort()

    const response = await check(admin, { ...formOf('mastodon'), settings: { mode: 'polling', apiBaseUrl: `http://127.0.0.1:${port}` } })

    expect(response.json()).toEqual({
      status: 'failed',
      error: `Carebox could not reach http://127.0.0.1:${port} (the connection was refused). Check the API base URL, and that this server may connect to it.`,
    })
  })

  it('says an API base URL that answers "not found" is to be checked', async () => {
    const response = await check(admin, { ...formOf('mastodon'), settings: { mode: 'polling', apiBaseUrl: `${sim.url}/not-mastodon` } })

    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({
      status: 'failed',
      error: expect.stringMatching(/^The Mastodon instance answered "not found" \(HTTP 404\)\..*Check the API base URL/),
    })
  })

  it('says a platform that does not answer in time did not answer', async () => {
    sim.injectFault({ kind: 'x', endpoint: 'auth', type: 'timeout', count: 1, delayMs: 12_000 })

    const response = await check(admin, formOf('x'))

    expect(response.json()).toEqual({ status: 'failed', error: expect.stringMatching(/did not answer within 10 seconds/) })
  }, 20_000)

  it('asks for what the form lacks', async () => {
    const response = await check(admin, formOf('bluesky', { identifier: 'acme.bsky.social' }))

    expect(response.json()).toEqual({ status: 'failed', error: 'Fill in the app password to test the connection.' })
  })

  it('refuses agents', async () => {
    const response = await check(agent, formOf('telegram'))

    expect(response.statusCode).toBe(403)
  })
})

describe('POST /api/channels/:id/connection-check', () => {
  let channelId: string

  beforeAll(async () => {
    const created = await app.inject({ headers: admin.headers, method: 'POST', url: '/api/channels', payload: { ...formOf('telegram'), name: 'Acme bot' } })
    channelId = created.json().id
  })

  it('checks a saved channel with its stored credentials', async () => {
    const response = await app.inject({ headers: admin.headers, method: 'POST', url: `/api/channels/${channelId}/connection-check`, payload: {} })

    expect(response.json()).toMatchObject({ status: 'connected', account: { id: '7001234567', handle: 'acme_care_bot' }, warnings: [] })
  })

  it('checks a token typed into the edit form instead of the stored one', async () => {
    const response = await app.inject({
      headers: admin.headers,
      method: 'POST',
      url: `/api/channels/${channelId}/connection-check`,
      payload: { secrets: accounts.telegram.wrong },
    })

    expect(response.json()).toEqual({ status: 'failed', error: expect.stringMatching(/Telegram does not know this bot token/) })
  })

  it('never sends the stored token to another API base URL', async () => {
    // Another address on loopback, recording what it is asked: the stored token would be in the path.
    const asked: string[] = []
    const other = createHttpServer((request, response) => {
      asked.push(request.url ?? '')
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"ok":false,"error_code":401,"description":"Unauthorized"}')
    })
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    const apiBaseUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`

    const response = await app.inject({
      headers: admin.headers,
      method: 'POST',
      url: `/api/channels/${channelId}/connection-check`,
      payload: { settings: { mode: 'polling', apiBaseUrl } },
    })
    await new Promise((resolve) => other.close(resolve))

    expect(response.json()).toMatchObject({ status: 'failed' })
    expect(asked.join(' ')).not.toContain(botToken)
  })

  it.each(['http://169.254.169.254/latest', 'http://[fd00:ec2::254]/latest', 'http://100.100.100.200/latest', 'http://[fe80::1]/'])(
    'refuses a metadata or link-local API base URL before any request: %s',
    async (apiBaseUrl) => {
      const response = await check(admin, { ...formOf('mastodon'), settings: { mode: 'polling', apiBaseUrl } })

      expect(response.json()).toEqual({
        status: 'failed',
        error: expect.stringMatching(/^The API base URL cannot be used: .* an address no platform API uses\.$/),
      })
    },
  )

  it('reports a redirect as the answer and does not follow it', async () => {
    const asked: string[] = []
    const redirecting = createHttpServer((request, response) => {
      asked.push(request.url ?? '')
      response.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end()
    })
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve))
    const apiBaseUrl = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`

    const response = await check(admin, { ...formOf('mastodon'), settings: { mode: 'polling', apiBaseUrl } })
    await new Promise((resolve) => redirecting.close(resolve))

    expect(response.json()).toMatchObject({ status: 'failed', error: expect.stringContaining('302') })
    expect(asked).toHaveLength(1)
  })

  it('refuses agents', async () => {
    const response = await app.inject({ headers: agent.headers, method: 'POST', url: `/api/channels/${channelId}/connection-check`, payload: {} })

    expect(response.statusCode).toBe(403)
  })
})

describe('POST /api/channels/:id/webhook-registration', () => {
  async function connect(kind: ChannelKind, overrides: object = {}) {
    const created = await app.inject({
      headers: admin.headers,
      method: 'POST',
      url: '/api/channels',
      payload: { ...formOf(kind), name: `Acme ${kind}`, externalId: accounts[kind].externalId, ...overrides },
    })
    expect(created.statusCode).toBe(200)
    return created.json().id as string
  }

  it('sets the Telegram webhook to the channel’s URL with its secret token', async () => {
    const id = await connect('telegram', { externalId: '7001234568' })

    const response = await app.inject({ headers: admin.headers, method: 'POST', url: `/api/channels/${id}/webhook-registration` })

    expect(response.json()).toEqual({ status: 'registered', message: expect.stringContaining(`https://care.example.com/webhooks/telegram/${id}`) })
    expect(sim.account('7001234567')?.webhookUrl).toBe(`https://care.example.com/webhooks/telegram/${id}`)
    expect(sim.account('7001234567')?.secrets.webhookSecret).toBe('telegram-secret_1')
    const audit = await ctx.db.selectFrom('auditLog').select(['action', 'targetId']).where('action', '=', 'channel.webhook_registered').execute()
    expect(audit).toEqual([{ action: 'channel.webhook_registered', targetId: id }])
  })

  it('subscribes a Facebook Page to the app', async () => {
    const id = await connect('facebook')

    const response = await app.inject({ headers: admin.headers, method: 'POST', url: `/api/channels/${id}/webhook-registration` })

    expect(response.json()).toEqual({ status: 'registered', message: expect.stringMatching(/^The Page is subscribed to your Meta app for messages/) })
  })

  it('subscribes a WhatsApp Business Account to the app, by its id', async () => {
    const waba = whatsappBusinessAccountId({ externalId: accounts.whatsapp.externalId })
    const id = await connect('whatsapp', { settings: { mode: 'webhook', apiBaseUrl: sim.apiBaseUrl('whatsapp'), businessAccountId: waba } })

    const response = await app.inject({ headers: admin.headers, method: 'POST', url: `/api/channels/${id}/webhook-registration` })

    expect(response.json()).toEqual({ status: 'registered', message: expect.stringMatching(/^The WhatsApp Business Account is subscribed/) })
    expect(sim.requests.findLast((request) => request.path.endsWith('/subscribed_apps'))?.path).toContain(`/${waba}/subscribed_apps`)
  })

  it('says a polling channel has no webhook to register', async () => {
    const id = await connect('mastodon')

    const response = await app.inject({ headers: admin.headers, method: 'POST', url: `/api/channels/${id}/webhook-registration` })

    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toMatch(/polls the platform/)
  })

  it('refuses agents', async () => {
    const id = await connect('x')

    const response = await app.inject({ headers: agent.headers, method: 'POST', url: `/api/channels/${id}/webhook-registration` })

    expect(response.statusCode).toBe(403)
  })
})
