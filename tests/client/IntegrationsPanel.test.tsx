import { csrfHeader, type WebhookDelivery, type WebhookEndpoint } from '@carebox/shared'
import { act, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../client/src/App'
import { NotificationToasts } from '../../client/src/features/notifications/NotificationToasts'
import { IntegrationsPanel } from '../../client/src/features/settings/IntegrationsPanel'
import { useStore } from '../../client/src/store/store'
import { billing, csrfToken, fakeApi, sessionOf, support } from './fake-api'

const crm: WebhookEndpoint = {
  id: '5b7c1e00-3a2d-4c5e-8f90-1a2b3c4d0001',
  url: 'https://crm.example.com/hooks/carebox',
  description: 'CRM sync',
  eventTypes: ['conversation.created', 'message.created'],
  teamId: support.id,
  allowPrivateNetwork: false,
  enabled: true,
  disabledReason: null,
  failingSince: null,
  pausedUntil: null,
  previousSecretUntil: null,
  createdAt: '2026-03-01T09:00:00.000Z',
}
const gone: WebhookEndpoint = {
  ...crm,
  id: '5b7c1e00-3a2d-4c5e-8f90-1a2b3c4d0002',
  url: 'https://old.example.com/hooks',
  description: '',
  eventTypes: [],
  teamId: null,
  enabled: false,
  disabledReason: 'The endpoint answered 410 Gone.',
}
const secret = 'whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA='
const deliveriesUrl = `/api/webhooks/${crm.id}/deliveries`

function deliveryOf(overrides: Partial<WebhookDelivery>): WebhookDelivery {
  return {
    id: '6c8d2f00-4b3e-4d6f-9a01-2b3c4d5e0001',
    eventId: 'evt_918273',
    eventType: 'message.created',
    conversationId: null,
    status: 'succeeded',
    attempts: 1,
    nextAttemptAt: null,
    lastAttemptAt: new Date(Date.now() - 60_000).toISOString(),
    lastStatus: 200,
    lastLatencyMs: 84,
    lastError: null,
    lastResponseExcerpt: 'ok',
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    ...overrides,
  }
}
const delivered = deliveryOf({})
const failedDelivery = deliveryOf({
  id: '6c8d2f00-4b3e-4d6f-9a01-2b3c4d5e0002',
  eventId: 'evt_918270',
  eventType: 'conversation.created',
  status: 'failed',
  attempts: 10,
  lastStatus: 500,
  lastLatencyMs: 1203,
  lastResponseExcerpt: '<html><script>alert(1)</script>Internal error</html>',
})
const retrying = deliveryOf({
  id: '6c8d2f00-4b3e-4d6f-9a01-2b3c4d5e0003',
  eventId: 'evt_918274',
  status: 'pending',
  attempts: 2,
  nextAttemptAt: new Date(Date.now() + 5 * 60_000).toISOString(),
  lastStatus: null,
  lastLatencyMs: 15_000,
  lastError: 'No answer within 15 s',
  lastResponseExcerpt: null,
})

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/webhooks', [200, { items: [crm, gone] }])
  api.on('GET', '/api/teams', [200, { items: [support, billing] }])
  api.on('GET', deliveriesUrl, [200, { items: [retrying, delivered, failedDelivery], nextCursor: null }])
  useStore.getState().startSession(sessionOf('admin'))
})

async function renderPanel() {
  const user = userEvent.setup()
  render(<IntegrationsPanel />)
  const card = await screen.findByRole('listitem', { name: crm.url })
  return { user, card }
}

async function openLog(user: ReturnType<typeof userEvent.setup>, card: HTMLElement) {
  await user.click(within(card).getByRole('button', { name: 'Delivery log' }))
  return within(card).findByRole('list', { name: `Deliveries to ${crm.url}` })
}

