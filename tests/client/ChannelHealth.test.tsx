import { channelQuietRuleText, type Channel, type ChannelHealth, type DeadLetter, type SystemInfo } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ChannelsPanel } from '../../client/src/features/settings/ChannelsPanel'
import { SystemPanel } from '../../client/src/features/settings/SystemPanel'
import { useStore } from '../../client/src/store/store'
import { billing, fakeApi, sessionOf, support } from './fake-api'

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()

const bot: Channel = {
  id: '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1b001',
  kind: 'telegram',
  name: 'Acme Telegram bot',
  externalId: '7000000001',
  enabled: true,
  teamId: support.id,
  settings: { mode: 'polling', apiBaseUrl: 'http://127.0.0.1:4010/telegram', pollIntervalMs: 1000 },
  webhookUrl: null,
  verifyToken: null,
  secretsSet: ['botToken'],
  lastEventAt: minutesAgo(12),
  lastPolledAt: minutesAgo(0),
  errorCount: 1,
  lastError: 'Could not read the payload: Telegram update without a numeric update_id',
  lastErrorAt: minutesAgo(30),
  deadLetterCount: 1,
  sending: { consecutiveFailures: 0, pausedUntil: null, reason: null },
  createdAt: '2026-03-01T09:00:00.000Z',
}

const botHealth: ChannelHealth = {
  channelId: bot.id,
  name: bot.name,
  kind: 'telegram',
  mode: 'polling',
  enabled: true,
  status: 'quiet',
  lastPollOkAt: minutesAgo(0),
  lastWebhookAt: null,
  lastReceivedAt: minutesAgo(12),
  lastError: { message: bot.lastError!, at: bot.lastErrorAt! },
  isPollFailing: false,
  cursorReset: {
    at: minutesAgo(3),
    reason: "Telegram's update ids moved backwards (the next one expected was 734102306, Telegram sent 42): reading on from Telegram's",
  },
  usualGapSeconds: 40,
  arrivals: 600,
  quietMinutes: 12,
}

const pageHealth: ChannelHealth = {
  ...botHealth,
  channelId: '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1b002',
  name: 'Acme on Facebook',
  kind: 'facebook',
  mode: 'webhook',
  status: 'failing',
  lastPollOkAt: null,
  lastWebhookAt: minutesAgo(2),
  lastReceivedAt: minutesAgo(2),
  lastError: { message: '<script>alert(1)</script> Graph said no', at: minutesAgo(1) },
  isPollFailing: true,
  cursorReset: null,
  quietMinutes: null,
}

const letter: DeadLetter = {
  id: '5c1a1f3e-0d0a-4c3b-8a55-9f2a8cb0c001',
  channelId: bot.id,
  source: 'poll',
  error: 'Could not read the payload: Telegram update without a numeric update_id',
  attempts: 1,
  receivedAt: minutesAgo(30),
  payload: { no_update_id: true },
}

const info: SystemInfo = {
  version: '0.1.0',
  startedAt: '2026-03-02T08:00:00.000Z',
  database: { mode: 'embedded', serverVersion: '16.4', migrationsApplied: 32 },
  queue: { workerInProcess: true, pendingJobs: 0, heldJobs: 0, failedJobs: 0 },
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('admin'))
  api.on('GET', '/api/teams', [200, { items: [support, billing] }])
  api.on('GET', '/api/channels', [200, [bot]])
  api.on('GET', '/api/system/channel-health', [200, { items: [botHealth, pageHealth] }])
  api.on('GET', `/api/channels/${bot.id}/dead-letters`, [200, [letter]])
})

describe('Settings → Channels: health', () => {
  it('shows the last successful poll apart from what last arrived, and an unusual silence with its rule', async () => {
    render(<ChannelsPanel />)

    const row = await screen.findByRole('listitem', { name: 'Acme Telegram bot' })
    const quiet = await within(row).findByText('Nothing received for 12 minutes (usually every 40 seconds)')
    expect(quiet).toHaveAttribute('title', channelQuietRuleText)
    expect(within(row).getByText('Last successful poll').nextElementSibling).toHaveTextContent('0 seconds ago')
    expect(within(row).getByText('Last received').nextElementSibling).toHaveTextContent('12 minutes ago')
    expect(within(row).getByText('Last error').nextElementSibling).toHaveTextContent('30 minutes ago: Could not read the payload')
    expect(within(row).getByText('Cursor recovered').nextElementSibling).toHaveTextContent("Telegram's update ids moved backwards")
    expect(within(row).queryByText('Last webhook received')).not.toBeInTheDocument()
  })
})

