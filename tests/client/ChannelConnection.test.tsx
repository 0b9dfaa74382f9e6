import type { Channel, ConnectionCheck } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ChannelsPanel } from '../../client/src/features/settings/ChannelsPanel'
import { billing, fakeApi, support } from './fake-api'

const bot: Channel = {
  id: '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a0b1',
  kind: 'telegram',
  name: 'Acme bot',
  externalId: '7001234567',
  enabled: true,
  teamId: support.id,
  settings: { mode: 'webhook', apiBaseUrl: 'https://api.telegram.org' },
  webhookUrl: 'http://localhost:3000/webhooks/telegram/0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a0b1',
  verifyToken: null,
  secretsSet: ['botToken', 'webhookSecret'],
  lastEventAt: null,
  lastPolledAt: null,
  errorCount: 0,
  lastError: null,
  lastErrorAt: null,
  deadLetterCount: 0,
  sending: { consecutiveFailures: 0, pausedUntil: null, reason: null },
  createdAt: '2026-03-01T09:00:00.000Z',
}

const found: ConnectionCheck = {
  status: 'connected',
  account: { id: '7001234567', name: 'Acme Care', handle: 'acme_care_bot', summary: 'Telegram bot @acme_care_bot (Acme Care)' },
  warnings: [],
}

const refused: ConnectionCheck = {
  status: 'failed',
  error: 'Telegram does not know this bot token (401 Unauthorized): it is mistyped, or it was revoked.',
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/teams', [200, { items: [support, billing] }])
  api.on('GET', '/api/system/channel-health', [200, { items: [] }])
})

async function openNewTelegramForm() {
  render(<ChannelsPanel />)
  await userEvent.click(await screen.findByRole('button', { name: 'Connect a channel' }))
  const form = screen.getByRole('form', { name: 'Connect a channel' })
  await userEvent.selectOptions(within(form).getByLabelText('Platform'), 'telegram')
  return form
}

describe('Test connection in the channel form', () => {
  it('shows the bot Telegram found, and puts its id into the form', async () => {
    api.on('GET', '/api/channels', [200, []])
    api.on('POST', '/api/channels/connection-check', [200, found])
    const form = await openNewTelegramForm()

    await userEvent.type(within(form).getByLabelText('Bot token'), '7001234567:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1')
    await userEvent.click(within(form).getByRole('button', { name: 'Test connection' }))

    expect(await within(form).findByRole('status')).toHaveTextContent('Connected: Telegram bot @acme_care_bot (Acme Care)')
    expect(api.requests('POST', '/api/channels/connection-check')[0]?.body).toEqual({
      kind: 'telegram',
      externalId: '',
      settings: { mode: 'webhook', apiBaseUrl: 'https://api.telegram.org' },
      secrets: { botToken: '7001234567:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1' },
    })
    await userEvent.click(within(form).getByRole('button', { name: 'Use 7001234567 as Bot user ID' }))
    expect(within(form).getByLabelText('Bot user ID')).toHaveValue('7001234567')
  })

  it('forgets a result once the credentials it was about change', async () => {
    api.on('GET', '/api/channels', [200, []])
    api.on('POST', '/api/channels/connection-check', [200, found])
    const form = await openNewTelegramForm()
    await userEvent.type(within(form).getByLabelText('Bot token'), '7001234567:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1')
    await userEvent.click(within(form).getByRole('button', { name: 'Test connection' }))
    expect(await within(form).findByRole('status')).toHaveTextContent('Connected')

    await userEvent.type(within(form).getByLabelText('Bot token'), '9')

    expect(within(form).queryByText(/Connected/)).not.toBeInTheDocument()
  })

  it('shows the platform’s refusal in plain words', async () => {
    api.on('GET', '/api/channels', [200, []])
    api.on('POST', '/api/channels/connection-check', [200, refused])
    const form = await openNewTelegramForm()

    await userEvent.type(within(form).getByLabelText('Bot token'), '7001234567:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9')
    await userEvent.click(within(form).getByRole('button', { name: 'Test connection' }))

    expect(await within(form).findByRole('alert')).toHaveTextContent('Not connected: Telegram does not know this bot token (401 Unauthorized)')
    expect(within(form).queryByRole('status')).not.toBeInTheDocument()
  })

  it('explains each field and links to where the platform shows it', async () => {
    api.on('GET', '/api/channels', [200, []])
    const form = await openNewTelegramForm()

    expect(within(form).getByLabelText('Bot token')).toHaveAccessibleDescription(/The token @BotFather gave when the bot was made/)
    expect(within(form).getByLabelText('Bot user ID')).toHaveAccessibleDescription(/digits before the colon in its token/)
    expect(within(form).getByRole('link', { name: 'Open @BotFather' })).toHaveAttribute('href', 'https://t.me/BotFather')
    await userEvent.selectOptions(within(form).getByLabelText('Platform'), 'facebook')
    expect(within(form).getByLabelText('App secret')).toHaveAccessibleDescription(/App settings → Basic → App secret/)
  })

  it('tests a saved channel with its stored secrets', async () => {
    api.on('GET', '/api/channels', [200, [bot]])
    api.on('POST', `/api/channels/${bot.id}/connection-check`, [200, found])
    render(<ChannelsPanel />)

    const row = await screen.findByRole('listitem', { name: 'Acme bot' })
    await userEvent.click(within(row).getByRole('button', { name: 'Edit' }))
    const form = within(row).getByRole('form', { name: 'Edit Acme bot' })
    await userEvent.click(within(form).getByRole('button', { name: 'Test connection' }))

    expect(await within(form).findByRole('status')).toHaveTextContent('Connected: Telegram bot @acme_care_bot')
    expect(api.requests('POST', `/api/channels/${bot.id}/connection-check`)[0]?.body).toEqual({
      settings: { mode: 'webhook', apiBaseUrl: 'https://api.telegram.org' },
    })
  })
})

