import type { Channel, DeadLetter } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { formatClockTime } from '../../client/src/components/formatTime'
import { ChannelsPanel } from '../../client/src/features/settings/ChannelsPanel'
import { billing, support } from './fake-api'

const page: Channel = {
  id: '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a001',
  kind: 'facebook',
  name: 'Acme on Facebook',
  externalId: '104455667788990',
  enabled: true,
  teamId: support.id,
  settings: { mode: 'webhook', apiBaseUrl: 'https://graph.facebook.com/v21.0' },
  webhookUrl: 'https://care.example.com/webhooks/meta',
  verifyToken: 'verify-token-123',
  secretsSet: ['appSecret', 'accessToken'],
  lastEventAt: null,
  lastPolledAt: null,
  errorCount: 1,
  lastError: "Could not read the payload: Unknown Facebook Page change field 'ratings'",
  lastErrorAt: '2026-03-02T09:00:00.000Z',
  deadLetterCount: 1,
  sending: { consecutiveFailures: 0, pausedUntil: null, reason: null },
  createdAt: '2026-03-01T09:00:00.000Z',
}

const letter: DeadLetter = {
  id: '5c1a1f3e-0d0a-4c3b-8a55-9f2a8cb0b002',
  channelId: page.id,
  source: 'webhook',
  error: "Could not read the payload: Unknown Facebook Page change field 'ratings'",
  attempts: 1,
  receivedAt: '2026-03-02T09:00:00.000Z',
  payload: { object: 'page', entry: [] },
}

type Route = (url: string, init: RequestInit) => [number, unknown] | undefined
const fetchMock = vi.fn<typeof fetch>()
let routes: Route[]

function respond(route: Route) {
  routes.push(route)
}

beforeEach(() => {
  routes = []
  fetchMock.mockReset()
  fetchMock.mockImplementation(async (input, init = {}) => {
    if (String(input) === '/api/teams') return new Response(JSON.stringify({ items: [support, billing] }), { status: 200 })
    for (const route of routes) {
      const answer = route(String(input), init)
      if (answer) return new Response(JSON.stringify(answer[1]), { status: answer[0], headers: { 'content-type': 'application/json' } })
    }
    return new Response(JSON.stringify({ error: { code: 'not_found', message: 'unexpected call' } }), { status: 404 })
  })
  vi.stubGlobal('fetch', fetchMock)
})

