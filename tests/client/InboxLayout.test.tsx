import type { Channel } from '@carebox/shared'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { App } from '../../client/src/App'
import { InboxPage } from '../../client/src/features/inbox/InboxPage'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, channelId, conversationOf, listUrl } from './conversation-fixtures'
import { fakeApi, sessionOf, support } from './fake-api'

const longName = `Bartholomew-${'x'.repeat(108)}`
const rosa = conversationOf({
  kind: 'public',
  contact: { id: '9d8c7b6a-0000-4000-8000-00000000a001', name: longName, handle: null },
  channel: { id: channelId, kind: 'facebook', name: 'Acme on Messenger' },
  latestCommenter: 'Troll',
  lastMessagePreview: 'This brand is a scam',
  lastInboundAt: '2026-03-02T09:00:00.000Z',
  lastMessageAt: '2026-03-02T09:00:00.000Z',
  priority: 'urgent',
})

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/channels', [200, [{ id: channelId, kind: 'facebook', name: 'Acme on Messenger', teamId: support.id } as Channel]])
  api.on('GET', listUrl(), [200, { items: [rosa], nextCursor: null }])
  useStore.getState().startSession(sessionOf('agent'))
  // Past the first landing (an agent's is in Mine, see WorkFlow.test.tsx): these tests start in All open.
  useStore.setState({ hasLandedInInbox: true })
})

afterEach(() => {
  window.localStorage.clear()
})

async function renderInbox() {
  render(<InboxPage />)
  const list = await screen.findByRole('list', { name: 'Conversations' })
  return within(list).findByRole('button', { name: new RegExp(longName) })
}

describe('InboxPage layout', () => {
  it('gives a list row the whole name, the channel, and a public thread’s latest commenter', async () => {
    const row = await renderInbox()

    expect(within(row).getByText(longName).closest('.conversation-item-name')).not.toBeNull()
    expect(within(row).getByText('Acme on Messenger')).toBeInTheDocument()
    expect(within(row).getByText('Urgent')).toBeInTheDocument()
    expect(row).toHaveTextContent('Troll: This brand is a scam')
  })

  it('marks the page as showing a conversation, with a way back to the list', async () => {
    const user = userEvent.setup()
    arrangeOpenConversation(api, { conversation: rosa })
    await renderInbox()
    const page = screen.getByRole('button', { name: 'Back to conversations' }).closest('section')
    expect(page).toHaveClass('has-conversation')

    await user.click(screen.getByRole('button', { name: 'Back to conversations' }))

    expect(window.location.pathname).toBe('/inbox')
    expect(await screen.findByText('Pick a conversation')).toBeInTheDocument()
    expect(page).not.toHaveClass('has-conversation')
    expect(screen.queryByRole('button', { name: 'Back to conversations' })).not.toBeInTheDocument()
  })

  it('opens the customer details over the conversation for that conversation only', async () => {
    const user = userEvent.setup()
    arrangeOpenConversation(api, { conversation: rosa })
    await renderInbox()
    const details = screen.getByRole('button', { name: 'Customer details' })
    expect(details).toHaveAttribute('aria-expanded', 'false')

    await user.click(details)

    expect(details).toHaveAttribute('aria-expanded', 'true')
    expect(document.getElementById('conversation-side')?.parentElement).toHaveClass('side-open-over')
    expect(useStore.getState().customerSheetFor).toBe(rosa.id)
    await user.click(details)
    expect(document.getElementById('conversation-side')?.parentElement).not.toHaveClass('side-open-over')
  })

  it('folds the customer panel away beside the conversation, and keeps the choice on this device', async () => {
    const user = userEvent.setup()
    arrangeOpenConversation(api, { conversation: rosa })
    await renderInbox()
    await screen.findByRole('complementary', { name: 'Customer' })
    const layout = document.getElementById('conversation-side')?.parentElement

    await user.click(screen.getByRole('button', { name: 'Hide customer panel' }))

    expect(layout).toHaveClass('side-collapsed')
    expect(screen.getByRole('button', { name: 'Show customer panel' })).toHaveAttribute('aria-expanded', 'false')
    expect(window.localStorage.getItem('carebox.customerPanel')).toBe('collapsed')
    await user.click(screen.getByRole('button', { name: 'Show customer panel' }))
    expect(layout).not.toHaveClass('side-collapsed')
    expect(window.localStorage.getItem('carebox.customerPanel')).toBe('open')
  })
})

describe('the customer panel preference', () => {
  afterEach(() => {
    vi.resetModules()
  })

  it('starts folded in a console loaded after the panel was folded', async () => {
    window.localStorage.setItem('carebox.customerPanel', 'collapsed')
    vi.resetModules()

    const { useStore: reloaded } = await import('../../client/src/store/store')

    expect(reloaded.getState().isCustomerPanelCollapsed).toBe(true)
  })

  it('starts open when nothing was chosen, or storage cannot be read', async () => {
    vi.resetModules()
    const getItem = vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new Error('storage is off')
    })

    const { useStore: reloaded } = await import('../../client/src/store/store')

    expect(reloaded.getState().isCustomerPanelCollapsed).toBe(false)
    getItem.mockRestore()
  })
})

describe('Shell on a narrow screen', () => {
  it('folds the person’s controls into a menu that going elsewhere closes', async () => {
    const user = userEvent.setup()
    useStore.getState().startSession(sessionOf('lead'))
    render(<App />)
    const toggle = await screen.findByRole('button', { name: 'Your account' })
    const menu = screen.getByLabelText('Signed in')
    expect(toggle).toHaveAttribute('aria-expanded', 'false')

    await user.click(toggle)

    expect(toggle).toHaveAttribute('aria-expanded', 'true')
    expect(menu).toHaveClass('open')
    expect(within(menu).getByRole('button', { name: 'Sign out' })).toBeInTheDocument()
    await user.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: /Inbox/ }))
    await waitFor(() => expect(toggle).toHaveAttribute('aria-expanded', 'false'))
    expect(menu).not.toHaveClass('open')
  })
})
