import type { Channel } from '@carebox/shared'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { InboxPage } from '../../client/src/features/inbox/InboxPage'
import { useStore } from '../../client/src/store/store'
import { channelId, conversationOf, customerOf, hoursAgo, listUrl, messageOf, otherConversationId, searchUrl } from './conversation-fixtures'
import { fakeApi, sessionOf, support } from './fake-api'

const rosa = conversationOf()
const tom = conversationOf({
  id: otherConversationId,
  contact: { id: crypto.randomUUID(), name: 'Tom Baker', handle: null },
  lastMessageAt: hoursAgo(2),
  lastMessagePreview: 'Do you ship to Norway?',
  assignee: { id: crypto.randomUUID(), name: 'Lee Lead' },
  priority: 'urgent',
  tags: ['shipping', 'vip'],
  status: 'snoozed',
  snoozedUntil: '2099-03-03T09:00:00.000Z',
})
const channel = { id: channelId, kind: 'facebook', name: 'Acme on Messenger', teamId: support.id } as Channel
const page = (...items: (typeof rosa)[]) => [200, { items, nextCursor: null }] as [number, unknown]

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/channels', [200, [channel]])
  api.on('GET', listUrl(), page(rosa, tom))
  useStore.getState().startSession(sessionOf('agent'))
  // Past the first landing (an agent's is in Mine, see WorkFlow.test.tsx): these tests start in All open.
  useStore.setState({ hasLandedInInbox: true })
})

async function renderInbox() {
  render(<InboxPage />)
  return screen.findByRole('list', { name: 'Conversations' }).then(async (list) => {
    await within(list).findByText('Rosa Diaz')
    return list
  })
}