describe('A saved channel’s webhook', () => {
  it('warns that platforms cannot reach a localhost URL', async () => {
    api.on('GET', '/api/channels', [200, [bot]])
    render(<ChannelsPanel />)

    const row = await screen.findByRole('listitem', { name: 'Acme bot' })

    expect(within(row).getByText(/Platforms cannot reach this address: localhost:3000 is this machine itself/)).toHaveTextContent(/CAREBOX_PUBLIC_URL/)
  })

  it('registers the Telegram webhook and says what Telegram answered', async () => {
    api.on('GET', '/api/channels', [200, [{ ...bot, webhookUrl: `https://care.example.com/webhooks/telegram/${bot.id}` }]])
    api.on('POST', `/api/channels/${bot.id}/webhook-registration`, [
      200,
      { status: 'registered', message: 'Telegram now sends this bot’s updates to the URL.' },
    ])
    render(<ChannelsPanel />)

    const row = await screen.findByRole('listitem', { name: 'Acme bot' })
    expect(within(row).queryByText(/Platforms cannot reach/)).not.toBeInTheDocument()
    await userEvent.click(within(row).getByRole('button', { name: 'Register webhook with Telegram' }))

    expect(await within(row).findByRole('status')).toHaveTextContent('Done: Telegram now sends this bot’s updates to the URL.')
  })

  it('says a polled bot needs no webhook', async () => {
    api.on('GET', '/api/channels', [200, [{ ...bot, settings: { mode: 'polling', apiBaseUrl: 'https://api.telegram.org' }, webhookUrl: null }]])
    render(<ChannelsPanel />)

    const row = await screen.findByRole('listitem', { name: 'Acme bot' })

    expect(within(row).getByText(/Carebox polls Telegram for this bot’s messages \(getUpdates\), so no webhook is needed/)).toBeInTheDocument()
    expect(within(row).queryByRole('button', { name: 'Register webhook with Telegram' })).not.toBeInTheDocument()
  })
})
