import type { ConversationSummary } from '@carebox/shared'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { InboxPage } from '../../client/src/features/inbox/InboxPage'
import { shortcuts } from '../../client/src/features/inbox/shortcuts'
import { useStore } from '../../client/src/store/store'
import { conversationOf, customerOf, hoursAgo, listUrl } from './conversation-fixtures'
import { fakeApi, sessionOf, userOf } from './fake-api'

const conversations = ['Ana', 'Ben', 'Cleo'].map((name, i) =>
  conversationOf({ id: crypto.randomUUID(), contact: { id: crypto.randomUUID(), name, handle: null }, lastMessageAt: hoursAgo(i + 1) }),
)
const [ana, ben] = conversations as [ConversationSummary, ConversationSummary, ConversationSummary]
const agent = userOf('agent')

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  // A small stand-in for the server's state: actions change it, and the list answers what it holds now.
  const server = new Map(conversations.map((c) => [c.id, c]))
  const change = (id: string, changes: Partial<ConversationSummary>): [number, unknown] => {
    server.set(id, { ...server.get(id)!, ...changes })
    return [200, server.get(id)]
  }
  api.on('GET', '/api/channels', [200, []])
  api.on('GET', listUrl(), () => [200, { items: [...server.values()], nextCursor: null }])
  for (const c of conversations) {
    api.on('GET', `/api/conversations/${c.id}`, () => [200, { conversation: server.get(c.id), customer: customerOf(), draft: null }])
    api.on('GET', `/api/conversations/${c.id}/messages`, [200, { items: [] }])
    api.on('POST', `/api/conversations/${c.id}/status`, ({ body }) => change(c.id, body as Partial<ConversationSummary>))
    api.on('POST', `/api/conversations/${c.id}/assign`, () => change(c.id, { assignee: { id: agent.id, name: agent.name } }))
  }
  useStore.getState().startSession(sessionOf('agent'))
  // Past the first landing (an agent's is in Mine, see WorkFlow.test.tsx): these tests start in All open.
  useStore.setState({ hasLandedInInbox: true })
})

async function renderInbox() {
  const user = userEvent.setup()
  render(<InboxPage />)
  const list = await screen.findByRole('list', { name: 'Conversations' })
  await within(list).findByText('Ana')
  return { user, rows: () => within(list).getAllByRole('button') }
}

async function openWithKeys(user: ReturnType<typeof userEvent.setup>, keys: string) {
  await user.keyboard(keys)
  return screen.findByRole('group', { name: 'Conversation actions' })
}

describe('useInboxShortcuts', () => {
  it('moves through the list with j and k, and opens with Enter', async () => {
    const { user, rows } = await renderInbox()

    await user.keyboard('j')
    expect(rows()[0]).toHaveClass('selected')
    await user.keyboard('jjj')
    expect(rows()[2]).toHaveClass('selected')
    await user.keyboard('k')
    expect(rows()[1]).toHaveClass('selected')
    await user.keyboard('{Enter}')

    expect(window.location.pathname).toBe(`/inbox/${ben.id}`)
    expect(await screen.findByRole('region', { name: 'Conversation with Ben' })).toBeInTheDocument()
    expect(rows()[1]).toHaveAttribute('aria-current', 'true')
  })

  it('ticks and unticks the selected row with x, without opening it', async () => {
    const { user } = await renderInbox()

    await user.keyboard('jx')
    expect(screen.getByRole('checkbox', { name: 'Select Ana' })).toBeChecked()
    await user.keyboard('jx')
    expect(screen.getByRole('checkbox', { name: 'Select Ben' })).toBeChecked()
    expect(screen.getByRole('group', { name: 'Bulk actions' })).toBeInTheDocument()
    await user.keyboard('kx')

    expect(screen.getByRole('checkbox', { name: 'Select Ana' })).not.toBeChecked()
    expect(screen.getByRole('checkbox', { name: 'Select Ben' })).toBeChecked()
    expect(window.location.pathname).toBe('/')
  })

  it('opens the selected row on Enter after a row was clicked and the selection moved on', async () => {
    const { user, rows } = await renderInbox()
    await user.click(rows()[0]!)
    await screen.findByRole('region', { name: 'Conversation with Ana' })

    await user.keyboard('j{Enter}')

    expect(await screen.findByRole('region', { name: 'Conversation with Ben' })).toBeInTheDocument()
    expect(window.location.pathname).toBe(`/inbox/${ben.id}`)
  })

  it('resolves with e (and opens the next one), assigns to me with a, snoozes an hour with s', async () => {
    const { user } = await renderInbox()
    await openWithKeys(user, 'j{Enter}')

    await user.keyboard('a')
    await waitFor(() => expect(screen.getByLabelText('Conversation state')).toHaveTextContent('Assigned to Maya Agent'))
    await user.keyboard('s')
    await waitFor(() => expect(screen.getByLabelText('Conversation state')).toHaveTextContent('Snoozed'))
    await user.keyboard('e')
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Ben' })).toBeInTheDocument())

    expect(api.requests('POST', `/api/conversations/${ana.id}/assign`).map((r) => r.body)).toEqual([{ assigneeId: agent.id }])
    const statuses = api.requests('POST', `/api/conversations/${ana.id}/status`).map((r) => r.body as { status: string; snoozedUntil?: string })
    expect(statuses.map((b) => b.status)).toEqual(['snoozed', 'resolved'])
    expect(Date.parse(statuses[0]!.snoozedUntil!) - Date.now()).toBeGreaterThan(59 * 60_000)
  })

  it('focuses the reply with r and the note with n; keys then type, and Escape leaves the box', async () => {
    const { user, rows } = await renderInbox()
    await openWithKeys(user, 'j{Enter}')

    await user.keyboard('r')
    const reply = await screen.findByRole('textbox', { name: 'Reply' })
    await waitFor(() => expect(reply).toHaveFocus())
    await user.keyboard('jke')
    expect(reply).toHaveValue('jke')
    expect(rows()[0]).toHaveClass('selected')
    expect(api.requests('POST', `/api/conversations/${ana.id}/status`)).toHaveLength(0)
    await user.keyboard('{Escape}')
    expect(reply).not.toHaveFocus()

    await user.keyboard('n')
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Note' })).toHaveFocus())
    expect(screen.getByRole('tab', { name: 'Note' })).toHaveAttribute('aria-selected', 'true')
    expect(screen.getByRole('textbox', { name: 'Note' })).toHaveValue('')
  })

  it('lists every shortcut with ?, and closes the list with ? or Escape', async () => {
    const { user } = await renderInbox()

    await user.keyboard('?')
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' })
    for (const s of shortcuts) expect(within(dialog).getByText(s.does)).toBeInTheDocument()
    expect(within(dialog).getAllByText(/^(j|k|Enter|x|r|n|e|a|s|\?|Escape|Ctrl\+Enter)$/)).toHaveLength(12)
    await user.keyboard('?')
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()

    await user.click(screen.getByRole('button', { name: 'Keyboard shortcuts' }))
    expect(screen.getByRole('dialog')).toBeInTheDocument()
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
  })
})
