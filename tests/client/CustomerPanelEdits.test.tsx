import type { CustomerPanel } from '@carebox/shared'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, customerOf, listUrl } from './conversation-fixtures'
import { fakeApi, sessionOf, userOf } from './fake-api'

const conversation = conversationOf()
const listed = (({ id, channel, kind, status, messageCount, lastMessageAt, lastMessagePreview }) => ({
  id,
  channel,
  kind,
  status,
  messageCount,
  lastMessageAt,
  lastMessagePreview,
}))(conversation)
const customer = customerOf({ tags: ['vip'], attributes: { plan: 'Gold' }, conversations: [listed] })
const contactUrl = `/api/contacts/${customer.id}`
const sam = { id: '9d8c7b6a-0000-4000-8000-00000000a002', name: 'Sam <b>Diaz</b>', handle: 'sam.d', channels: ['Acme on Instagram', 'Acme on WhatsApp'] }
const maya = { id: userOf('agent').id, name: userOf('agent').name }

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('agent'))
})

/** Answers a change to the customer with the panel as the server would, after applying `change`. */
function answerWith(change: (body: Record<string, unknown>) => Partial<CustomerPanel>) {
  return ({ body }: { body: unknown }) => [200, { ...customer, ...change(body as Record<string, unknown>) }] as [number, unknown]
}

async function renderPanel(panel = customer) {
  const user = userEvent.setup()
  arrangeOpenConversation(api, { conversation, customer: panel })
  render(<ConversationPane />)
  const aside = await screen.findByRole('complementary', { name: 'Customer' })
  await within(aside).findByRole('heading', { name: 'Rosa Diaz' })
  return { user, panel: aside }
}

describe('CustomerSidebar tags', () => {
  it('adds and removes customer tags through the contact update route', async () => {
    api.on(
      'PATCH',
      contactUrl,
      answerWith((body) => body as Partial<CustomerPanel>),
    )
    const { user, panel } = await renderPanel()
    const tags = within(panel).getByRole('group', { name: 'Customer tags' })

    await user.type(within(tags).getByRole('textbox', { name: 'Add a customer tag' }), 'Repeat Buyer,')
    expect(await within(tags).findByText('repeat-buyer')).toBeInTheDocument()
    await user.click(within(tags).getByRole('button', { name: 'Remove tag vip' }))

    await waitFor(() => expect(within(tags).queryByText('vip')).not.toBeInTheDocument())
    expect(api.requests('PATCH', contactUrl).map((r) => r.body)).toEqual([{ tags: ['vip', 'repeat-buyer'] }, { tags: ['repeat-buyer'] }])
  })

  it('says why a change was refused', async () => {
    api.on('PATCH', contactUrl, [400, { error: { code: 'validation_failed', message: 'Too many tags' } }])
    const { user, panel } = await renderPanel()

    await user.type(within(panel).getByRole('textbox', { name: 'Add a customer tag' }), 'one-more{Enter}')

    expect(await within(panel).findByRole('alert')).toHaveTextContent('Tags not saved: Too many tags')
  })
})

describe('CustomerSidebar attributes', () => {
  it('adds, edits and removes attributes, sending the whole set each time', async () => {
    api.on(
      'PATCH',
      contactUrl,
      answerWith((body) => body as Partial<CustomerPanel>),
    )
    const { user, panel } = await renderPanel()

    await user.type(within(panel).getByRole('textbox', { name: 'Attribute name' }), 'Order')
    await user.type(within(panel).getByRole('textbox', { name: 'Attribute value' }), 'A-1042{Enter}')
    const list = within(panel).getByRole('list', { name: 'Attributes' })
    expect(await within(list).findByText('A-1042')).toBeInTheDocument()
    await user.click(within(list).getByRole('button', { name: 'Edit plan' }))
    const value = within(list).getByRole('textbox', { name: 'Value of plan' })
    await user.clear(value)
    await user.type(value, 'Platinum{Enter}')
    expect(await within(list).findByText('Platinum')).toBeInTheDocument()
    await user.click(within(list).getByRole('button', { name: 'Remove Order' }))

    await waitFor(() => expect(within(list).queryByText('A-1042')).not.toBeInTheDocument())
    expect(api.requests('PATCH', contactUrl).map((r) => r.body)).toEqual([
      { attributes: { plan: 'Gold', Order: 'A-1042' } },
      { attributes: { Order: 'A-1042', plan: 'Platinum' } },
      { attributes: { plan: 'Platinum' } },
    ])
  })

  it('refuses a name the server would refuse, or one already set, without a request', async () => {
    const { user, panel } = await renderPanel()

    await user.type(within(panel).getByRole('textbox', { name: 'Attribute name' }), '1st order')
    await user.type(within(panel).getByRole('textbox', { name: 'Attribute value' }), 'x{Enter}')
    expect(await within(panel).findByRole('alert')).toHaveTextContent('A name starts with a letter')
    await user.clear(within(panel).getByRole('textbox', { name: 'Attribute name' }))
    await user.type(within(panel).getByRole('textbox', { name: 'Attribute name' }), 'plan{Enter}')

    expect(within(panel).getByRole('alert')).toHaveTextContent('plan is set already: edit it instead.')
    expect(api.requests('PATCH', contactUrl)).toHaveLength(0)
  })
})

