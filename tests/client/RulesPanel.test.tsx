import { csrfHeader, type AutomationRule } from '@carebox/shared'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { RulesPanel } from '../../client/src/features/settings/RulesPanel'
import { useStore } from '../../client/src/store/store'
import { billing, csrfToken, fakeApi, sessionOf, support } from './fake-api'

const refunds: AutomationRule = {
  id: '8e3a4b5c-6d7e-4f80-9a1b-2c3d4e5f0001',
  teamId: null,
  position: 1,
  name: 'Refund requests are urgent',
  enabled: true,
  trigger: 'message.received',
  afterMinutes: null,
  conditions: { keywords: ['refund', '退款'], vip: true },
  actions: [
    { type: 'set_priority', priority: 'urgent' },
    { type: 'notify', who: 'leads' },
  ],
  updatedAt: '2026-03-01T09:00:00.000Z',
}
const silent: AutomationRule = {
  id: '8e3a4b5c-6d7e-4f80-9a1b-2c3d4e5f0002',
  teamId: support.id,
  position: 2,
  name: 'Silent customers',
  enabled: false,
  trigger: 'customer.silent',
  afterMinutes: 2880,
  conditions: { channelKinds: ['whatsapp'], languages: ['es'] },
  actions: [{ type: 'add_note', text: 'No answer in two days.' }, { type: 'resolve' }],
  updatedAt: '2026-03-01T09:00:00.000Z',
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/rules', [200, { items: [silent, refunds] }])
  api.on('GET', '/api/teams', [200, { items: [support, billing] }])
  useStore.getState().startSession(sessionOf('lead'))
})

async function openAddForm() {
  const user = userEvent.setup()
  render(<RulesPanel />)
  await screen.findByRole('row', { name: refunds.name })
  await user.click(screen.getByRole('button', { name: 'Add a rule' }))
  return { user, form: screen.getByRole('form', { name: 'Add a rule' }) }
}

