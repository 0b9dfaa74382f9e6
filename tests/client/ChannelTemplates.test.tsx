import type { Channel, TemplateList, WhatsAppTemplate } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ChannelsPanel } from '../../client/src/features/settings/ChannelsPanel'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf, support } from './fake-api'

const channel: Channel = {
  id: '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a0f1',
  kind: 'whatsapp',
  name: 'Acme on WhatsApp',
  externalId: '106540352242922',
  enabled: true,
  teamId: support.id,
  settings: { mode: 'webhook', apiBaseUrl: 'https://graph.facebook.com/v21.0', businessAccountId: '102290129340398' },
  webhookUrl: 'https://care.example.com/webhooks/meta',
  verifyToken: 'verify-token-123',
  secretsSet: ['appSecret', 'accessToken'],
  lastEventAt: null,
  lastPolledAt: null,
  errorCount: 0,
  lastError: null,
  lastErrorAt: null,
  deadLetterCount: 0,
  sending: { consecutiveFailures: 0, pausedUntil: null, reason: null },
  createdAt: '2026-03-01T09:00:00.000Z',
}
const templatesUrl = `/api/channels/${channel.id}/templates`
const refreshUrl = `/api/channels/${channel.id}/templates/refresh`

function templateOf(overrides: Partial<WhatsAppTemplate>): WhatsAppTemplate {
  return {
    id: crypto.randomUUID(),
    externalId: '1689556908129832',
    name: 'order_delay',
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    parameterFormat: 'POSITIONAL',
    header: null,
    body: 'Your order is delayed.',
    footer: null,
    buttons: [],
    placeholders: [],
    reason: null,
    qualityScore: null,
    updatedAt: '2026-03-01T09:00:00.000Z',
    ...overrides,
  }
}

const delay = templateOf({ name: 'order_delay' })
const promo = templateOf({ name: 'spring_sale', category: 'MARKETING', status: 'PAUSED', reason: 'LOW_QUALITY' })
const listed: TemplateList = { items: [delay, promo], businessAccountId: '102290129340398', syncedAt: new Date(Date.now() - 3 * 3_600_000).toISOString() }

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/teams', [200, { items: [support] }])
  api.on('GET', '/api/channels', [200, [channel]])
  api.on('GET', templatesUrl, [200, listed])
  useStore.getState().startSession(sessionOf('admin'))
})

async function openTemplates() {
  const user = userEvent.setup()
  render(<ChannelsPanel />)
  const row = await screen.findByRole('listitem', { name: 'Acme on WhatsApp' })
  await user.click(within(row).getByRole('button', { name: 'Templates' }))
  const section = within(row).getByRole('region', { name: 'WhatsApp templates' })
  return { user, row, section }
}

