import type { ConversationSummary } from '@carebox/shared'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { InboxPage } from '../../client/src/features/inbox/InboxPage'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, hoursAgo, listUrl, messageOf, otherConversationId, searchUrl } from './conversation-fixtures'
import { fakeApi, sessionOf, support, userOf } from './fake-api'

const rosa = conversationOf()
const tom = conversationOf({ id: otherConversationId, contact: { id: crypto.randomUUID(), name: 'Tom Baker', handle: null }, lastMessageAt: hoursAgo(2) })
const mineUrl = listUrl({ view: 'mine' })
const page = (...items: ConversationSummary[]) => [200, { items, nextCursor: null }] as [number, unknown]

let api: ReturnType<typeof fakeApi>

/** The server's side of replying and resolving: a reply comes back queued, a status change returns the new summary. */
function arrangeActions(...conversations: ConversationSummary[]) {
  for (const c of conversations) {
    api.on('POST', `/api/conversations/${c.id}/replies`, ({ body }) => [
      200,
      messageOf({ conversationId: c.id, text: (body as { text: string }).text, direction: 'outbound', authorKind: 'agent', status: 'queued' }),
    ])
    api.on('POST', `/api/conversations/${c.id}/status`, ({ body }) => [200, { ...c, status: (body as { status: string }).status }])
  }
}

/** The order the console asked for things, as "METHOD path". */
function sent(): string[] {
  return api.fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST').map(([url, init]) => `${init?.method} ${String(url)}`)
}

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/channels', [200, []])
  api.on('GET', '/api/teams', [200, { items: [support] }])
  api.on('GET', `/api/teams/${support.id}/members`, [200, { items: [{ id: userOf('lead').id, name: 'Lee Lead', role: 'lead' }] }])
  useStore.getState().startSession(sessionOf('agent'))
})

describe('landing in the inbox', () => {
  it('opens an agent’s inbox on Mine', async () => {
    api.on('GET', mineUrl, page(rosa))

    render(<InboxPage />)

    await within(await screen.findByRole('list', { name: 'Conversations' })).findByText('Rosa Diaz')
    expect(screen.getByRole('button', { name: /^Mine/ })).toHaveAttribute('aria-current', 'true')
    expect(api.requests('GET', listUrl())).toHaveLength(0)
  })

  it('keeps a lead’s inbox on All open, and a view chosen later stays chosen', async () => {
    useStore.getState().startSession(sessionOf('lead'))
    api.on('GET', listUrl(), page(rosa))

    const { unmount } = render(<InboxPage />)
    await screen.findByText('Rosa Diaz')
    unmount()
    useStore.getState().setListFilters({ view: 'resolved' })
    render(<InboxPage />)

    expect(screen.getByRole('button', { name: /^Resolved/ })).toHaveAttribute('aria-current', 'true')
    expect(api.requests('GET', mineUrl)).toHaveLength(0)
  })
})

describe('send and resolve', () => {
  it('sends the reply, then resolves once it is queued, and opens the next conversation', async () => {
    const user = userEvent.setup()
    api.on('GET', mineUrl, page(rosa, tom))
    arrangeActions(rosa, tom)
    arrangeOpenConversation(api, { conversation: tom })
    arrangeOpenConversation(api, { conversation: rosa })
    render(<InboxPage />)

    await user.type(await screen.findByRole('textbox', { name: 'Reply' }), 'It ships today.')
    await user.click(screen.getByRole('button', { name: 'Send and resolve' }))

    expect(await screen.findByRole('heading', { name: 'Tom Baker' })).toBeInTheDocument()
    expect(useStore.getState().path).toBe(`/inbox/${tom.id}`)
    const actions = sent().filter((s) => !s.endsWith('/read'))
    expect(actions).toEqual([`POST /api/conversations/${rosa.id}/replies`, `POST /api/conversations/${rosa.id}/status`])
    expect(api.requests('POST', `/api/conversations/${rosa.id}/status`).map((r) => r.body)).toEqual([{ status: 'resolved' }])
  })

  it('does it with Ctrl+Shift+Enter, and says the view is done when nothing is left', async () => {
    const user = userEvent.setup()
    api.on('GET', mineUrl, page(rosa))
    arrangeActions(rosa)
    arrangeOpenConversation(api, { conversation: rosa })
    render(<InboxPage />)

    await user.type(await screen.findByRole('textbox', { name: 'Reply' }), 'All sorted.{Control>}{Shift>}{Enter}{/Shift}{/Control}')

    expect(await screen.findByRole('heading', { name: 'Nothing left in this view' })).toBeInTheDocument()
    expect(useStore.getState().path).toBe('/inbox')
    expect(api.requests('POST', `/api/conversations/${rosa.id}/replies`).map((r) => (r.body as { text: string }).text)).toEqual(['All sorted.'])
  })

  it('leaves the conversation open when the reply is refused', async () => {
    const user = userEvent.setup()
    api.on('GET', mineUrl, page(rosa, tom))
    arrangeActions(rosa)
    api.on('POST', `/api/conversations/${rosa.id}/replies`, [422, { error: { code: 'validation_failed', message: 'The platform refuses empty text' } }])
    arrangeOpenConversation(api, { conversation: rosa })
    render(<InboxPage />)

    await user.type(await screen.findByRole('textbox', { name: 'Reply' }), 'Hello')
    await user.click(screen.getByRole('button', { name: 'Send and resolve' }))

    expect(await screen.findByText(/Not sent: The platform refuses empty text/)).toBeInTheDocument()
    expect(api.requests('POST', `/api/conversations/${rosa.id}/status`)).toHaveLength(0)
    expect(useStore.getState().path).toBe(`/inbox/${rosa.id}`)
  })

  it('is not offered for a note', async () => {
    const user = userEvent.setup()
    api.on('GET', mineUrl, page(rosa))
    arrangeOpenConversation(api, { conversation: rosa })
    render(<InboxPage />)

    await screen.findByRole('button', { name: 'Send and resolve' })
    await user.click(screen.getByRole('tab', { name: 'Note' }))

    expect(screen.queryByRole('button', { name: 'Send and resolve' })).not.toBeInTheDocument()
  })
})

