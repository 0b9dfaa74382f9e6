import type { ContactCrm, CustomerPanel } from '@carebox/shared'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, customerOf } from './conversation-fixtures'
import { fakeApi, sessionOf } from './fake-api'

const customer = customerOf()
const crmUrl = `/api/contacts/${customer.id}/crm`
const keysUrl = `/api/contacts/${customer.id}/keys`
const onWhatsApp = { id: '9d8c7b6a-0000-4000-8000-00000000a003', name: 'Rosa <i>D</i>', handle: null }

function crmOf(overrides: Partial<ContactCrm> = {}): ContactCrm {
  return {
    contactId: customer.id,
    email: 'rosa@example.com',
    phone: '+442079460958',
    company: 'Acme <Ltd>',
    tier: 'Gold',
    owner: 'Priya',
    lifetimeValue: 1234.5,
    currency: 'EUR',
    externalIds: [{ system: 'hubspot', externalId: 'hs-77', url: 'https://crm.example.com/contacts/hs-77' }],
    crmUpdatedAt: '2026-03-01T09:00:00.000Z',
    suggestions: [],
    ...overrides,
  }
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('agent'))
})

async function renderPanel(crm: ContactCrm) {
  api.on('GET', crmUrl, [200, crm])
  arrangeOpenConversation(api, { customer })
  render(<ConversationPane />)
  const aside = await screen.findByRole('complementary', { name: 'Customer' })
  const details = await within(aside).findByRole('region', { name: 'Contact details' })
  return { user: userEvent.setup(), aside, details }
}

describe('CustomerCrm', () => {
  it('shows the CRM fields, the lifetime value as money, and a safe link back to the record', async () => {
    const { details } = await renderPanel(crmOf())

    expect(details).toHaveTextContent('rosa@example.com')
    expect(details).toHaveTextContent('+442079460958')
    expect(within(details).getByText('Acme <Ltd>')).toBeInTheDocument()
    expect(details).toHaveTextContent('Gold')
    expect(details).toHaveTextContent('Priya')
    expect(details).toHaveTextContent(new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }).format(1234.5))
    const link = within(details).getByRole('link', { name: 'Open in hubspot' })
    expect(link).toHaveAttribute('href', 'https://crm.example.com/contacts/hs-77')
    expect(link).toHaveAttribute('target', '_blank')
    expect(link).toHaveAttribute('rel', 'noopener noreferrer')
  })

  it('shows a record without a link when its URL is not http or https', async () => {
    const { details } = await renderPanel(crmOf({ externalIds: [{ system: 'legacy', externalId: 'L-1', url: 'javascript:alert(1)' }] }))

    expect(within(details).getByRole('list', { name: 'Records in other systems' })).toHaveTextContent('L-1')
    expect(within(details).queryByRole('link')).not.toBeInTheDocument()
  })

  it('says what is not known, and leaves out CRM fields never pushed', async () => {
    const { details } = await renderPanel(
      crmOf({ email: null, phone: null, company: null, tier: null, owner: null, lifetimeValue: null, currency: null, externalIds: [] }),
    )

    expect(within(details).getAllByText('Not known')).toHaveLength(2)
    expect(details).not.toHaveTextContent('Company')
    expect(details).not.toHaveTextContent('Lifetime value')
  })

  it("edits the customer's email and phone, and says why the server refused one", async () => {
    api.on('PATCH', keysUrl, [400, { error: { code: 'validation_failed', message: '"020" is not a valid phone number.' } }])
    const { user, details } = await renderPanel(crmOf({ email: null, phone: null }))

    await user.click(within(details).getByRole('button', { name: 'Edit email or phone' }))
    const form = within(details).getByRole('form', { name: 'Email and phone' })
    await user.type(within(form).getByLabelText('Email'), 'Rosa@Example.com')
    await user.type(within(form).getByLabelText('Phone'), '020')
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(await within(form).findByRole('alert')).toHaveTextContent('Not saved: "020" is not a valid phone number.')
    api.on('PATCH', keysUrl, [200, crmOf({ email: 'rosa@example.com', phone: '+442079460958' })])
    await user.clear(within(form).getByLabelText('Phone'))
    await user.type(within(form).getByLabelText('Phone'), '+44 20 7946 0958')
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    await waitFor(() => expect(within(details).queryByRole('form')).not.toBeInTheDocument())
    expect(details).toHaveTextContent('+442079460958')
    expect(api.requests('PATCH', keysUrl).map((r) => r.body)).toEqual([
      { email: 'Rosa@Example.com', phone: '020' },
      { email: 'Rosa@Example.com', phone: '+44 20 7946 0958' },
    ])
  })
})

describe('MergeSuggestions', () => {
  it('suggests the same person on another channel and merges them after confirming', async () => {
    const suggestion = { ...onWhatsApp, channels: [{ kind: 'whatsapp' as const, name: 'Acme on WhatsApp' }], sameEmail: true, samePhone: false }
    const merged: CustomerPanel = {
      ...customer,
      merges: [{ id: crypto.randomUUID(), merged: { id: onWhatsApp.id, name: onWhatsApp.name, handle: null }, mergedAt: new Date().toISOString() }],
    }
    api.on('POST', `/api/contacts/${customer.id}/merge`, [200, merged])
    const { user, aside, details } = await renderPanel(crmOf({ suggestions: [suggestion] }))

    const suggestions = within(details).getByRole('list', { name: 'Possibly the same person' })
    expect(suggestions).toHaveTextContent('Possibly the same person: Rosa <i>D</i> (WhatsApp)same email')
    // What the server answers once merged: no suggestion left, and the conversation's customer with the merge.
    api.on('GET', crmUrl, [200, crmOf({ suggestions: [] })])
    api.on('GET', `/api/conversations/${conversationOf().id}`, [200, { conversation: conversationOf(), customer: merged, draft: null, sla: [] }])
    await user.click(within(suggestions).getByRole('button', { name: 'Merge Rosa <i>D</i>' }))
    const confirm = within(details).getByRole('group', { name: 'Confirm the merge' })
    expect(confirm).toHaveTextContent('Merge Rosa <i>D</i> into Rosa Diaz?')
    await user.click(within(confirm).getByRole('button', { name: 'Merge' }))

    await waitFor(() => expect(within(details).queryByRole('list', { name: 'Possibly the same person' })).not.toBeInTheDocument())
    expect(api.requests('POST', `/api/contacts/${customer.id}/merge`).map((r) => r.body)).toEqual([{ otherContactId: onWhatsApp.id }])
    expect(await within(aside).findByRole('list', { name: 'Merged customers' })).toHaveTextContent('Rosa <i>D</i>')
  })

  it('names a customer known only from the CRM, and a shared phone', async () => {
    const { details } = await renderPanel(crmOf({ suggestions: [{ ...onWhatsApp, channels: [], sameEmail: false, samePhone: true }] }))

    expect(within(details).getByRole('list', { name: 'Possibly the same person' })).toHaveTextContent('(from the CRM)same phone')
  })
})
