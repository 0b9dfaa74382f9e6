import { csrfHeader, slaTargetKindDefinitions, type Channel, type Role, type SlaPolicy } from '@carebox/shared'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../client/src/App'
import { SlaPoliciesPanel } from '../../client/src/features/settings/SlaPoliciesPanel'
import { useStore } from '../../client/src/store/store'
import { csrfToken, fakeApi, sessionOf, support } from './fake-api'

const whatsapp: Channel = {
  id: '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1b001',
  kind: 'whatsapp',
  name: 'Acme on WhatsApp',
  externalId: '109876543210',
  enabled: true,
  teamId: support.id,
  settings: { mode: 'webhook', apiBaseUrl: 'https://graph.facebook.com/v21.0' },
  webhookUrl: 'https://care.example.com/webhooks/whatsapp',
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

const vip: SlaPolicy = {
  id: '6d2f3c8b-4e5a-4b7c-9dae-1f2a3b4c0001',
  position: 1,
  name: 'VIP customers',
  enabled: true,
  conditions: { tags: ['vip'] },
  targets: { urgent: { first_response: { minutes: 15, businessHours: false } } },
  updatedAt: '2026-03-01T09:00:00.000Z',
}
const standard: SlaPolicy = {
  id: '6d2f3c8b-4e5a-4b7c-9dae-1f2a3b4c0002',
  position: 2,
  name: 'Standard',
  enabled: true,
  conditions: {},
  targets: { normal: { first_response: { minutes: 240, businessHours: true }, resolution: { minutes: 2880, businessHours: true } } },
  updatedAt: '2026-03-01T09:00:00.000Z',
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  // Answered out of order: the list follows `position`.
  api.on('GET', '/api/sla-policies', [200, { items: [standard, vip] }])
  api.on('GET', '/api/channels', [200, [whatsapp]])
  api.on('GET', '/api/teams', [200, { items: [support] }])
  useStore.getState().startSession(sessionOf('lead'))
})

async function openAddForm() {
  const user = userEvent.setup()
  render(<SlaPoliciesPanel />)
  await screen.findByRole('row', { name: 'VIP customers' })
  await user.click(screen.getByRole('button', { name: 'Add a policy' }))
  return { user, form: screen.getByRole('form', { name: 'Add an SLA policy' }) }
}