describe('Settings → Channels: dead letters', () => {
  it('says a replay failed again and why, and the list and the count both still hold it', async () => {
    api.on('POST', `/api/channels/${bot.id}/dead-letters/${letter.id}/replay`, [
      200,
      { status: 'failed', error: 'Could not read the payload: still unreadable' },
    ])
    api.on('GET', `/api/channels/${bot.id}/dead-letters`, [200, [{ ...letter, error: 'Could not read the payload: still unreadable' }]])
    render(<ChannelsPanel />)
    const row = await screen.findByRole('listitem', { name: 'Acme Telegram bot' })

    await userEvent.click(within(row).getByRole('button', { name: 'Review' }))
    const letters = await within(row).findByRole('list', { name: 'Dead letters' })
    await userEvent.click(within(letters).getByRole('button', { name: 'Replay' }))

    expect(await within(row).findByRole('alert')).toHaveTextContent('Failed again: Could not read the payload: still unreadable')
    expect(within(row).getByText('Dead letters').nextElementSibling).toHaveTextContent('1')
    expect(within(await within(row).findByRole('list', { name: 'Dead letters' })).getAllByRole('listitem')).toHaveLength(1)
    expect(within(row).queryByText('No dead letters.')).not.toBeInTheDocument()
  })

  it('says a replay was taken in, and the list and the count both drop it', async () => {
    api.on('POST', `/api/channels/${bot.id}/dead-letters/${letter.id}/replay`, () => {
      // What the server holds once the replay went through.
      api.on('GET', `/api/channels/${bot.id}/dead-letters`, [200, []])
      api.on('GET', '/api/channels', [200, [{ ...bot, deadLetterCount: 0 }]])
      return [200, { status: 'processed' }]
    })
    render(<ChannelsPanel />)
    const row = await screen.findByRole('listitem', { name: 'Acme Telegram bot' })

    await userEvent.click(within(row).getByRole('button', { name: 'Review' }))
    await userEvent.click(within(await within(row).findByRole('list', { name: 'Dead letters' })).getByRole('button', { name: 'Replay' }))

    expect(await within(row).findByRole('status')).toHaveTextContent('Replayed: taken in.')
    expect(within(row).getByText('No dead letters.')).toBeInTheDocument()
    expect(within(row).getByText('Dead letters').nextElementSibling).toHaveTextContent('0')
  })

  it('says a replay still waits, and what it failed with, when it is being retried', async () => {
    api.on('POST', `/api/channels/${bot.id}/dead-letters/${letter.id}/replay`, [200, { status: 'queued', error: 'deadlock detected' }])
    render(<ChannelsPanel />)
    const row = await screen.findByRole('listitem', { name: 'Acme Telegram bot' })

    await userEvent.click(within(row).getByRole('button', { name: 'Review' }))
    await userEvent.click(within(await within(row).findByRole('list', { name: 'Dead letters' })).getByRole('button', { name: 'Replay' }))

    expect(await within(row).findByRole('alert')).toHaveTextContent('Failed again: deadlock detected. Carebox retries it on its own')
  })
})

describe('Settings → System: channels', () => {
  it('lists every channel’s intake, platform words as text', async () => {
    api.on('GET', '/api/system', [200, info])
    api.on('GET', '/api/system/changes', [200, { head: 0, consumers: [], deadLetters: [] }])
    render(<SystemPanel />)

    const table = await screen.findByRole('table', { name: 'Channel health' })
    const [, botRow, pageRow] = within(table).getAllByRole('row')
    expect(botRow).toHaveTextContent('Acme Telegram bot')
    expect(botRow).toHaveTextContent('Unusually quiet · Nothing received for 12 minutes (usually every 40 seconds)')
    expect(pageRow).toHaveTextContent('Polling fails')
    expect(within(pageRow!).getByText('<script>alert(1)</script> Graph said no')).toBeInTheDocument()
    expect(pageRow).toHaveTextContent('2 minutes ago')
  })
})