describe('ChannelsPanel', () => {
  it('lists channels with what an admin needs to wire the platform', async () => {
    respond((url, init) => (url === '/api/channels' && init.method === 'GET' ? [200, [page]] : undefined))

    render(<ChannelsPanel />)

    const row = await screen.findByRole('listitem', { name: 'Acme on Facebook' })
    expect(within(row).getByText('https://care.example.com/webhooks/meta')).toBeInTheDocument()
    expect(within(row).getByText('verify-token-123')).toBeInTheDocument()
    expect(within(row).getByText(/last: Could not read the payload/)).toBeInTheDocument()
    expect(within(row).getByText(/team Support/)).toBeInTheDocument()
  })

  it('connects a Telegram bot by polling, asking only for its own secrets', async () => {
    respond((url, init) => (url === '/api/channels' && init.method === 'GET' ? [200, []] : undefined))
    respond((url, init) => (url === '/api/channels' && init.method === 'POST' ? [200, { ...page, kind: 'telegram', name: 'Bot' }] : undefined))
    render(<ChannelsPanel />)

    await userEvent.click(await screen.findByRole('button', { name: 'Connect a channel' }))
    const form = screen.getByRole('form', { name: 'Connect a channel' })
    await userEvent.selectOptions(within(form).getByLabelText('Platform'), 'telegram')
    await userEvent.type(within(form).getByLabelText('Name'), 'Support bot')
    await userEvent.type(within(form).getByLabelText('Bot user ID'), '7000000001')
    await userEvent.selectOptions(within(form).getByLabelText('Receive by'), 'polling')
    await userEvent.type(within(form).getByLabelText('Bot token'), '7000000001:AAsecret')
    await userEvent.click(within(form).getByRole('button', { name: 'Connect' }))

    expect(within(form).queryByLabelText('App secret')).not.toBeInTheDocument()
    const post = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST')
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({
      kind: 'telegram',
      name: 'Support bot',
      externalId: '7000000001',
      settings: { mode: 'polling', apiBaseUrl: 'https://api.telegram.org' },
      secrets: { botToken: '7000000001:AAsecret' },
      teamId: support.id,
    })
  })

  it('moves a channel to another team', async () => {
    respond((url, init) => (url === '/api/channels' && init.method === 'GET' ? [200, [page]] : undefined))
    respond((url, init) => (url === `/api/channels/${page.id}` && init.method === 'PATCH' ? [200, { ...page, teamId: billing.id }] : undefined))
    render(<ChannelsPanel />)

    const row = await screen.findByRole('listitem', { name: 'Acme on Facebook' })
    await userEvent.click(within(row).getByRole('button', { name: 'Edit' }))
    const form = within(row).getByRole('form', { name: 'Edit Acme on Facebook' })
    await userEvent.selectOptions(within(form).getByLabelText('Team'), 'Billing')
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }))

    const patch = fetchMock.mock.calls.find(([, init]) => init?.method === 'PATCH')
    expect(JSON.parse(String(patch?.[1]?.body))).toMatchObject({ teamId: billing.id })
    expect(await within(row).findByText(/team Billing/)).toBeInTheDocument()
  })

  it('shows the server’s reason when connecting fails', async () => {
    respond((url, init) => (url === '/api/channels' && init.method === 'GET' ? [200, []] : undefined))
    respond((url, init) =>
      url === '/api/channels' && init.method === 'POST'
        ? [409, { error: { code: 'conflict', message: 'A facebook channel for 1 already exists' } }]
        : undefined,
    )
    render(<ChannelsPanel />)

    await userEvent.click(await screen.findByRole('button', { name: 'Connect a channel' }))
    const form = screen.getByRole('form', { name: 'Connect a channel' })
    await userEvent.type(within(form).getByLabelText('Name'), 'Page')
    await userEvent.type(within(form).getByLabelText('Page ID'), '1')
    await userEvent.type(within(form).getByLabelText('App secret'), 's')
    await userEvent.type(within(form).getByLabelText('Access token'), 't')
    await userEvent.click(within(form).getByRole('button', { name: 'Connect' }))

    expect(await within(form).findByRole('alert')).toHaveTextContent('A facebook channel for 1 already exists')
  })

  it('lets an admin review a dead letter and replay it', async () => {
    respond((url, init) => (url === '/api/channels' && init.method === 'GET' ? [200, [page]] : undefined))
    respond((url) => (url === `/api/channels/${page.id}/dead-letters` ? [200, [letter]] : undefined))
    respond((url, init) =>
      url === `/api/channels/${page.id}/dead-letters/${letter.id}/replay` && init.method === 'POST' ? [200, { status: 'queued' }] : undefined,
    )
    render(<ChannelsPanel />)

    await userEvent.click(await screen.findByRole('button', { name: 'Review' }))
    const letters = await screen.findByRole('list', { name: 'Dead letters' })
    await userEvent.click(within(letters).getByRole('button', { name: 'Replay' }))

    expect(within(letters).getByText(letter.error)).toBeInTheDocument()
    expect(fetchMock.mock.calls.some(([url, init]) => String(url).endsWith('/replay') && init?.method === 'POST')).toBe(true)
  })

  it('says sending is paused, until when and why, while the platform keeps failing', async () => {
    const pausedUntil = new Date(Date.now() + 90_000).toISOString()
    const paused = { ...page, sending: { consecutiveFailures: 5, pausedUntil, reason: 'Graph API answered 503 <Service Unavailable>' } }
    respond((url, init) => (url === '/api/channels' && init.method === 'GET' ? [200, [paused]] : undefined))

    render(<ChannelsPanel />)

    const row = await screen.findByRole('listitem', { name: 'Acme on Facebook' })
    expect(
      within(row).getByText(
        `Sending paused until ${formatClockTime(pausedUntil)}: 5 sends in a row failed (Graph API answered 503 <Service Unavailable>). Carebox will try again by itself.`,
      ),
    ).toBeInTheDocument()
  })

  it('counts failed sends without a pause once the pause is over, and says nothing when sends go through', async () => {
    const failing = { ...page, sending: { consecutiveFailures: 2, pausedUntil: new Date(Date.now() - 1000).toISOString(), reason: 'timeout' } }
    const healthy = { ...page, id: '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a009', name: 'Acme support' }
    respond((url, init) => (url === '/api/channels' && init.method === 'GET' ? [200, [failing, healthy]] : undefined))

    render(<ChannelsPanel />)

    const row = await screen.findByRole('listitem', { name: 'Acme on Facebook' })
    expect(within(row).getByText('2 sends failed in a row')).toBeInTheDocument()
    expect(within(row).queryByText(/Sending paused/)).not.toBeInTheDocument()
    expect(within(screen.getByRole('listitem', { name: 'Acme support' })).queryByText(/sends? failed/)).not.toBeInTheDocument()
  })
})