describe('CustomerSidebar notes', () => {
  it('adds a note about the customer and lists it as text', async () => {
    const note = '<script>alert(1)</script> prefers WhatsApp'
    api.on('POST', `${contactUrl}/notes`, [
      200,
      { ...customer, notes: [{ id: crypto.randomUUID(), text: note, author: maya, createdAt: new Date().toISOString() }] },
    ])
    const { user, panel } = await renderPanel()

    await user.type(within(panel).getByRole('textbox', { name: 'Note about the customer' }), note)
    await user.click(within(panel).getByRole('button', { name: 'Save note' }))

    const notes = await within(panel).findByRole('list', { name: 'Notes about the customer' })
    expect(within(notes).getByText(note)).toBeInTheDocument()
    expect(notes).toHaveTextContent('Maya Agent')
    expect(panel.querySelector('script')).toBeNull()
    expect(within(panel).getByRole('textbox', { name: 'Note about the customer' })).toHaveValue('')
    expect(api.requests('POST', `${contactUrl}/notes`).map((r) => r.body)).toEqual([{ text: note }])
  })
})

describe('CustomerSidebar merges', () => {
  const merged = customerOf({
    ...customer,
    merges: [{ id: crypto.randomUUID(), merged: { id: sam.id, name: sam.name, handle: sam.handle }, mergedAt: new Date().toISOString() }],
  })

  it('finds another customer, merges them after confirming, and refetches the list', async () => {
    api.on('GET', `/api/contacts?q=sam`, [200, { items: [sam, { id: customer.id, name: 'Rosa Diaz', handle: 'rosa.d', channels: [] }] }])
    api.on('POST', `${contactUrl}/merge`, [200, merged])
    api.on('GET', listUrl(), [200, { items: [conversation], nextCursor: null }])
    const { user, panel } = await renderPanel()

    await user.click(within(panel).getByRole('button', { name: 'Merge with another customer…' }))
    await user.type(within(panel).getByRole('searchbox', { name: 'Find a customer' }), 'sam')
    const matches = await within(panel).findByRole('list', { name: 'Matching customers' })
    expect(within(matches).getAllByRole('listitem')).toHaveLength(1)
    expect(matches).toHaveTextContent('Sam <b>Diaz</b>')
    expect(matches).toHaveTextContent('Acme on Instagram, Acme on WhatsApp')
    await user.click(within(matches).getByRole('button', { name: 'Merge Sam <b>Diaz</b>' }))
    const confirm = within(panel).getByRole('group', { name: 'Confirm the merge' })
    expect(confirm).toHaveTextContent('Merge Sam <b>Diaz</b> into Rosa Diaz?')
    await user.click(within(confirm).getByRole('button', { name: 'Merge' }))

    const merges = await within(panel).findByRole('list', { name: 'Merged customers' })
    expect(merges).toHaveTextContent('Sam <b>Diaz</b>')
    expect(api.requests('POST', `${contactUrl}/merge`).map((r) => r.body)).toEqual([{ otherContactId: sam.id }])
    // Refetched: loading the moved conversation, when the list does not show it, may ask for the list once more.
    await waitFor(() => expect(api.requests('GET', listUrl()).length).toBeGreaterThanOrEqual(1))
    expect(within(panel).queryByRole('searchbox')).not.toBeInTheDocument()
  })

  it('does not search before two characters', async () => {
    const { user, panel } = await renderPanel()

    await user.click(within(panel).getByRole('button', { name: 'Merge with another customer…' }))
    await user.type(within(panel).getByRole('searchbox', { name: 'Find a customer' }), 's')

    expect(within(panel).getByText(/Type at least 2 characters/)).toBeInTheDocument()
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(api.fetchMock.mock.calls.filter(([url]) => String(url).startsWith('/api/contacts?'))).toHaveLength(0)
  })

  it('undoes a merge and refetches the list', async () => {
    const mergeId = merged.merges[0]!.id
    api.on('POST', `${contactUrl}/merges/${mergeId}/undo`, [200, customer])
    api.on('GET', listUrl(), [200, { items: [conversation], nextCursor: null }])
    const { user, panel } = await renderPanel(merged)

    await user.click(within(panel).getByRole('button', { name: 'Undo merge with Sam <b>Diaz</b>' }))

    await waitFor(() => expect(within(panel).queryByRole('list', { name: 'Merged customers' })).not.toBeInTheDocument())
    expect(api.requests('POST', `${contactUrl}/merges/${mergeId}/undo`)).toHaveLength(1)
    // Refetched: loading the moved conversation, when the list does not show it, may ask for the list once more.
    await waitFor(() => expect(api.requests('GET', listUrl()).length).toBeGreaterThanOrEqual(1))
  })

  it('reloads the conversation when the undo took it to the other customer', async () => {
    const mergeId = merged.merges[0]!.id
    const samPanel = customerOf({ id: sam.id, name: 'Sam Diaz', conversations: [listed] })
    api.on('POST', `${contactUrl}/merges/${mergeId}/undo`, [200, { ...customer, conversations: [] }])
    api.on('GET', listUrl(), [200, { items: [], nextCursor: null }])
    const { user, panel } = await renderPanel(merged)
    api.on('GET', `/api/conversations/${conversation.id}`, [200, { conversation, customer: samPanel, draft: null }])

    await user.click(within(panel).getByRole('button', { name: 'Undo merge with Sam <b>Diaz</b>' }))

    expect(await within(panel).findByRole('heading', { name: 'Sam Diaz' })).toBeInTheDocument()
  })
})
