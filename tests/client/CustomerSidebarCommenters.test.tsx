import type { Message } from '@carebox/shared'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, customerOf, hoursAgo, messageOf, otherConversationId } from './conversation-fixtures'
import { fakeApi, sessionOf } from './fake-api'

const ana = { id: '9d8c7b6a-0000-4000-8000-00000000c001', name: 'Ana Souza', handle: 'ana.souza' }
const troll = { id: '9d8c7b6a-0000-4000-8000-00000000c002', name: 'Troll', handle: null }
const chloe = { id: '9d8c7b6a-0000-4000-8000-00000000c003', name: 'Chloé Martin', handle: 'chloe.m' }
const thread = conversationOf({ kind: 'public', subject: 'Spring collection is here', contact: ana })
const threadCustomer = customerOf({ id: ana.id, name: ana.name, handle: ana.handle, tags: ['vip'] })
const chloePanel = customerOf({ id: chloe.id, name: chloe.name, handle: chloe.handle, language: 'fr', tags: ['newsletter'] })
const chloeUrl = `/api/contacts/${chloe.id}`

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('agent'))
  api.on('GET', `/api/conversations/${thread.id}/post`, [200, { post: null }])
})

function commentBy(author: { id: string; name: string; handle: string | null }, text: string, hours: number): Message {
  return messageOf({
    conversationId: thread.id,
    author,
    text,
    sentAt: hoursAgo(hours),
    comment: { hidden: false, liked: false, privateReplied: false, privateReplyUntil: hoursAgo(-24), action: null },
  })
}

const comments = [commentBy(ana, 'Love the colours', 3), commentBy(troll, 'Overpriced', 2), commentBy(chloe, 'Is the blue one in stock?', 1)]

/** Opens the thread of three commenters, its own customer (the first) in the panel. */
async function renderThread() {
  const user = userEvent.setup()
  arrangeOpenConversation(api, { conversation: thread, messages: comments, customer: threadCustomer })
  render(<ConversationPane />)
  const panel = await screen.findByRole('complementary', { name: 'Customer' })
  await within(panel).findByRole('heading', { name: 'Ana Souza' })
  return { user, panel }
}

function actionsFor(author: string) {
  return screen.getByRole('group', { name: `Actions on the comment by ${author}` })
}

describe('CustomerSidebar in a public thread', () => {
  it('shows the panel of the commenter chosen with Reply, and changes their tags, not the thread contact’s', async () => {
    api.on('GET', chloeUrl, [200, chloePanel])
    api.on('PATCH', chloeUrl, ({ body }) => [200, { ...chloePanel, ...(body as object) }])
    const { user, panel } = await renderThread()

    await user.click(within(actionsFor('Chloé Martin')).getByRole('button', { name: 'Reply' }))

    expect(await within(panel).findByRole('heading', { name: 'Chloé Martin' })).toBeInTheDocument()
    expect(within(panel).getByText(/^Commenter:/)).toHaveTextContent('Commenter: Chloé Martin')
    expect(within(panel).getByText('fr')).toBeInTheDocument()
    expect(api.requests('GET', chloeUrl)).toHaveLength(1)
    await user.click(within(panel).getByRole('button', { name: 'Remove tag newsletter' }))
    await waitFor(() => expect(within(panel).queryByText('newsletter')).not.toBeInTheDocument())
    expect(api.requests('PATCH', chloeUrl).map((r) => r.body)).toEqual([{ tags: [] }])
    expect(api.requests('PATCH', `/api/contacts/${ana.id}`)).toHaveLength(0)
  })

  it('goes back to the thread’s own contact, and shows a commenter again from the panel already loaded', async () => {
    api.on('GET', chloeUrl, [200, chloePanel])
    const { user, panel } = await renderThread()
    await user.click(within(actionsFor('Chloé Martin')).getByRole('button', { name: 'Reply privately' }))
    await within(panel).findByRole('heading', { name: 'Chloé Martin' })

    await user.click(within(panel).getByRole('button', { name: 'Back to Ana Souza' }))

    expect(within(panel).getByRole('heading', { name: 'Ana Souza' })).toBeInTheDocument()
    expect(within(panel).queryByText(/^Commenter:/)).not.toBeInTheDocument()
    await user.click(within(actionsFor('Chloé Martin')).getByRole('button', { name: 'Reply' }))
    expect(within(panel).getByRole('heading', { name: 'Chloé Martin' })).toBeInTheDocument()
    expect(api.requests('GET', chloeUrl)).toHaveLength(1)
  })

  it('shows a commenter from their name, a button reached with the keyboard', async () => {
    api.on('GET', chloeUrl, [200, chloePanel])
    const { user, panel } = await renderThread()
    const name = screen.getByRole('button', { name: "Show Chloé Martin's customer panel" })

    name.focus()
    await user.keyboard('{Enter}')

    expect(await within(panel).findByRole('heading', { name: 'Chloé Martin' })).toBeInTheDocument()
    // The thread's own contact is shown already: their name leaves the panel as it is.
    await user.click(screen.getByRole('button', { name: "Show Ana Souza's customer panel" }))
    expect(within(panel).getByRole('heading', { name: 'Ana Souza' })).toBeInTheDocument()
    expect(within(panel).queryByText(/^Commenter:/)).not.toBeInTheDocument()
    expect(api.requests('GET', `/api/contacts/${ana.id}`)).toHaveLength(0)
  })

  it('starts another conversation, and this one when opened again, on its own contact', async () => {
    const other = conversationOf({ id: otherConversationId })
    api.on('GET', chloeUrl, [200, chloePanel])
    const { user, panel } = await renderThread()
    await user.click(within(actionsFor('Chloé Martin')).getByRole('button', { name: 'Reply' }))
    await within(panel).findByRole('heading', { name: 'Chloé Martin' })

    act(() => void arrangeOpenConversation(api, { conversation: other, customer: customerOf() }))

    const otherPanel = await screen.findByRole('complementary', { name: 'Customer' })
    expect(await within(otherPanel).findByRole('heading', { name: 'Rosa Diaz' })).toBeInTheDocument()
    expect(within(otherPanel).queryByText(/^Commenter:/)).not.toBeInTheDocument()
    act(() => void arrangeOpenConversation(api, { conversation: thread, messages: comments, customer: threadCustomer }))
    const threadPanel = await screen.findByRole('complementary', { name: 'Customer' })
    expect(await within(threadPanel).findByRole('heading', { name: 'Ana Souza' })).toBeInTheDocument()
    expect(within(threadPanel).queryByText(/^Commenter:/)).not.toBeInTheDocument()
  })

  it('says quietly when the commenter is not one the agent may see', async () => {
    const { user, panel } = await renderThread()

    await user.click(within(actionsFor('Troll')).getByRole('button', { name: 'Reply' }))

    expect(await within(panel).findByText('This commenter’s details are not available to you.')).toBeInTheDocument()
    expect(within(panel).getByText(/^Commenter:/)).toHaveTextContent('Commenter: Troll')
    expect(within(panel).queryByRole('alert')).not.toBeInTheDocument()
    expect(api.requests('GET', `/api/contacts/${troll.id}`)).toHaveLength(1)
    await user.click(within(panel).getByRole('button', { name: 'Back to Ana Souza' }))
    expect(within(panel).getByRole('heading', { name: 'Ana Souza' })).toBeInTheDocument()
  })
})