describe('SlaPoliciesPanel', () => {
  it('lists policies in the order they are tried, with what they apply to and their targets', async () => {
    render(<SlaPoliciesPanel />)

    const first = await screen.findByRole('row', { name: 'VIP customers' })
    const rows = within(screen.getByRole('table', { name: 'SLA policies' }))
      .getAllByRole('row')
      .slice(1)

    expect(rows.map((row) => row.getAttribute('aria-label'))).toEqual(['VIP customers', 'Standard'])
    expect(within(first).getByText('Tags: vip')).toBeInTheDocument()
    expect(within(first).getByText('Urgent: First response 15 m')).toBeInTheDocument()
    const second = screen.getByRole('row', { name: 'Standard' })
    expect(within(second).getByText('Every conversation')).toBeInTheDocument()
    expect(within(second).getByText('Normal: First response 4 h (business hours), Resolution 2 d (business hours)')).toBeInTheDocument()
  })

  it('sends conditions and per-priority targets with minutes and business hours when a policy is added', async () => {
    const created: SlaPolicy = { ...vip, id: '6d2f3c8b-4e5a-4b7c-9dae-1f2a3b4c0003', position: 3, name: 'WhatsApp urgent' }
    api.on('POST', '/api/sla-policies', [200, created])
    const { user, form } = await openAddForm()

    await user.type(within(form).getByLabelText('Name'), 'WhatsApp urgent')
    await user.click(await within(form).findByRole('checkbox', { name: /Acme on WhatsApp/ }))
    await user.click(within(form).getByRole('checkbox', { name: 'Urgent' }))
    await user.type(within(form).getByRole('textbox', { name: 'Add a tag' }), 'refund{Enter}')
    await user.type(within(form).getByLabelText('Urgent first response, minutes'), '90')
    await user.click(within(form).getByLabelText('Urgent first response, in business hours'))
    await user.type(within(form).getByLabelText('Normal resolution, minutes'), '1440')
    await user.click(within(form).getByRole('button', { name: 'Add policy' }))

    expect(await screen.findByRole('row', { name: 'WhatsApp urgent' })).toBeInTheDocument()
    const [request] = api.requests('POST', '/api/sla-policies')
    expect(request?.body).toEqual({
      name: 'WhatsApp urgent',
      enabled: true,
      conditions: { channelIds: [whatsapp.id], priorities: ['urgent'], tags: ['refund'] },
      targets: {
        urgent: { first_response: { minutes: 90, businessHours: true } },
        normal: { resolution: { minutes: 1440, businessHours: false } },
      },
    })
    expect(request?.headers[csrfHeader]).toBe(csrfToken)
  })

  it('spells out a number of minutes in hours under its box', async () => {
    const { user, form } = await openAddForm()
    const box = within(form).getByLabelText('High next response, minutes')

    await user.type(box, '90')

    expect(box).toHaveAccessibleDescription(expect.stringContaining('90 min = 1 h 30 m'))
    expect(within(form).getByLabelText('High next response, in business hours')).toBeEnabled()
    expect(within(form).getByLabelText('High resolution, in business hours')).toBeDisabled()
  })

  it('shows each target kind’s definition word for word', async () => {
    const { form } = await openAddForm()

    for (const definition of Object.values(slaTargetKindDefinitions)) expect(within(form).getByText(definition)).toBeInTheDocument()
    expect(within(form).getByRole('columnheader', { name: 'Resolution' })).toHaveAttribute('title', slaTargetKindDefinitions.resolution)
    expect(within(form).getByLabelText('Low resolution, minutes')).toHaveAccessibleDescription(expect.stringContaining(slaTargetKindDefinitions.resolution))
  })

  it('shows the server’s validation message in the form', async () => {
    api.on('POST', '/api/sla-policies', [400, { error: { code: 'validation_failed', message: 'A policy needs at least one target.' } }])
    const { user, form } = await openAddForm()

    await user.type(within(form).getByLabelText('Name'), 'Empty')
    await user.click(within(form).getByRole('button', { name: 'Add policy' }))

    expect(await within(form).findByRole('alert')).toHaveTextContent('A policy needs at least one target.')
    expect(screen.getByRole('form', { name: 'Add an SLA policy' })).toBeInTheDocument()
  })

  it('does not send minutes that are not whole', async () => {
    const { user, form } = await openAddForm()

    await user.type(within(form).getByLabelText('Name'), 'Odd')
    await user.type(within(form).getByLabelText('Urgent resolution, minutes'), '1.5')
    await user.click(within(form).getByRole('button', { name: 'Add policy' }))

    const box = within(form).getByLabelText('Urgent resolution, minutes')
    expect(box).toHaveAttribute('aria-invalid', 'true')
    expect(box).toHaveAccessibleDescription(expect.stringContaining('Whole minutes'))
    expect(api.requests('POST', '/api/sla-policies')).toHaveLength(0)
  })

  it('sends every id in the new order when a policy is moved', async () => {
    const user = userEvent.setup()
    api.on('PUT', '/api/sla-policies/order', [
      200,
      {
        items: [
          { ...standard, position: 1 },
          { ...vip, position: 2 },
        ],
      },
    ])
    render(<SlaPoliciesPanel />)
    await screen.findByRole('row', { name: 'VIP customers' })

    expect(screen.getByRole('button', { name: 'Move VIP customers up' })).toBeDisabled()
    expect(screen.getByRole('button', { name: 'Move Standard down' })).toBeDisabled()
    await user.click(screen.getByRole('button', { name: 'Move VIP customers down' }))

    await waitFor(() => expect(useStore.getState().slaPolicies?.map((p) => p.name)).toEqual(['Standard', 'VIP customers']))
    expect(api.requests('PUT', '/api/sla-policies/order')[0]?.body).toEqual({ ids: [standard.id, vip.id] })
    const rows = within(screen.getByRole('table', { name: 'SLA policies' }))
      .getAllByRole('row')
      .slice(1)
    expect(rows.map((row) => row.getAttribute('aria-label'))).toEqual(['Standard', 'VIP customers'])
  })

  it('disables a policy', async () => {
    const user = userEvent.setup()
    api.on('PATCH', `/api/sla-policies/${vip.id}`, [200, { ...vip, enabled: false }])
    render(<SlaPoliciesPanel />)
    const row = await screen.findByRole('row', { name: 'VIP customers' })

    await user.click(within(row).getByRole('button', { name: 'Disable' }))

    expect(await within(row).findByText('Disabled')).toBeInTheDocument()
    expect(api.requests('PATCH', `/api/sla-policies/${vip.id}`)[0]?.body).toEqual({ enabled: false })
  })

  it('sends only the targets when only a target is edited', async () => {
    const user = userEvent.setup()
    api.on('PATCH', `/api/sla-policies/${standard.id}`, ({ body }) => [200, { ...standard, ...(body as object) }])
    render(<SlaPoliciesPanel />)
    const row = await screen.findByRole('row', { name: 'Standard' })

    await user.click(within(row).getByRole('button', { name: 'Edit' }))
    const form = screen.getByRole('form', { name: 'Edit Standard' })
    expect(within(form).getByLabelText('Normal first response, minutes')).toHaveValue(240)
    expect(within(form).getByLabelText('Normal first response, in business hours')).toBeChecked()
    await user.clear(within(form).getByLabelText('Normal first response, minutes'))
    await user.type(within(form).getByLabelText('Normal first response, minutes'), '120')
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    await waitFor(() => expect(screen.queryByRole('form', { name: 'Edit Standard' })).not.toBeInTheDocument())
    expect(api.requests('PATCH', `/api/sla-policies/${standard.id}`)[0]?.body).toEqual({
      targets: { normal: { first_response: { minutes: 120, businessHours: true }, resolution: { minutes: 2880, businessHours: true } } },
    })
  })

  it('deletes a policy only once confirmed', async () => {
    const user = userEvent.setup()
    api.on('DELETE', `/api/sla-policies/${vip.id}`, [200, { ok: true }])
    render(<SlaPoliciesPanel />)
    const row = await screen.findByRole('row', { name: 'VIP customers' })

    await user.click(within(row).getByRole('button', { name: 'Delete' }))

    expect(api.requests('DELETE', `/api/sla-policies/${vip.id}`)).toHaveLength(0)

    await user.click(within(row).getByRole('button', { name: 'Yes, delete' }))

    await waitFor(() => expect(screen.queryByRole('row', { name: 'VIP customers' })).not.toBeInTheDocument())
    expect(api.requests('DELETE', `/api/sla-policies/${vip.id}`)).toHaveLength(1)
  })
})

