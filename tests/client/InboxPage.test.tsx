import type { Channel } from '@carebox/shared'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { InboxPage } from '../../client/src/features/inbox/InboxPage'
import { useStore } from '../../client/src/store/store'
import { channelId, conversationOf, hoursAgo, listUrl, messageOf, otherConversationId } from './conversation-fixtures'
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
    expect(within(views).getAllByRole('button').map((b) => b.textContent)).toEqual(['Unassigned', 'Mine', 'My teams', 'All open', 'Snoozed', 'Resolved', 'Everything'])
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
    api.on('GET', listUrl({ q: 'refund' }), page(tom))
    const list = await renderInbox()

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'refund')

    await waitFor(() => expect(within(list).queryByText('Rosa Diaz')).not.toBeInTheDocument())
    expect(api.requests('GET', listUrl({ q: 'refund' }))).toHaveLength(1)
    expect(api.fetchMock.mock.calls.filter(([url]) => String(url).includes('q='))).toHaveLength(1)
  })

  it('searches at once on Enter, and stops searching when the box is cleared', async () => {
    const user = userEvent.setup()
    api.on('GET', listUrl({ q: 'norway' }), page(tom))
    await renderInbox()
    const box = screen.getByRole('searchbox', { name: 'Search' })

    await user.type(box, ' norway {Enter}')
    expect(api.requests('GET', listUrl({ q: 'norway' }))).toHaveLength(1)
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
      useStore.getState().receiveMessage({ ...tom, lastMessageAt: new Date().toISOString(), lastMessagePreview: 'Hello?' }, messageOf({ conversationId: tom.id }))
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