describe('resolve and open next', () => {
  it('opens the next conversation of the view after Resolve', async () => {
    const user = userEvent.setup()
    api.on('GET', mineUrl, page(rosa, tom))
    arrangeActions(rosa, tom)
    arrangeOpenConversation(api, { conversation: rosa })
    arrangeOpenConversation(api, { conversation: tom })
    render(<InboxPage />)

    const actions = await screen.findByRole('group', { name: 'Conversation actions' })
    await user.click(within(actions).getByRole('button', { name: 'Resolve' }))

    // Tom was the last row: the one above it opens.
    await waitFor(() => expect(useStore.getState().path).toBe(`/inbox/${rosa.id}`))
    expect(await screen.findByRole('region', { name: 'Conversation with Rosa Diaz' })).toBeInTheDocument()
    expect(api.requests('POST', `/api/conversations/${tom.id}/status`).map((r) => r.body)).toEqual([{ status: 'resolved' }])
  })
})

describe('search', () => {
  it('searches everything, says which filters are on, and clears them', async () => {
    const user = userEvent.setup()
    const resolved = { ...tom, status: 'resolved' as const }
    api.on('GET', mineUrl, page(rosa))
    api.on('GET', searchUrl({ q: 'refund' }), page(rosa, resolved))
    api.on('GET', searchUrl({ q: 'refund', status: 'resolved' }), page(resolved))
    const from = new Date(2026, 1, 20).toISOString()
    api.on('GET', searchUrl({ q: 'refund', status: 'resolved', from }), page(resolved))
    const agentFilter = searchUrl({ q: 'refund', status: 'resolved', assigneeId: userOf('lead').id, from })
    api.on('GET', agentFilter, page())
    render(<InboxPage />)
    await screen.findByText('Rosa Diaz')

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'refund{Enter}')
    const line = await screen.findByRole('status', { name: 'Active filters' })
    expect(line).toHaveTextContent('Searching all conversations you can see for “refund”')
    expect(await screen.findByText('Tom Baker')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: /^Mine/ })).not.toHaveAttribute('aria-current')

    const filters = screen.getByRole('group', { name: 'Search filters' })
    await user.selectOptions(within(filters).getByRole('combobox', { name: 'Status' }), 'Resolved')
    await user.type(within(filters).getByLabelText('Active from'), '2026-02-20')
    await user.selectOptions(within(filters).getByRole('combobox', { name: 'Agent' }), 'Lee Lead')

    await waitFor(() => expect(api.requests('GET', agentFilter)).toHaveLength(1))
    expect(line).toHaveTextContent('Status: Resolved · Agent: Lee Lead · Active from 2026-02-20')
    expect(await screen.findByText('No conversations match these filters.')).toBeInTheDocument()

    const listCalls = () => api.fetchMock.mock.calls.map(([url]) => String(url)).filter((url) => url.startsWith('/api/conversations?'))
    const before = listCalls().length
    await user.click(within(line).getByRole('button', { name: 'Clear search and filters' }))

    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue('')
    expect(screen.queryByRole('status', { name: 'Active filters' })).not.toBeInTheDocument()
    expect(screen.queryByRole('group', { name: 'Search filters' })).not.toBeInTheDocument()
    // Back to the view, and the box followed the clearing: its old words do not come back as a new search.
    await new Promise((resolve) => setTimeout(resolve, 600))
    const after = listCalls().slice(before)
    expect(after.length).toBeGreaterThan(0)
    expect(after.every((url) => url === mineUrl)).toBe(true)
  })

  it('leaves the search when a view is picked', async () => {
    const user = userEvent.setup()
    api.on('GET', mineUrl, page(rosa))
    api.on('GET', searchUrl({ q: 'refund' }), page(tom))
    api.on('GET', listUrl({ view: 'resolved' }), page())
    render(<InboxPage />)
    await screen.findByText('Rosa Diaz')

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'refund{Enter}')
    await screen.findByText('Tom Baker')
    await user.click(screen.getByRole('button', { name: /^Resolved/ }))

    expect(screen.getByRole('button', { name: /^Resolved/ })).toHaveAttribute('aria-current', 'true')
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue('')
    await waitFor(() => expect(api.requests('GET', listUrl({ view: 'resolved' }))).toHaveLength(1))
  })
})
