import type { Notification as CareboxNotification } from '@carebox/shared'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { NotificationToasts } from '../../client/src/features/notifications/NotificationToasts'
import { useStore } from '../../client/src/store/store'
import { conversationOf, otherConversationId } from './conversation-fixtures'
import { fakeApi, sessionOf } from './fake-api'

const kim = { id: '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000009', name: 'Kim Lee' }
const thirdConversationId = '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a003'
const notificationOf = (overrides: Partial<CareboxNotification> = {}): CareboxNotification => ({
  kind: 'assigned',
  conversationId: otherConversationId,
  by: kim,
  preview: 'Where is my order?',
  ...overrides,
})

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('agent'))
})

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

function region() {
  return screen.getByRole('region', { name: 'Notifications' })
}

describe('NotificationToasts', () => {
  it('names the customer, the channel, the words and the priority when the conversation is listed', () => {
    useStore.getState().upsertConversation(conversationOf({ id: otherConversationId, priority: 'urgent', lastMessagePreview: 'My parcel never came' }))
    render(<NotificationToasts />)

    act(() => useStore.getState().receiveNotification(notificationOf({ by: null, preview: 'Assigned to you automatically' })))

    const toast = within(region()).getByRole('listitem')
    expect(toast).toHaveTextContent('Carebox assigned you a conversation')
    expect(within(toast).getByText('Rosa Diaz')).toBeInTheDocument()
    expect(within(toast).getByText('Acme on Messenger')).toBeInTheDocument()
    expect(within(toast).getByText('My parcel never came')).toBeInTheDocument()
    expect(within(toast).getByText('Urgent')).toBeInTheDocument()
    expect(within(toast).getByRole('link', { name: 'Open conversation' })).toHaveAttribute('href', `/inbox/${otherConversationId}`)
  })

  it('fetches the summary once when the conversation is not loaded', async () => {
    api.on('GET', `/api/conversations/${otherConversationId}`, [
      200,
      { conversation: conversationOf({ id: otherConversationId, contact: { id: crypto.randomUUID(), name: null, handle: 'sam_w' }, priority: 'high' }) },
    ])
    render(<NotificationToasts />)

    act(() => useStore.getState().receiveNotification(notificationOf({ kind: 'mentioned', preview: 'Can you call her?' })))
    act(() => useStore.getState().receiveNotification(notificationOf({ kind: 'sla', by: null, preview: 'First response due in 15 min' })))

    expect(await within(region()).findAllByText('@sam_w')).not.toHaveLength(0)
    expect(region()).toHaveTextContent('Acme on Messenger')
    expect(region()).toHaveTextContent('High')
    expect(api.requests('GET', `/api/conversations/${otherConversationId}`)).toHaveLength(1)
  })

  it('still shows what happened when the summary cannot be fetched', async () => {
    render(<NotificationToasts />)

    act(() => useStore.getState().receiveNotification(notificationOf()))

    await waitFor(() => expect(useStore.getState().notifiedConversations[otherConversationId]).toBeNull())
    expect(region()).toHaveTextContent('Kim Lee assigned you a conversation')
    expect(region()).toHaveTextContent('Where is my order?')
  })

  it('shows customer text with markup as text', () => {
    useStore.getState().upsertConversation(conversationOf({ id: otherConversationId, contact: { id: crypto.randomUUID(), name: '<b>Eve</b>', handle: null } }))
    const { container } = render(<NotificationToasts />)

    act(() => useStore.getState().receiveNotification(notificationOf({ kind: 'mentioned', preview: '<img src=x onerror="window.__pwned=1">hi' })))

    expect(within(region()).getByText('<b>Eve</b>')).toBeInTheDocument()
    expect(within(region()).getByText('<img src=x onerror="window.__pwned=1">hi')).toBeInTheDocument()
    expect(container.querySelector('img, b')).toBeNull()
  })

  it('groups several into one card with a count, the newest named', () => {
    useStore.getState().upsertConversation(conversationOf({ id: otherConversationId }))
    useStore.getState().upsertConversation(
      conversationOf({
        id: thirdConversationId,
        contact: { id: crypto.randomUUID(), name: 'Ben Ode', handle: null },
        channel: { id: crypto.randomUUID(), kind: 'whatsapp', name: 'Acme on WhatsApp' },
      }),
    )
    render(<NotificationToasts />)

    act(() => useStore.getState().receiveNotification(notificationOf({ kind: 'mentioned', preview: 'First' })))
    act(() => useStore.getState().receiveNotification(notificationOf({ kind: 'mentioned', preview: 'Second' })))
    act(() => useStore.getState().receiveNotification(notificationOf({ kind: 'mentioned', conversationId: thirdConversationId, preview: 'Third' })))

    expect(region()).toHaveTextContent('3 new notifications')
    expect(within(region()).queryAllByRole('button', { name: 'Dismiss' })).toHaveLength(0)
    expect(within(region()).getAllByRole('link')).toHaveLength(1)
    expect(within(region()).getByRole('link')).toHaveTextContent(/Ben Ode.*Acme on WhatsApp.*Third/)
    expect(within(region()).getByRole('button', { name: 'Show all' })).toHaveAttribute('aria-expanded', 'false')
  })

  it('lists each under "Show all", and opens one in one click', async () => {
    const user = userEvent.setup()
    useStore.getState().upsertConversation(conversationOf({ id: otherConversationId }))
    render(<NotificationToasts />)
    act(() => useStore.getState().receiveNotification(notificationOf({ kind: 'mentioned', preview: 'First' })))
    act(() => useStore.getState().receiveNotification(notificationOf({ kind: 'mentioned', conversationId: thirdConversationId, preview: 'Second' })))
    act(() => useStore.getState().receiveNotification(notificationOf({ kind: 'sla', by: null, conversationId: thirdConversationId, preview: 'Third' })))

    await user.click(within(region()).getByRole('button', { name: 'Show all' }))

    expect(within(region()).getByRole('button', { name: 'Show all' })).toHaveAttribute('aria-expanded', 'true')
    const items = within(region()).getAllByRole('listitem')
    expect(items.map((item) => item.querySelector('.toast-preview')?.textContent)).toEqual(['Third', 'Second', 'First'])
    const oldest = within(items[2]!).getByRole('link')
    expect(oldest).toHaveAttribute('href', `/inbox/${otherConversationId}`)
    expect(oldest).toHaveTextContent('Rosa Diaz')
    await user.click(oldest)
    expect(window.location.pathname).toBe(`/inbox/${otherConversationId}`)
    expect(region()).toHaveTextContent('2 new notifications')
  })

  it('clears them all with "Dismiss all"', async () => {
    const user = userEvent.setup()
    render(<NotificationToasts />)
    for (let i = 1; i <= 3; i++) act(() => useStore.getState().receiveNotification(notificationOf({ preview: `Conversation ${i}` })))

    await user.click(within(region()).getByRole('button', { name: 'Dismiss all' }))

    expect(screen.queryByRole('region', { name: 'Notifications' })).not.toBeInTheDocument()
    expect(useStore.getState().toasts).toEqual([])
  })

  it('offers browser notifications once, not on each notice', () => {
    vi.stubGlobal('Notification', Object.assign(vi.fn(), { permission: 'default', requestPermission: vi.fn() }))
    render(<NotificationToasts />)

    act(() => useStore.getState().receiveNotification(notificationOf()))
    act(() => useStore.getState().receiveNotification(notificationOf({ kind: 'mentioned' })))

    expect(within(region()).getAllByRole('button', { name: 'Turn on notifications' })).toHaveLength(1)
  })
})