describe('Settings for routing and service levels', () => {
  async function renderAs(role: Role, path: string) {
    useStore.setState({ session: null, sessionStatus: 'loading' })
    api.on('GET', '/api/auth/me', [200, sessionOf(role)])
    api.on('GET', '/api/routing/teams', [200, { items: [] }])
    api.on('GET', '/api/routing/agents', [200, { items: [] }])
    api.on('GET', '/api/rules', [200, { items: [] }])
    window.history.replaceState(null, '', path)
    useStore.getState().syncPath(path)
    render(<App />)
    return screen.findByRole('navigation', { name: 'Main' })
  }

  it('gives a lead the Hours & routing, SLA policies and Rules tabs', async () => {
    await renderAs('lead', '/settings/sla-policies')

    const tabs = screen.getByRole('navigation', { name: 'Settings' })
    expect(
      within(tabs)
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual(['Canned replies', 'Hours & routing', 'SLA policies', 'Rules', 'Surveys', 'Reports'])
    expect(within(tabs).getByRole('link', { name: 'SLA policies' })).toHaveAttribute('aria-current', 'page')
    expect(await screen.findByRole('row', { name: 'VIP customers' })).toBeInTheDocument()
  })

  it('gives an admin the three tabs too', async () => {
    await renderAs('admin', '/settings/rules')

    const tabs = screen.getByRole('navigation', { name: 'Settings' })
    expect(within(tabs).getByRole('link', { name: 'Hours & routing' })).toHaveAttribute('href', '/settings/routing')
    expect(within(tabs).getByRole('link', { name: 'SLA policies' })).toHaveAttribute('href', '/settings/sla-policies')
    expect(within(tabs).getByRole('link', { name: 'Rules' })).toHaveAttribute('aria-current', 'page')
    expect(await screen.findByRole('heading', { name: 'Rules' })).toBeInTheDocument()
  })

  it.each(['/settings/sla-policies', '/settings/rules', '/settings/routing'])(
    'shows an agent no settings at %s, and asks the server for none',
    async (path) => {
      const nav = await renderAs('agent', path)

      expect(within(nav).queryByRole('link', { name: /Settings/ })).not.toBeInTheDocument()
      expect(screen.getByRole('heading', { name: 'Not available' })).toBeInTheDocument()
      expect(screen.queryByRole('navigation', { name: 'Settings' })).not.toBeInTheDocument()
      expect(api.requests('GET', '/api/sla-policies')).toHaveLength(0)
      expect(api.requests('GET', '/api/rules')).toHaveLength(0)
      expect(api.requests('GET', '/api/routing/agents')).toHaveLength(0)
    },
  )
})
