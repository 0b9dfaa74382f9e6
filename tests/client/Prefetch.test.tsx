import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { InboxPage } from '../../client/src/features/inbox/InboxPage'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, hoursAgo, listUrl, messageOf } from './conversation-fixtures'
import { fakeApi, sessionOf } from './fake-api'

const first = conversationOf({ id: crypto.randomUUID(), contact: { id: crypto.randomUUID(), name: 'Ana First', handle: null }, lastMessageAt: hoursAgo(0) })
const second = conversationOf({ id: crypto.randomUUID(), contact: { id: crypto.randomUUID(), name: 'Ben Second', handle: null }, lastMessageAt: hoursAgo(1) })
const third = conversationOf({ id: crypto.randomUUID(), contact: { id: crypto.randomUUID(), name: 'Cy Third', handle: null }, lastMessageAt: hoursAgo(2) })
const fourth = conversationOf({ id: crypto.randomUUID(), contact: { id: crypto.randomUUID(), name: 'Di Fourth', handle: null }, lastMessageAt: hoursAgo(3) })
const fifth = conversationOf({ id: crypto.randomUUID(), contact: { id: crypto.randomUUID(), name: 'Ed Fifth', handle: null }, lastMessageAt: hoursAgo(4) })
const messagesUrl = (id: string) => `/api/conversations/${id}/messages`

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/channels', [200, []])
  api.on('GET', listUrl(), [200, { items: [first, second, third, fourth, fifth], nextCursor: null }])
  for (const c of [first, second, third, fourth, fifth]) {
    api.on('GET', messagesUrl(c.id), [200, { items: [messageOf({ conversationId: c.id, text: `Hello from ${c.contact.name}` })] }])
  }
  useStore.getState().startSession(sessionOf('agent'))
  // Past the first landing (an agent's is in Mine, see WorkFlow.test.tsx): these tests start in All open.
  useStore.setState({ hasLandedInInbox: true })
})

describe('prefetching threads', () => {
  it('fetches the next and previous conversations’ threads once the open one is loaded, and shows one at once when opened', async () => {
    arrangeOpenConversation(api, { conversation: second, messages: [messageOf({ conversationId: second.id, text: 'Hello from Ben Second' })] })
    render(<InboxPage />)

    await screen.findByText('Hello from Ben Second', { selector: '.thread *' })
    await waitFor(() => expect(api.requests('GET', messagesUrl(third.id))).toHaveLength(1))
    expect(api.requests('GET', messagesUrl(first.id))).toHaveLength(1)

    // Opening the next one shows its thread from what was fetched, before its own request answers.
    arrangeOpenConversation(api, { conversation: third })
    api.on('GET', messagesUrl(third.id), () => new Promise(() => {}))
    const list = screen.getByRole('list', { name: 'Conversations' })
    await userEvent.setup().click(within(list).getByRole('button', { name: /Cy Third/ }))
    expect(await screen.findByText('Hello from Cy Third', { selector: '.thread *' })).toBeInTheDocument()
  })

  it('fetches the threads of the top three rows as the list loads, and no others', async () => {
    render(<InboxPage />)
    await screen.findByRole('button', { name: /Ed Fifth/ })

    await waitFor(() => expect(api.requests('GET', messagesUrl(third.id))).toHaveLength(1))
    expect(api.requests('GET', messagesUrl(first.id))).toHaveLength(1)
    expect(api.requests('GET', messagesUrl(second.id))).toHaveLength(1)
    expect(api.requests('GET', messagesUrl(fourth.id))).toHaveLength(0)
    expect(api.requests('GET', messagesUrl(fifth.id))).toHaveLength(0)
  })

  it('fetches a thread when the pointer rests on its row, once', async () => {
    render(<InboxPage />)
    const list = await screen.findByRole('list', { name: 'Conversations' })
    const row = await within(list).findByRole('button', { name: /Ed Fifth/ })

    fireEvent.pointerEnter(row)
    fireEvent.pointerEnter(row)

    await waitFor(() => expect(api.requests('GET', messagesUrl(fifth.id))).toHaveLength(1))
    expect(api.requests('GET', messagesUrl(fourth.id))).toHaveLength(0)
  })
})
