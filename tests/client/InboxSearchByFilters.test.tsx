import type { ConversationSummary } from '@carebox/shared'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { InboxPage } from '../../client/src/features/inbox/InboxPage'
import { useStore } from '../../client/src/store/store'
import { conversationOf, hoursAgo, listUrl, otherConversationId, searchUrl } from './conversation-fixtures'
import { fakeApi, sessionOf, support, userOf } from './fake-api'

const rosa = conversationOf()
const tom = conversationOf({
  id: otherConversationId,
  contact: { id: crypto.randomUUID(), name: 'Tom Baker', handle: null },
  lastMessageAt: hoursAgo(2),
  status: 'resolved',
})
const page = (...items: ConversationSummary[]) => [200, { items, nextCursor: null }] as [number, unknown]
const lee = userOf('lead')

let api: ReturnType<typeof fakeApi>

/** The list requests the inbox made since `since` (an index into all of them). */
function listCalls(since = 0): string[] {
  return api.fetchMock.mock.calls
    .map(([url]) => String(url))
    .filter((url) => url.startsWith('/api/conversations?'))
    .slice(since)
}

async function renderInbox() {
  render(<InboxPage />)
  await within(await screen.findByRole('list', { name: 'Conversations' })).findByText('Rosa Diaz')
}

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/channels', [200, []])
  api.on('GET', '/api/teams', [200, { items: [support] }])
  api.on('GET', `/api/teams/${support.id}/members`, [200, { items: [{ id: lee.id, name: 'Lee Lead', role: 'lead' }] }])
  api.on('GET', listUrl(), page(rosa))
  useStore.getState().startSession(sessionOf('lead'))
})

describe('search by filters', () => {
  it('searches every conversation by status, agent and days with no words, and says which filters are on', async () => {
    const user = userEvent.setup()
    const from = new Date(2026, 1, 20).toISOString()
    const to = new Date(2026, 1, 28).toISOString()
    const filtered = searchUrl({ status: 'resolved', assigneeId: lee.id, from, to })
    api.on('GET', searchUrl({}), page(rosa, tom))
    api.on('GET', filtered, page(tom))
    await renderInbox()
    const before = listCalls().length

    const button = screen.getByRole('button', { name: 'Search by filters' })
    await user.click(button)

    expect(button).toHaveAttribute('aria-pressed', 'true')
    const line = await screen.findByRole('status', { name: 'Active filters' })
    expect(line).toHaveTextContent('Searching all conversations you can see · no filters chosen yet')
    expect(screen.getByRole('button', { name: /^All open/ })).not.toHaveAttribute('aria-current')
    await waitFor(() => expect(api.requests('GET', searchUrl({}))).toHaveLength(1))
    expect(await screen.findByText('Tom Baker')).toBeInTheDocument()

    const filters = screen.getByRole('group', { name: 'Search filters' })
    await user.selectOptions(within(filters).getByRole('combobox', { name: 'Status' }), 'Resolved')
    await user.selectOptions(within(filters).getByRole('combobox', { name: 'Agent' }), 'Lee Lead')
    await user.type(within(filters).getByLabelText('Active from'), '2026-02-20')
    await user.type(within(filters).getByLabelText('to'), '2026-02-27')

    await waitFor(() => expect(api.requests('GET', filtered)).toHaveLength(1))
    expect(line).toHaveTextContent(
      'Searching all conversations you can see · Status: Resolved · Agent: Lee Lead · Active from 2026-02-20 · Active until 2026-02-27',
    )
    await waitFor(() => expect(screen.queryByText('Rosa Diaz')).not.toBeInTheDocument())
    expect(screen.getByText('Tom Baker')).toBeInTheDocument()
    // A search by filters names no view and sends no words, whatever the box waits for.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const searches = listCalls(before)
    expect(searches.length).toBeGreaterThan(0)
    expect(searches.filter((url) => url.includes('view=') || url.includes('q='))).toEqual([])
  })

  it('leaves the search with Clear, back to the view', async () => {
    const user = userEvent.setup()
    api.on('GET', searchUrl({}), page(tom))
    api.on('GET', searchUrl({ status: 'resolved' }), page(tom))
    await renderInbox()
    await user.click(screen.getByRole('button', { name: 'Search by filters' }))
    await user.selectOptions(within(screen.getByRole('group', { name: 'Search filters' })).getByRole('combobox', { name: 'Status' }), 'Resolved')
    await waitFor(() => expect(api.requests('GET', searchUrl({ status: 'resolved' }))).toHaveLength(1))
    const before = listCalls().length

    await user.click(within(screen.getByRole('status', { name: 'Active filters' })).getByRole('button', { name: 'Clear search and filters' }))

    expect(screen.getByRole('button', { name: 'Search by filters' })).toHaveAttribute('aria-pressed', 'false')
    expect(screen.queryByRole('group', { name: 'Search filters' })).not.toBeInTheDocument()
    expect(screen.queryByRole('status', { name: 'Active filters' })).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: /^All open/ })).toHaveAttribute('aria-current', 'true')
    expect(await screen.findByText('Rosa Diaz')).toBeInTheDocument()
    // The empty box does not start the search again once its pause has passed.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(listCalls(before)).toEqual([listUrl()])
  })

  it('turns on and off from the keyboard, and leaves the search when pressed again', async () => {
    const user = userEvent.setup()
    api.on('GET', searchUrl({}), page(tom))
    await renderInbox()

    await user.click(screen.getByRole('searchbox', { name: 'Search' }))
    await user.tab()
    expect(screen.getByRole('button', { name: 'Search by filters' })).toHaveFocus()
    await user.keyboard('{Enter}')

    expect(screen.getByRole('group', { name: 'Search filters' })).toBeInTheDocument()
    await waitFor(() => expect(api.requests('GET', searchUrl({}))).toHaveLength(1))

    await user.keyboard(' ')

    expect(screen.getByRole('button', { name: 'Search by filters' })).toHaveAttribute('aria-pressed', 'false')
    expect(screen.queryByRole('group', { name: 'Search filters' })).not.toBeInTheDocument()
    await waitFor(() => expect(api.requests('GET', listUrl())).toHaveLength(2))
  })

  it('goes on searching by its filters when the words are deleted', async () => {
    const user = userEvent.setup()
    api.on('GET', searchUrl({ q: 'refund' }), page(rosa, tom))
    api.on('GET', searchUrl({ q: 'refund', status: 'resolved' }), page(tom))
    api.on('GET', searchUrl({ status: 'resolved' }), page(tom))
    await renderInbox()
    const box = screen.getByRole('searchbox', { name: 'Search' })
    await user.type(box, 'refund{Enter}')
    await user.selectOptions(within(screen.getByRole('group', { name: 'Search filters' })).getByRole('combobox', { name: 'Status' }), 'Resolved')

    await user.clear(box)
    await user.keyboard('{Enter}')

    await waitFor(() => expect(api.requests('GET', searchUrl({ status: 'resolved' }))).toHaveLength(1))
    expect(screen.getByRole('status', { name: 'Active filters' })).toHaveTextContent('Searching all conversations you can see · Status: Resolved')
    expect(screen.getByRole('group', { name: 'Search filters' })).toBeInTheDocument()
  })
})