describe('RulesPanel', () => {
  it('lists rules with their trigger, wait, conditions and actions', async () => {
    render(<RulesPanel />)

    const first = await screen.findByRole('row', { name: refunds.name })
    const second = screen.getByRole('row', { name: silent.name })

    const rows = within(screen.getByRole('table', { name: 'Rules' }))
      .getAllByRole('row')
      .slice(1)
    expect(rows.map((row) => row.getAttribute('aria-label'))).toEqual([refunds.name, silent.name])
    expect(within(first).getByText('A customer message arrives')).toBeInTheDocument()
    expect(within(first).getByText('All teams')).toBeInTheDocument()
    expect(within(first).getByText('Words: “refund”, “退款” · VIP customer')).toBeInTheDocument()
    expect(within(first).getByText('Set priority to Urgent')).toBeInTheDocument()
    expect(within(first).getByText('Notify the team’s leads')).toBeInTheDocument()
    expect(within(second).getByText('We replied and the customer has not answered for 2 days')).toBeInTheDocument()
    expect(await within(second).findByText('Support')).toBeInTheDocument()
    expect(within(second).getByText('Channels: WhatsApp · Languages: es')).toBeInTheDocument()
    expect(within(second).getByText('Add a private note: “No answer in two days.”')).toBeInTheDocument()
    expect(within(second).getByText('Disabled')).toBeInTheDocument()
  })

  it('sends keywords in any script, as written, with the other conditions and actions', async () => {
    api.on('POST', '/api/rules', ({ body }) => [200, { ...refunds, ...(body as object), id: '8e3a4b5c-6d7e-4f80-9a1b-2c3d4e5f0003', position: 3 }])
    const { user, form } = await openAddForm()

    await user.type(within(form).getByLabelText('Name'), 'Refunds in any language')
    await user.selectOptions(within(form).getByLabelText('Team'), 'Billing')
    await user.click(within(form).getByLabelText('Words or phrases'))
    await user.paste('退款\nвозврат\n  Money back  \n\nاسترداد\n退款')
    await user.click(within(form).getByRole('checkbox', { name: 'The customer is tagged VIP' }))
    await user.click(within(form).getByRole('checkbox', { name: 'Direct messages' }))
    await user.click(within(form).getByRole('checkbox', { name: 'WhatsApp' }))
    await user.click(within(form).getByRole('checkbox', { name: 'Telegram' }))
    await user.type(within(form).getByLabelText('Languages'), 'ZH, ru,uk')
    await user.type(within(form).getByLabelText('At least this many followers'), '1000')
    const first = within(form).getByRole('group', { name: 'Action 1' })
    await user.selectOptions(within(first).getByLabelText('Priority'), 'Urgent')
    await user.click(within(form).getByRole('button', { name: 'Add an action' }))
    const second = within(form).getByRole('group', { name: 'Action 2' })
    await user.selectOptions(within(second).getByLabelText('Action'), 'Notify')
    await user.selectOptions(within(second).getByLabelText('Who'), 'The team’s leads')
    await user.click(within(form).getByRole('button', { name: 'Add rule' }))

    expect(await screen.findByRole('row', { name: 'Refunds in any language' })).toBeInTheDocument()
    const [request] = api.requests('POST', '/api/rules')
    expect(request?.body).toEqual({
      teamId: billing.id,
      name: 'Refunds in any language',
      enabled: true,
      trigger: 'message.received',
      afterMinutes: null,
      conditions: {
        keywords: ['退款', 'возврат', 'Money back', 'استرداد'],
        vip: true,
        conversationKinds: ['dm'],
        channelKinds: ['whatsapp', 'telegram'],
        languages: ['zh', 'ru', 'uk'],
        minFollowers: 1000,
      },
      actions: [
        { type: 'set_priority', priority: 'urgent' },
        { type: 'notify', who: 'leads' },
      ],
    })
    expect(request?.headers[csrfHeader]).toBe(csrfToken)
  })

  it('asks how long to wait only for a timed trigger, and takes it in hours', async () => {
    api.on('POST', '/api/rules', ({ body }) => [200, { ...silent, ...(body as object), id: '8e3a4b5c-6d7e-4f80-9a1b-2c3d4e5f0004', position: 3 }])
    const { user, form } = await openAddForm()

    expect(within(form).queryByLabelText('After')).not.toBeInTheDocument()
    await user.type(within(form).getByLabelText('Name'), 'Waiting too long')
    await user.selectOptions(within(form).getByLabelText('Trigger'), 'The customer has waited for a reply for…')
    await user.type(within(form).getByLabelText('After'), '1.5')
    await user.selectOptions(within(form).getByLabelText('Unit'), 'hours')
    expect(within(form).getByLabelText('After')).toHaveAccessibleDescription('90 min = 1 h 30 m')
    const action = within(form).getByRole('group', { name: 'Action 1' })
    await user.selectOptions(within(action).getByLabelText('Action'), 'Back to the team queue')
    await user.click(within(form).getByRole('button', { name: 'Add rule' }))

    const row = await screen.findByRole('row', { name: 'Waiting too long' })
    expect(api.requests('POST', '/api/rules')[0]?.body).toMatchObject({
      trigger: 'customer.waiting',
      afterMinutes: 90,
      teamId: null,
      actions: [{ type: 'unassign' }],
    })
    expect(within(row).getByText('The customer has waited for a reply for 1 hour 30 minutes')).toBeInTheDocument()
  })

  it('adds and removes actions', async () => {
    api.on('POST', '/api/rules', ({ body }) => [200, { ...refunds, ...(body as object), id: '8e3a4b5c-6d7e-4f80-9a1b-2c3d4e5f0005', position: 3 }])
    const { user, form } = await openAddForm()

    await user.type(within(form).getByLabelText('Name'), 'Tag and note')
    await user.click(within(form).getByRole('button', { name: 'Add an action' }))
    await user.selectOptions(within(within(form).getByRole('group', { name: 'Action 2' })).getByLabelText('Action'), 'Add tag')
    await user.type(within(within(form).getByRole('group', { name: 'Action 2' })).getByLabelText('Tag'), 'Refund Request')
    await user.click(within(form).getByRole('button', { name: 'Add an action' }))
    await user.selectOptions(within(within(form).getByRole('group', { name: 'Action 3' })).getByLabelText('Action'), 'Add a private note')
    await user.type(within(within(form).getByRole('group', { name: 'Action 3' })).getByLabelText('Note'), 'Check the order before answering.')
    await user.click(within(form).getByRole('button', { name: 'Remove action 1' }))
    await user.click(within(form).getByRole('button', { name: 'Add rule' }))

    await screen.findByRole('row', { name: 'Tag and note' })
    expect(api.requests('POST', '/api/rules')[0]?.body).toMatchObject({
      actions: [
        { type: 'add_tag', tag: 'refund-request' },
        { type: 'add_note', text: 'Check the order before answering.' },
      ],
    })
  })

  it('records a purchase with its value and currency as an action, and lists it in words', async () => {
    api.on('POST', '/api/rules', ({ body }) => [200, { ...refunds, ...(body as object), id: '8e3a4b5c-6d7e-4f80-9a1b-2c3d4e5f0006', position: 3 }])
    const { user, form } = await openAddForm()

    await user.type(within(form).getByLabelText('Name'), 'Paid orders')
    const action = within(form).getByRole('group', { name: 'Action 1' })
    await user.selectOptions(within(action).getByLabelText('Action'), 'Record an outcome')
    await user.selectOptions(within(action).getByLabelText('Outcome'), 'Purchase')
    await user.clear(within(action).getByLabelText('Value'))
    await user.type(within(action).getByLabelText('Value'), '49.9')
    await user.clear(within(action).getByLabelText('Currency'))
    await user.type(within(action).getByLabelText('Currency'), 'brl')
    await user.click(within(form).getByRole('button', { name: 'Add rule' }))

    const row = await screen.findByRole('row', { name: 'Paid orders' })
    expect(api.requests('POST', '/api/rules')[0]?.body).toMatchObject({
      actions: [{ type: 'record_outcome', outcome: { kind: 'purchase', value: 49.9, currency: 'BRL' } }],
    })
    expect(row).toHaveTextContent('Record a purchase of 49.90 BRL')
  })

  it('does not send a rule without actions', async () => {
    const { user, form } = await openAddForm()

    await user.type(within(form).getByLabelText('Name'), 'Nothing to do')
    await user.click(within(form).getByRole('button', { name: 'Remove action 1' }))
    await user.click(within(form).getByRole('button', { name: 'Add rule' }))

    expect(within(form).getByRole('alert')).toHaveTextContent('Add at least one action.')
    expect(api.requests('POST', '/api/rules')).toHaveLength(0)
  })

  it('shows the server’s message when it refuses the rule', async () => {
    api.on('POST', '/api/rules', [400, { error: { code: 'validation_failed', message: 'body/conditions/keywords/0 must NOT have more than 60 characters' } }])
    const { user, form } = await openAddForm()

    await user.type(within(form).getByLabelText('Name'), 'Too long')
    await user.click(within(form).getByRole('button', { name: 'Add rule' }))

    expect(await within(form).findByRole('alert')).toHaveTextContent('must NOT have more than 60 characters')
  })

  it('sends the trigger and no wait when a timed rule becomes an instant one', async () => {
    const user = userEvent.setup()
    api.on('PATCH', `/api/rules/${silent.id}`, ({ body }) => [200, { ...silent, ...(body as object) }])
    render(<RulesPanel />)
    const row = await screen.findByRole('row', { name: silent.name })

    await user.click(within(row).getByRole('button', { name: 'Edit' }))
    const form = screen.getByRole('form', { name: `Edit ${silent.name}` })
    expect(within(form).getByLabelText('After')).toHaveValue(48)
    expect(within(form).getByLabelText('Unit')).toHaveValue('hours')
    await user.selectOptions(within(form).getByLabelText('Trigger'), 'A snooze ends (the conversation reopens)')
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    await waitFor(() => expect(screen.queryByRole('form', { name: `Edit ${silent.name}` })).not.toBeInTheDocument())
    expect(api.requests('PATCH', `/api/rules/${silent.id}`)[0]?.body).toEqual({ trigger: 'snooze.ended', afterMinutes: null })
  })

  it('enables a rule', async () => {
    const user = userEvent.setup()
    api.on('PATCH', `/api/rules/${silent.id}`, [200, { ...silent, enabled: true }])
    render(<RulesPanel />)
    const row = await screen.findByRole('row', { name: silent.name })

    await user.click(within(row).getByRole('button', { name: 'Enable' }))

    expect(await within(row).findByText('Enabled')).toBeInTheDocument()
    expect(api.requests('PATCH', `/api/rules/${silent.id}`)[0]?.body).toEqual({ enabled: true })
  })

  it('deletes a rule only once confirmed', async () => {
    const user = userEvent.setup()
    api.on('DELETE', `/api/rules/${refunds.id}`, [200, { ok: true }])
    render(<RulesPanel />)
    const row = await screen.findByRole('row', { name: refunds.name })

    await user.click(within(row).getByRole('button', { name: 'Delete' }))
    expect(api.requests('DELETE', `/api/rules/${refunds.id}`)).toHaveLength(0)
    await user.click(within(row).getByRole('button', { name: 'Yes, delete' }))

    await waitFor(() => expect(screen.queryByRole('row', { name: refunds.name })).not.toBeInTheDocument())
    expect(api.requests('DELETE', `/api/rules/${refunds.id}`)).toHaveLength(1)
  })

  it('shows markup in a rule as text', async () => {
    const hostile = '<img src=x onerror="window.__pwned = 1">'
    api.on('GET', '/api/rules', [
      200,
      { items: [{ ...refunds, name: '<b>bold</b>', conditions: { keywords: [hostile] }, actions: [{ type: 'add_note', text: hostile }] }] },
    ])
    const { container } = render(<RulesPanel />)

    const row = await screen.findByRole('row', { name: '<b>bold</b>' })

    expect(within(row).getByText('<b>bold</b>')).toBeInTheDocument()
    expect(within(row).getByText(`Add a private note: “${hostile}”`)).toBeInTheDocument()
    expect(container.querySelector('img, b')).toBeNull()
  })
})
