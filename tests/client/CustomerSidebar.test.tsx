import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationOf, customerOf, otherConversationId } from './conversation-fixtures'
import { fakeApi, sessionOf } from './fake-api'

const whatsapp = { id: crypto.randomUUID(), kind: 'whatsapp' as const, name: 'Acme on WhatsApp' }
const current = conversationOf()
const earlier = conversationOf({
  id: otherConversationId,
  channel: whatsapp,
  status: 'resolved',
  lastMessagePreview: 'Thanks, it arrived',
  lastMessageAt: '2026-01-05T10:00:00.000Z',
})
const customer = customerOf({
  name: 'Rosa Diaz',
  language: 'es',
  identities: [
    { channel: current.channel, externalId: '2718281828', name: 'Rosa Diaz', handle: null },
    { channel: whatsapp, externalId: '5511900000123', name: null, handle: '<script>rosa</script>' },
  ],
  conversations: [current, earlier].map(({ id, channel, kind, status, messageCount, lastMessageAt, lastMessagePreview }) => ({
    id,
    channel,
    kind,
    status,
    messageCount,
    lastMessageAt,
    lastMessagePreview,
  })),
})

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('agent'))
})

describe('CustomerSidebar', () => {
  it('shows the customer, their identities on every channel and their earlier conversations', async () => {
    arrangeOpenConversation(api, { conversation: current, customer })
    const { container } = render(<ConversationPane />)

    const panel = await screen.findByRole('complementary', { name: 'Customer' })
    expect(await within(panel).findByRole('heading', { name: 'Rosa Diaz' })).toBeInTheDocument()
    expect(within(panel).getByText('es')).toBeInTheDocument()
    expect(within(panel).getByText('Conversations').nextElementSibling).toHaveTextContent('2')
    const identities = within(within(panel).getByRole('list', { name: 'Identities' })).getAllByRole('listitem')
    expect(identities).toHaveLength(2)
    expect(identities[1]).toHaveTextContent('<script>rosa</script>')
    expect(identities[1]).toHaveTextContent('5511900000123')
    expect(within(identities[1]!).getByTitle('Acme on WhatsApp')).toHaveTextContent('WA')
    expect(container.querySelector('script')).toBeNull()
    const history = within(panel).getByRole('list', { name: 'Earlier conversations' })
    expect(within(history).getAllByRole('listitem')).toHaveLength(1)
    expect(within(history).getByText('Thanks, it arrived')).toBeInTheDocument()
    expect(within(history).getByText('resolved')).toBeInTheDocument()
  })

  it('opens an earlier conversation in place, and its address in the URL', async () => {
    const user = userEvent.setup()
    arrangeOpenConversation(api, { conversation: current, customer })
    api.on('GET', `/api/conversations/${earlier.id}`, [200, { conversation: earlier, customer, draft: null }])
    api.on('GET', `/api/conversations/${earlier.id}/messages`, [200, { items: [] }])
    render(<ConversationPane />)

    await user.click(await screen.findByRole('button', { name: /Thanks, it arrived/ }))

    expect(window.location.pathname).toBe(`/inbox/${earlier.id}`)
    expect(await screen.findByRole('button', { name: 'Reopen' })).toBeInTheDocument()
    expect(within(screen.getByRole('region', { name: 'Conversation with Rosa Diaz' })).getByText(/Acme on WhatsApp ·/)).toBeInTheDocument()
    expect(api.requests('GET', `/api/conversations/${earlier.id}/messages`)).toHaveLength(1)
  })

  it('says when the customer cannot be loaded', async () => {
    arrangeOpenConversation(api, { conversation: current, customer })
    api.on('GET', `/api/conversations/${current.id}`, [500, { error: { code: 'internal', message: 'Something broke' } }])
    useStore.getState().upsertConversation(current)
    render(<ConversationPane />)

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load the customer: Something broke')
  })
})