describe('InboxPage', () => {
  it('opens on All open, with every view on offer', async () => {
    await renderInbox()

    const views = screen.getByRole('navigation', { name: 'Views' })
    expect(
      within(views)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Unassigned', 'Mine', 'My teams', 'All open', 'Window closing', 'Follow-ups', 'Snoozed', 'Resolved', 'Everything'])
    expect(within(views).getByRole('button', { name: 'All open' })).toHaveAttribute('aria-current', 'true')
    expect(api.requests('GET', listUrl())).toHaveLength(1)
  })

  it('shows who works each conversation, its priority, tags and snooze', async () => {
    const list = await renderInbox()

    const row = within(list).getByRole('button', { name: /Tom Baker/ })
    expect(within(row).getByRole('img', { name: 'Assigned to Lee Lead' })).toHaveTextContent('LL')
    expect(within(row).getByText('Urgent')).toBeInTheDocument()
    expect(within(row).getByText('shipping')).toBeInTheDocument()
    expect(within(row).getByText('vip')).toBeInTheDocument()
    expect(within(row).getByText(/^Snoozed until/)).toBeInTheDocument()
    const plain = within(list).getByRole('button', { name: /Rosa Diaz/ })
    expect(within(plain).queryByRole('img')).not.toBeInTheDocument()
    expect(within(plain).queryByText(/Normal|High|Urgent/)).not.toBeInTheDocument()
  })

  it('names who commented last in a public thread named after someone else', async () => {
    const at = hoursAgo(1)
    const thread = conversationOf({
      kind: 'public',
      latestCommenter: 'Troll',
      lastMessagePreview: 'This brand is a scam',
      lastMessageAt: at,
      lastInboundAt: at,
    })
    api.on('GET', listUrl(), page(thread, tom))
    const list = await renderInbox()

    const row = within(list).getByRole('button', { name: /Rosa Diaz/ })
    expect(row).toHaveTextContent('Troll: This brand is a scam')

    // Once our reply is the latest message, the preview is ours: no commenter's name before it.
    const answered = { ...thread, lastMessagePreview: 'Thanks, we are on it', lastMessageAt: new Date().toISOString() }
    act(() => useStore.getState().upsertConversation(answered))
    await waitFor(() => expect(within(list).getByRole('button', { name: /Rosa Diaz/ })).toHaveTextContent('Thanks, we are on it'))
    expect(within(list).getByRole('button', { name: /Rosa Diaz/ })).not.toHaveTextContent('Troll:')
  })

  it('asks for the chosen view', async () => {
    const user = userEvent.setup()
    api.on('GET', listUrl({ view: 'mine' }), page(tom))
    const list = await renderInbox()

    await user.click(screen.getByRole('button', { name: 'Mine' }))

    await waitFor(() => expect(within(list).queryByText('Rosa Diaz')).not.toBeInTheDocument())
    expect(within(list).getByText('Tom Baker')).toBeInTheDocument()
    expect(api.requests('GET', listUrl({ view: 'mine' }))).toHaveLength(1)
    expect(screen.getByRole('button', { name: 'Mine' })).toHaveAttribute('aria-current', 'true')
  })

  it('searches once typing pauses', async () => {
    const user = userEvent.setup()
    api.on('GET', searchUrl({ q: 'refund' }), page(tom))
    const list = await renderInbox()

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'refund')

    await waitFor(() => expect(within(list).queryByText('Rosa Diaz')).not.toBeInTheDocument())
    expect(api.requests('GET', searchUrl({ q: 'refund' }))).toHaveLength(1)
    expect(api.fetchMock.mock.calls.filter(([url]) => String(url).includes('q='))).toHaveLength(1)
  })

  it('searches at once on Enter, and stops searching when the box is cleared', async () => {
    const user = userEvent.setup()
    api.on('GET', searchUrl({ q: 'norway' }), page(tom))
    await renderInbox()
    const box = screen.getByRole('searchbox', { name: 'Search' })

    await user.type(box, ' norway {Enter}')
    expect(api.requests('GET', searchUrl({ q: 'norway' }))).toHaveLength(1)
    await user.clear(box)
    await user.keyboard('{Enter}')

    expect(api.requests('GET', listUrl())).toHaveLength(2)
  })

  it('filters by channel and priority', async () => {
    const user = userEvent.setup()
    api.on('GET', listUrl({ channelId }), page(rosa))
    api.on('GET', listUrl({ channelId, priority: 'urgent' }), page())
    await renderInbox()

    await user.selectOptions(await screen.findByRole('combobox', { name: 'Channel' }), 'Acme on Messenger')
    await user.selectOptions(screen.getByRole('combobox', { name: 'Priority' }), 'Urgent')

    expect(await screen.findByText('No conversations match these filters.')).toBeInTheDocument()
    expect(api.requests('GET', listUrl({ channelId }))).toHaveLength(1)
    expect(api.requests('GET', listUrl({ channelId, priority: 'urgent' }))).toHaveLength(1)
  })

  it('moves a conversation to the top when a message arrives in it', async () => {
    const list = await renderInbox()

    act(() => {
      useStore
        .getState()
        .receiveMessage({ ...tom, lastMessageAt: new Date().toISOString(), lastMessagePreview: 'Hello?' }, messageOf({ conversationId: tom.id }))
    })

    const rows = within(list).getAllByRole('button')
    expect(rows[0]).toHaveTextContent('Hello?')
    expect(api.requests('GET', listUrl())).toHaveLength(1)
  })

  it('loads older conversations on request', async () => {
    const user = userEvent.setup()
    api.on('GET', listUrl(), [200, { items: [rosa], nextCursor: 'older-1' }])
    api.on('GET', listUrl({ cursor: 'older-1' }), page(tom))
    const list = await renderInbox()

    await user.click(screen.getByRole('button', { name: 'Load older' }))

    expect(await within(list).findByText('Tom Baker')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Load older' })).not.toBeInTheDocument()
  })
})

const countsUrl = '/api/conversations/counts'
const countsOf = (open: { total: number; unread: number }) => ({
  views: { unassigned: { total: 4, unread: 2 }, mine: { total: 1, unread: 0 }, teams: { total: 6, unread: 0 }, open, snoozed: { total: 2, unread: 0 } },
})

describe('InboxPage views counts', () => {
  it('shows each view with its total, and an unread badge where some are unread', async () => {
    api.on('GET', countsUrl, [200, countsOf({ total: 7, unread: 3 })])
    await renderInbox()

    const views = screen.getByRole('navigation', { name: 'Views' })
    await waitFor(() => expect(within(views).getByRole('button', { name: /^All open/ })).toHaveTextContent('All open, total 7, 3 unread'))
    expect(within(views).getByRole('button', { name: /^Unassigned/ })).toHaveTextContent('Unassigned, total 4, 2 unread')
    expect(within(views).getByRole('button', { name: /^Mine/ })).toHaveTextContent(/^Mine, total 1$/)
    expect(within(views).getByRole('button', { name: 'Resolved' })).toHaveTextContent(/^Resolved$/)
  })

  it('refetches the counts after live events, at most once every 2 s', async () => {
    api.on('GET', countsUrl, [200, countsOf({ total: 7, unread: 3 })])
    await renderInbox()
    const views = screen.getByRole('navigation', { name: 'Views' })
    await waitFor(() => expect(within(views).getByRole('button', { name: /^All open/ })).toHaveTextContent('3 unread'))
    api.on('GET', countsUrl, [200, countsOf({ total: 8, unread: 4 })])

    act(() => {
      for (const text of ['one', 'two', 'three']) useStore.getState().upsertConversation({ ...tom, lastMessagePreview: text }, 'live')
    })

    await waitFor(() => expect(within(views).getByRole('button', { name: /^All open/ })).toHaveTextContent('All open, total 8, 4 unread'), { timeout: 3000 })
    expect(api.requests('GET', countsUrl)).toHaveLength(2)
  })
})

describe('InboxPage unread', () => {
  it('shows unread conversations bold with an unread marker, and marks one read on opening it', async () => {
    const user = userEvent.setup()
    const unread = { ...rosa, unread: true }
    api.on('GET', listUrl(), page(unread, tom))
    api.on('GET', `/api/conversations/${rosa.id}`, [200, { conversation: unread, customer: customerOf(), draft: null }])
    api.on('GET', `/api/conversations/${rosa.id}/messages`, [200, { items: [] }])
    api.on('POST', `/api/conversations/${rosa.id}/read`, [200, { ...rosa, unread: false }])
    const list = await renderInbox()
    const row = within(list).getByRole('button', { name: /Rosa Diaz/ })
    expect(row).toHaveClass('unread')
    expect(within(row).getByText('unread')).toBeInTheDocument()
    expect(within(list).getByRole('button', { name: /Tom Baker/ })).not.toHaveClass('unread')

    await user.click(row)

    await waitFor(() => expect(api.requests('POST', `/api/conversations/${rosa.id}/read`)).toHaveLength(1))
    await waitFor(() => expect(within(list).getByRole('button', { name: /Rosa Diaz/ })).not.toHaveClass('unread'))
    expect(within(within(list).getByRole('button', { name: /Rosa Diaz/ })).queryByText('unread')).not.toBeInTheDocument()
  })

  it('marks a conversation unread when its customer writes while it is not open, whatever the broadcast says', async () => {
    const list = await renderInbox()

    act(() => {
      useStore.getState().receiveMessage({ ...tom, unread: false, lastMessagePreview: 'Hello?' }, messageOf({ conversationId: tom.id }))
      useStore.getState().upsertConversation({ ...rosa, unread: true }, 'live')
    })

    expect(within(list).getByRole('button', { name: /Tom Baker/ })).toHaveClass('unread')
    expect(within(list).getByRole('button', { name: /Rosa Diaz/ })).not.toHaveClass('unread')
  })
})

describe('InboxPage bulk actions', () => {
  const bulkUrl = '/api/conversations/bulk'

  it('resolves the ticked conversations, merges what changed and says what could not be', async () => {
    const user = userEvent.setup()
    api.on('POST', bulkUrl, () => {
      // Resolved, Rosa's conversation leaves All open.
      api.on('GET', listUrl(), page(tom))
      return [200, { updated: [{ ...rosa, status: 'resolved' }], failed: [{ id: tom.id, error: 'You may not change this conversation' }] }]
    })
    const list = await renderInbox()

    await user.click(screen.getByRole('checkbox', { name: 'Select Rosa Diaz' }))
    await user.click(screen.getByRole('checkbox', { name: 'Select Tom Baker' }))
    await user.click(within(screen.getByRole('group', { name: 'Bulk actions' })).getByRole('button', { name: 'Resolve' }))

    expect(await screen.findByText('1 updated, 1 could not be changed: You may not change this conversation')).toBeInTheDocument()
    expect(api.requests('POST', bulkUrl).map((r) => r.body)).toEqual([{ ids: [rosa.id, tom.id], action: { type: 'status', status: 'resolved' } }])
    expect(useStore.getState().conversationsById[rosa.id]?.status).toBe('resolved')
    await waitFor(() => expect(within(list).queryByText('Rosa Diaz')).not.toBeInTheDocument())
    expect(screen.getByRole('checkbox', { name: 'Select Tom Baker' })).not.toBeChecked()
    expect(screen.queryByRole('group', { name: 'Bulk actions' })).not.toBeInTheDocument()
    expect(window.location.pathname).toBe('/')
  })

  it('assigns every conversation on screen to me, for an agent too', async () => {
    const user = userEvent.setup()
    const me = sessionOf('agent').user
    api.on('POST', bulkUrl, [200, { updated: [rosa, tom].map((c) => ({ ...c, assignee: { id: me.id, name: me.name } })), failed: [] }])
    await renderInbox()

    await user.click(screen.getByRole('checkbox', { name: 'Select all on screen' }))
    expect(screen.getByRole('checkbox', { name: 'Select Tom Baker' })).toBeChecked()
    await user.click(screen.getByRole('button', { name: 'Assign to me' }))

    expect(await screen.findByText('2 updated')).toBeInTheDocument()
    expect(api.requests('POST', bulkUrl).map((r) => r.body)).toEqual([{ ids: [rosa.id, tom.id], action: { type: 'assign', assigneeId: me.id } }])
  })
})

describe('InboxPage language and tag filters', () => {
  it('asks for the chosen language and tag', async () => {
    // A list refresh an earlier test left throttled (1 s) must not land in this test's count of requests.
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const user = userEvent.setup()
    api.on('GET', listUrl({ language: 'es' }), page(rosa))
    api.on('GET', listUrl({ language: 'es', tag: 'vip' }), page())
    const list = await renderInbox()

    await user.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'Spanish (es)')
    await waitFor(() => expect(within(list).queryByText('Tom Baker')).not.toBeInTheDocument())
    await user.type(screen.getByRole('textbox', { name: 'Tag' }), 'vip')

    expect(await screen.findByText('No conversations match these filters.')).toBeInTheDocument()
    expect(api.requests('GET', listUrl({ language: 'es' }))).toHaveLength(1)
    expect(api.requests('GET', listUrl({ language: 'es', tag: 'vip' }))).toHaveLength(1)
    expect(api.fetchMock.mock.calls.filter(([url]) => String(url).includes('tag='))).toHaveLength(1)
  })
})