describe('ChannelTemplates', () => {
  it("lists a WhatsApp channel's templates with language, category, status and why one cannot be sent, and when they were read", async () => {
    const { row, section } = await openTemplates()

    const list = await within(section).findByRole('list', { name: 'Templates' })
    expect(within(row).getByText('102290129340398')).toBeInTheDocument()
    expect(within(row).getByRole('button', { name: 'Templates' })).toHaveAttribute('aria-expanded', 'true')
    expect(within(section).getByText(/^Last synced/)).toHaveTextContent('Last synced 3 hours ago')
    const paused = within(list).getByRole('listitem', { name: 'spring_sale (en_US)' })
    expect(paused).toHaveTextContent('en_US · Marketing')
    expect(within(paused).getByText('Paused')).toBeInTheDocument()
    expect(within(paused).getByText('Meta paused this template for low quality (LOW_QUALITY): it cannot be sent until it is unpaused.')).toBeInTheDocument()
    const approved = within(list).getByRole('listitem', { name: 'order_delay (en_US)' })
    expect(within(approved).getByText('Approved')).toBeInTheDocument()
    expect(approved).not.toHaveTextContent(/Meta/)
  })

  it('reads the templates again from the platform on Refresh', async () => {
    const approvedAgain = { ...promo, status: 'APPROVED', reason: null }
    api.on('POST', refreshUrl, [200, { ...listed, items: [delay, approvedAgain], syncedAt: new Date().toISOString() }])
    const { user, section } = await openTemplates()
    await within(section).findByRole('list', { name: 'Templates' })

    await user.click(within(section).getByRole('button', { name: 'Refresh' }))

    expect(await within(section).findByText(/^Last synced/)).toHaveTextContent(/Last synced \d+ seconds? ago/)
    expect(within(section).queryByText(/Meta paused/)).not.toBeInTheDocument()
    expect(api.requests('POST', refreshUrl)).toHaveLength(1)
  })

  it('shows why a refresh failed, keeping the list it had', async () => {
    api.on('POST', refreshUrl, [502, { error: { code: 'platform_error', message: 'WhatsApp answered 190: the access token has expired' } }])
    const { user, section } = await openTemplates()
    await within(section).findByRole('list', { name: 'Templates' })

    await user.click(within(section).getByRole('button', { name: 'Refresh' }))

    expect(await within(section).findByRole('alert')).toHaveTextContent('Could not refresh the templates: WhatsApp answered 190: the access token has expired')
    expect(within(section).getByRole('listitem', { name: 'order_delay (en_US)' })).toBeInTheDocument()
  })

  it('says to add the Business Account id when the channel has none', async () => {
    api.on('GET', '/api/channels', [200, [{ ...channel, settings: { mode: 'webhook', apiBaseUrl: channel.settings.apiBaseUrl } }]])
    api.on('GET', templatesUrl, [200, { items: [], businessAccountId: null, syncedAt: null }])

    const { row, section } = await openTemplates()

    expect(await within(section).findByText(/no WhatsApp Business Account id: add it with Edit/)).toBeInTheDocument()
    expect(within(section).getByText('Never synced')).toBeInTheDocument()
    expect(within(row).getByText(/id not set/)).toBeInTheDocument()
  })
})

describe('ChannelForm on WhatsApp', () => {
  it('saves the WhatsApp Business Account id, digits only', async () => {
    const user = userEvent.setup()
    api.on('PATCH', `/api/channels/${channel.id}`, ({ body }) => [200, { ...channel, ...(body as object) }])
    // The form's Conversions API block reads the channel's settings for it.
    api.on('GET', `/api/channels/${channel.id}/conversions`, [200, { channelId: channel.id, datasetId: null, hasAccessToken: false }])
    render(<ChannelsPanel />)
    const row = await screen.findByRole('listitem', { name: 'Acme on WhatsApp' })
    await user.click(within(row).getByRole('button', { name: 'Edit' }))
    const form = within(row).getByRole('form', { name: 'Edit Acme on WhatsApp' })
    const field = within(form).getByRole('textbox', { name: 'WhatsApp Business Account id' })
    expect(field).toHaveValue('102290129340398')
    expect(field).toHaveAccessibleDescription(/digits only/)

    await user.clear(field)
    await user.type(field, '1022-9012')
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    expect(within(form).getByRole('alert')).toHaveTextContent('The WhatsApp Business Account id is digits only')
    expect(api.requests('PATCH', `/api/channels/${channel.id}`)).toHaveLength(0)

    await user.clear(field)
    await user.type(field, ' 555000111 ')
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    const [patch] = api.requests('PATCH', `/api/channels/${channel.id}`)
    expect(patch?.body).toMatchObject({ settings: { mode: 'webhook', apiBaseUrl: channel.settings.apiBaseUrl, businessAccountId: '555000111' } })
    expect(await within(row).findByText('555000111')).toBeInTheDocument()
  })

  it('asks for no Business Account id on other platforms', async () => {
    const user = userEvent.setup()
    api.on('GET', '/api/channels', [200, []])
    render(<ChannelsPanel />)

    await user.click(await screen.findByRole('button', { name: 'Connect a channel' }))
    const form = screen.getByRole('form', { name: 'Connect a channel' })
    expect(within(form).queryByRole('textbox', { name: 'WhatsApp Business Account id' })).not.toBeInTheDocument()
    await user.selectOptions(within(form).getByLabelText('Platform'), 'whatsapp')
    expect(within(form).getByRole('textbox', { name: 'WhatsApp Business Account id' })).toHaveValue('')
  })
})