describe('Settings → Integrations', () => {
  it('is a tab of Settings for admins', async () => {
    api.on('GET', '/api/auth/me', [200, sessionOf('admin')])
    useStore.getState().syncPath('/settings/integrations')

    render(<App />)

    const tabs = await screen.findByRole('navigation', { name: 'Settings' })
    expect(within(tabs).getByRole('link', { name: 'Integrations' })).toHaveAttribute('aria-current', 'page')
    expect(await screen.findByRole('heading', { name: 'Outbound webhooks' })).toBeInTheDocument()
  })

  it('lists endpoints with their events, team and state, and why one was disabled', async () => {
    const { card } = await renderPanel()

    expect(within(card).getByText('CRM sync')).toBeInTheDocument()
    expect(within(card).getByText('A conversation starts')).toBeInTheDocument()
    expect(within(card).getByText('A message comes in, or a reply or note is written')).toBeInTheDocument()
    expect(await within(card).findByText('Support')).toBeInTheDocument()
    expect(within(card).getByText('Enabled')).toBeInTheDocument()
    const old = screen.getByRole('listitem', { name: gone.url })
    expect(within(old).getByText('All events')).toBeInTheDocument()
    expect(within(old).getByText('Every team')).toBeInTheDocument()
    expect(within(old).getByText('Disabled: The endpoint answered 410 Gone.')).toBeInTheDocument()
    expect(within(old).getByRole('button', { name: 'Send test event' })).toBeDisabled()
    expect(within(old).getByRole('button', { name: 'Enable' })).toBeInTheDocument()
  })

  it('adds an endpoint for chosen events and one team, then shows its secret once', async () => {
    const created: WebhookEndpoint = { ...crm, id: '5b7c1e00-3a2d-4c5e-8f90-1a2b3c4d0003', url: 'https://bi.example.com/in', description: 'Warehouse' }
    api.on('POST', '/api/webhooks', [200, { endpoint: created, secret }])
    const { user } = await renderPanel()

    await user.click(screen.getByRole('button', { name: 'Add an endpoint' }))
    const form = screen.getByRole('form', { name: 'Add an endpoint' })
    await user.type(within(form).getByLabelText('URL'), ' https://bi.example.com/in ')
    await user.type(within(form).getByLabelText('Description'), 'Warehouse')
    await user.selectOptions(within(form).getByLabelText('Team'), 'Billing')
    await user.click(within(form).getByLabelText('All events, including types added later'))
    await user.click(within(form).getByLabelText(/A customer is added/))
    await user.click(within(form).getByLabelText(/A service-level deadline is missed/))
    await user.click(within(form).getByRole('button', { name: 'Add endpoint' }))

    const notice = await screen.findByRole('region', { name: 'Signing secret of https://bi.example.com/in' })
    expect(within(notice).getByText(secret)).toBeInTheDocument()
    expect(notice).toHaveTextContent('it won’t be shown again')
    expect(api.requests('POST', '/api/webhooks')[0]).toMatchObject({
      body: {
        url: 'https://bi.example.com/in',
        description: 'Warehouse',
        eventTypes: ['contact.created', 'sla.breached'],
        teamId: billing.id,
        allowPrivateNetwork: false,
      },
      headers: { [csrfHeader]: csrfToken },
    })
    expect(screen.queryByRole('form', { name: 'Add an endpoint' })).not.toBeInTheDocument()
    expect(screen.getByRole('listitem', { name: 'https://bi.example.com/in' })).toBeInTheDocument()

    await user.click(within(notice).getByRole('button', { name: 'Done' }))

    expect(screen.queryByText(secret)).not.toBeInTheDocument()
  })

  it('asks for at least one event rather than sending an empty list, which would mean all', async () => {
    const { user } = await renderPanel()

    await user.click(screen.getByRole('button', { name: 'Add an endpoint' }))
    const form = screen.getByRole('form', { name: 'Add an endpoint' })
    await user.type(within(form).getByLabelText('URL'), 'https://bi.example.com/in')
    await user.click(within(form).getByLabelText('All events, including types added later'))
    await user.click(within(form).getByRole('button', { name: 'Add endpoint' }))

    expect(within(form).getByRole('alert')).toHaveTextContent('Choose at least one event, or All events.')
    expect(api.requests('POST', '/api/webhooks')).toHaveLength(0)
  })

  it('says in words why the server refused an address, and keeps the form', async () => {
    const refusal = 'localhost:8080 resolves to 127.0.0.1, which is not a public address. Webhooks go only to public addresses.'
    api.on('POST', '/api/webhooks', [400, { error: { code: 'validation_failed', message: refusal } }])
    const { user } = await renderPanel()

    await user.click(screen.getByRole('button', { name: 'Add an endpoint' }))
    const form = screen.getByRole('form', { name: 'Add an endpoint' })
    await user.type(within(form).getByLabelText('URL'), 'http://localhost:8080/hooks')
    await user.click(within(form).getByRole('button', { name: 'Add endpoint' }))

    expect(await within(form).findByRole('alert')).toHaveTextContent(refusal)
    expect(screen.queryByRole('region', { name: /Signing secret/ })).not.toBeInTheDocument()
  })

  it('sends an allowed private network address when the admin ticks it', async () => {
    api.on('POST', '/api/webhooks', ({ body }) => [200, { endpoint: { ...crm, ...(body as object), id: '5b7c1e00-3a2d-4c5e-8f90-1a2b3c4d0004' }, secret }])
    const { user } = await renderPanel()

    await user.click(screen.getByRole('button', { name: 'Add an endpoint' }))
    const form = screen.getByRole('form', { name: 'Add an endpoint' })
    await user.type(within(form).getByLabelText('URL'), 'http://10.0.0.5/hooks')
    await user.click(within(form).getByLabelText('Allow a private network address'))
    await user.click(within(form).getByRole('button', { name: 'Add endpoint' }))

    await screen.findByRole('region', { name: 'Signing secret of http://10.0.0.5/hooks' })
    expect(api.requests('POST', '/api/webhooks')[0]?.body).toMatchObject({
      url: 'http://10.0.0.5/hooks',
      eventTypes: [],
      teamId: null,
      allowPrivateNetwork: true,
    })
  })

  it('edits an endpoint, sending only what changed', async () => {
    api.on('PATCH', `/api/webhooks/${crm.id}`, ({ body }) => [200, { ...crm, ...(body as object) }])
    const { user, card } = await renderPanel()

    await user.click(within(card).getByRole('button', { name: 'Edit' }))
    const form = within(card).getByRole('form', { name: `Edit ${crm.url}` })
    await user.clear(within(form).getByLabelText('Description'))
    await user.type(within(form).getByLabelText('Description'), 'CRM')
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(await within(card).findByText('CRM')).toBeInTheDocument()
    expect(api.requests('PATCH', `/api/webhooks/${crm.id}`)[0]?.body).toEqual({ description: 'CRM' })
  })

  it('shows the delivery log: event, state, answer, latency, attempt, the next attempt and the answer as text', async () => {
    const { user, card } = await renderPanel()

    const log = await openLog(user, card)

    const items = within(log).getAllByRole('listitem')
    expect(items.map((item) => item.getAttribute('aria-label'))).toEqual([
      'message.created, retrying',
      'message.created, delivered',
      'conversation.created, failed',
    ])
    expect(items[0]).toHaveTextContent('No answer: No answer within 15 s')
    expect(items[0]).toHaveTextContent('attempt 2')
    expect(items[0]).toHaveTextContent('next attempt in 5 minutes')
    expect(within(items[0]!).queryByRole('button', { name: 'Replay' })).not.toBeInTheDocument()
    expect(items[1]).toHaveTextContent('HTTP 200')
    expect(items[1]).toHaveTextContent('84 ms')
    expect(items[1]).toHaveTextContent('webhook-id evt_918273')
    expect(items[2]).toHaveTextContent('HTTP 500')
    expect(items[2]).toHaveTextContent('attempt 10')
    // The receiver's answer is shown as text, never as markup.
    expect(within(items[2]!).getByText('<html><script>alert(1)</script>Internal error</html>', { selector: 'pre' })).toBeInTheDocument()
    expect(log.querySelector('script')).toBeNull()
  })

  it('says the receiver paused the endpoint, and which deliveries wait behind an earlier event', async () => {
    const pausedUntil = new Date(Date.now() + 5 * 60_000).toISOString()
    api.on('GET', '/api/webhooks', [200, { items: [{ ...crm, pausedUntil }, gone] }])
    const behind = deliveryOf({
      id: '6c8d2f00-4b3e-4d6f-9a01-2b3c4d5e0004',
      eventId: 'evt_918275',
      status: 'pending',
      attempts: 0,
      lastAttemptAt: null,
      lastStatus: null,
      lastLatencyMs: null,
      lastResponseExcerpt: null,
    })
    api.on('GET', deliveriesUrl, [200, { items: [behind, retrying], nextCursor: null }])
    const { user, card } = await renderPanel()

    expect(card).toHaveTextContent('Paused until in 5 minutes: the receiver answered with Retry-After, so nothing is sent to it before then.')
    const log = await openLog(user, card)
    expect(
      within(log)
        .getAllByRole('listitem')
        .map((item) => item.getAttribute('aria-label')),
    ).toEqual(['message.created, after an earlier event', 'message.created, retrying'])
    expect(within(log).getAllByRole('listitem')[0]).toHaveTextContent('not attempted yet')
  })

  it('filters the log by state and reads older pages', async () => {
    api.on('GET', deliveriesUrl, [200, { items: [delivered], nextCursor: delivered.id }])
    api.on('GET', `${deliveriesUrl}?cursor=${delivered.id}`, [200, { items: [failedDelivery], nextCursor: null }])
    api.on('GET', `${deliveriesUrl}?status=failed`, [200, { items: [failedDelivery], nextCursor: null }])
    const { user, card } = await renderPanel()
    const log = await openLog(user, card)

    await user.click(within(card).getByRole('button', { name: 'Show older deliveries' }))

    expect(await within(log).findByRole('listitem', { name: 'conversation.created, failed' })).toBeInTheDocument()
    expect(within(card).queryByRole('button', { name: 'Show older deliveries' })).not.toBeInTheDocument()

    await user.selectOptions(within(card).getByLabelText('Show'), 'Failed')

    await within(log).findByRole('listitem', { name: 'conversation.created, failed' })
    expect(within(log).queryByRole('listitem', { name: 'message.created, delivered' })).not.toBeInTheDocument()
  })

  it('replays one delivery, which goes back in the queue', async () => {
    api.on('POST', `/api/webhooks/${crm.id}/deliveries/${failedDelivery.id}/replay`, [
      200,
      { ...failedDelivery, status: 'pending', attempts: 0, nextAttemptAt: new Date().toISOString() },
    ])
    const { user, card } = await renderPanel()
    const log = await openLog(user, card)

    await user.click(within(within(log).getByRole('listitem', { name: 'conversation.created, failed' })).getByRole('button', { name: 'Replay' }))

    expect(await within(log).findByRole('listitem', { name: 'conversation.created, queued' })).toHaveTextContent('not attempted yet')
    expect(api.requests('POST', `/api/webhooks/${crm.id}/deliveries/${failedDelivery.id}/replay`)).toHaveLength(1)
  })

  it('says why a replay was refused, next to the delivery', async () => {
    api.on('POST', `/api/webhooks/${crm.id}/deliveries/${failedDelivery.id}/replay`, [
      409,
      { error: { code: 'conflict', message: 'Enable the endpoint before replaying its deliveries.' } },
    ])
    const { user, card } = await renderPanel()
    const log = await openLog(user, card)
    const item = within(log).getByRole('listitem', { name: 'conversation.created, failed' })

    await user.click(within(item).getByRole('button', { name: 'Replay' }))

    expect(await within(item).findByRole('alert')).toHaveTextContent('Enable the endpoint before replaying its deliveries.')
  })

  it('replays every failed delivery since a chosen time', async () => {
    api.on('POST', `/api/webhooks/${crm.id}/replay-failed`, [200, { replayed: 2 }])
    const { user, card } = await renderPanel()
    await openLog(user, card)
    const form = within(card).getByRole('form', { name: 'Replay failed deliveries' })

    await user.clear(within(form).getByLabelText('Replay failed since'))
    await user.type(within(form).getByLabelText('Replay failed since'), '2026-03-01T08:30')
    await user.click(within(form).getByRole('button', { name: 'Replay failed' }))

    expect(await within(form).findByRole('status')).toHaveTextContent('Sending 2 failed deliveries again.')
    expect(api.requests('POST', `/api/webhooks/${crm.id}/replay-failed`)[0]?.body).toEqual({ since: new Date('2026-03-01T08:30').toISOString() })
  })

  it('sends a test event and says how it went once the receiver answered', async () => {
    const queued = deliveryOf({
      id: '6c8d2f00-4b3e-4d6f-9a01-2b3c4d5e0009',
      eventId: 'evt_test_1',
      eventType: 'webhook.test',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: new Date().toISOString(),
      lastAttemptAt: null,
      lastStatus: null,
      lastLatencyMs: null,
      lastResponseExcerpt: null,
    })
    api.on('POST', `/api/webhooks/${crm.id}/test`, [200, queued])
    api.on('GET', deliveriesUrl, [200, { items: [queued, delivered], nextCursor: null }])
    const { user, card } = await renderPanel()

    await user.click(within(card).getByRole('button', { name: 'Send test event' }))

    expect(await within(card).findByText('Test event sent: waiting for the receiver’s answer…')).toBeInTheDocument()
    const log = await within(card).findByRole('list', { name: `Deliveries to ${crm.url}` })
    expect(within(log).getByRole('listitem', { name: 'webhook.test, queued' })).toBeInTheDocument()

    // The receiver answers: the log, read again on its own while the test is due, shows it delivered.
    api.on('GET', deliveriesUrl, [
      200,
      {
        items: [{ ...queued, status: 'succeeded', attempts: 1, lastStatus: 200, lastLatencyMs: 42, lastAttemptAt: new Date().toISOString() }, delivered],
        nextCursor: null,
      },
    ])

    expect(await within(card).findByText('Test event delivered: the receiver answered HTTP 200 in 42 ms.', {}, { timeout: 5000 })).toBeInTheDocument()
    expect(within(log).getByRole('listitem', { name: 'webhook.test, delivered' })).toBeInTheDocument()
  })

  it('says a test event failed with the receiver’s answer', async () => {
    const answered = deliveryOf({ id: '6c8d2f00-4b3e-4d6f-9a01-2b3c4d5e0010', eventType: 'webhook.test', status: 'pending', attempts: 1, lastStatus: 401 })
    api.on('POST', `/api/webhooks/${crm.id}/test`, [200, { ...answered, attempts: 0, lastStatus: null }])
    api.on('GET', deliveriesUrl, [200, { items: [{ ...answered, nextAttemptAt: new Date(Date.now() + 300_000).toISOString() }], nextCursor: null }])
    const { user, card } = await renderPanel()

    await user.click(within(card).getByRole('button', { name: 'Send test event' }))

    expect(
      await within(card).findByText('Test event not delivered: the receiver answered HTTP 401. Carebox will try again; see the delivery log.'),
    ).toBeInTheDocument()
  })

  it('says why a test event was refused', async () => {
    api.on('POST', `/api/webhooks/${crm.id}/test`, [409, { error: { code: 'conflict', message: 'Enable the endpoint before sending a test event.' } }])
    const { user, card } = await renderPanel()

    await user.click(within(card).getByRole('button', { name: 'Send test event' }))

    expect(await within(card).findByRole('alert')).toHaveTextContent('Enable the endpoint before sending a test event.')
  })

  it('rotates the secret once confirmed, shows the new one once, and says the old one still signs for a day', async () => {
    const until = new Date(Date.now() + 24 * 3600_000).toISOString()
    api.on('POST', `/api/webhooks/${crm.id}/rotate-secret`, [200, { endpoint: { ...crm, previousSecretUntil: until }, secret }])
    const { user, card } = await renderPanel()

    await user.click(within(card).getByRole('button', { name: 'Rotate secret' }))
    expect(within(card).getByRole('group', { name: /two signatures/ })).toBeInTheDocument()
    await user.click(within(card).getByRole('button', { name: 'Yes, rotate' }))

    const notice = await within(card).findByRole('region', { name: `New secret of ${crm.url}` })
    expect(within(notice).getByText(secret)).toBeInTheDocument()
    expect(notice).toHaveTextContent('For the next 24 hours each delivery is signed with this secret and with the old one')
    expect(card).toHaveTextContent('Rotated: the old secret signs too, and stops in 24 hours')

    await user.click(within(notice).getByRole('button', { name: 'Done' }))

    expect(screen.queryByText(secret)).not.toBeInTheDocument()
  })

  it('disables an endpoint once confirmed, and enables it again', async () => {
    api.on('PATCH', `/api/webhooks/${crm.id}`, ({ body }) => [
      200,
      { ...crm, ...(body as object), disabledReason: (body as { enabled: boolean }).enabled ? null : 'Disabled by an admin.' },
    ])
    const { user, card } = await renderPanel()

    await user.click(within(card).getByRole('button', { name: 'Disable' }))
    await user.click(within(card).getByRole('button', { name: 'Yes, disable' }))

    expect(await within(card).findByText('Disabled: Disabled by an admin.')).toBeInTheDocument()

    await user.click(within(card).getByRole('button', { name: 'Enable' }))

    expect(await within(card).findByRole('status')).toHaveTextContent('Enabled. To send what failed while it was off')
    expect(api.requests('PATCH', `/api/webhooks/${crm.id}`).map((r) => r.body)).toEqual([{ enabled: false }, { enabled: true }])
  })

  it('deletes an endpoint only once confirmed', async () => {
    api.on('DELETE', `/api/webhooks/${crm.id}`, [200, { ok: true }])
    const { user, card } = await renderPanel()

    await user.click(within(card).getByRole('button', { name: 'Delete' }))
    expect(api.requests('DELETE', `/api/webhooks/${crm.id}`)).toHaveLength(0)
    await user.click(within(card).getByRole('button', { name: 'Yes, delete' }))

    await screen.findByRole('listitem', { name: gone.url })
    expect(screen.queryByRole('listitem', { name: crm.url })).not.toBeInTheDocument()
  })

  it('says why the list could not be read', async () => {
    api.on('GET', '/api/webhooks', [403, { error: { code: 'forbidden', message: 'Admins only.' } }])

    render(<IntegrationsPanel />)

    expect(await screen.findByRole('alert')).toHaveTextContent('Admins only.')
  })

  it('links the demo’s endpoint to its receiver’s page, and no other', async () => {
    const demo: WebhookEndpoint = {
      ...gone,
      id: '5b7c1e00-3a2d-4c5e-8f90-1a2b3c4d0005',
      url: 'http://127.0.0.1:41234/demo-receiver',
      enabled: true,
      disabledReason: null,
    }
    api.on('GET', '/api/webhooks', [200, { items: [crm, demo] }])
    const { card } = await renderPanel()

    const demoCard = screen.getByRole('listitem', { name: demo.url })
    expect(within(demoCard).getByRole('link', { name: 'open the receiver’s page' })).toHaveAttribute('href', demo.url)
    expect(within(card).queryByRole('link')).not.toBeInTheDocument()
  })
})

describe('the webhook_disabled notification', () => {
  it('leads to Settings → Integrations', async () => {
    const user = userEvent.setup()
    render(<NotificationToasts />)

    act(() =>
      useStore
        .getState()
        .receiveNotification({ kind: 'webhook_disabled', conversationId: '', by: null, preview: `${crm.url}: The endpoint answered 410 Gone.` }),
    )
    const link = screen.getByRole('link', { name: 'Open Settings → Integrations' })
    expect(link).toHaveAttribute('href', '/settings/integrations')
    await user.click(link)

    expect(useStore.getState().path).toBe('/settings/integrations')
    expect(screen.queryByRole('region', { name: 'Notifications' })).not.toBeInTheDocument()
  })
})
