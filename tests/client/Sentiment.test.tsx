import { csrfHeader, type AutomationRule, type Channel, type ConversationSummary, type SentimentChange } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { syncSocketWithSession } from '../../client/src/api/socket'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { MessageThread } from '../../client/src/features/conversation/MessageThread'
import { InboxPage } from '../../client/src/features/inbox/InboxPage'
import { RulesPanel } from '../../client/src/features/settings/RulesPanel'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, channelId, conversationOf, listUrl, messageOf, otherConversationId } from './conversation-fixtures'
import { csrfToken, fakeApi, sessionOf, support } from './fake-api'
import type { FakeSocket } from './fake-socket'

const { sockets } = vi.hoisted(() => ({ sockets: [] as FakeSocket[] }))
vi.mock('socket.io-client', async () => (await import('./fake-socket')).fakeSocketModule(sockets))

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  sockets.length = 0
  api = fakeApi()
})

describe('SentimentChip', () => {
  it('labels each customer message with its sentiment in words, and our replies with none', () => {
    render(
      <MessageThread
        messages={[
          messageOf({ text: 'The refund arrived, thanks!', sentiment: { label: 'positive', by: 'model' } }),
          messageOf({ text: 'Still broken', sentiment: { label: 'negative', by: 'person' } }),
          messageOf({ direction: 'outbound', authorKind: 'agent', text: 'Glad to hear it', status: 'sent' }),
        ]}
      />,
    )

    expect(screen.getByRole('button', { name: 'Sentiment: Positive. Change' })).toHaveTextContent('Positive')
    expect(screen.getByRole('button', { name: 'Sentiment: Negative, set by a teammate. Change' })).toBeInTheDocument()
    expect(screen.getAllByRole('button', { name: /^Sentiment:/ })).toHaveLength(2)
  })

  it('reclassifies a message in one click from the chip, and shows the person’s label at once', async () => {
    const user = userEvent.setup()
    useStore.getState().startSession(sessionOf('agent'))
    // Past the first landing (an agent's is in Mine, see WorkFlow.test.tsx): these tests start in All open.
    useStore.setState({ hasLandedInInbox: true })
    const praise = messageOf({ text: 'Balík dnes ráno konečně dorazil, díky', sentiment: { label: 'positive', by: 'model' } })
    arrangeOpenConversation(api, { messages: [praise] })
    const url = `/api/messages/${praise.id}/sentiment`
    const change: SentimentChange = { messageId: praise.id, conversationId: praise.conversationId, sentiment: { label: 'neutral', by: 'person' }, setAt: null }
    api.on('POST', url, [200, change])
    render(<ConversationPane />)

    await user.click(await screen.findByRole('button', { name: 'Sentiment: Positive. Change' }))
    await user.click(within(screen.getByRole('group', { name: 'Set the sentiment' })).getByRole('button', { name: 'Neutral' }))

    expect(await screen.findByRole('button', { name: 'Sentiment: Neutral, set by a teammate. Change' })).toBeInTheDocument()
    const [request] = api.requests('POST', url)
    expect(request?.body).toEqual({ label: 'neutral' })
    expect(request?.headers[csrfHeader]).toBe(csrfToken)
    expect(screen.queryByRole('group', { name: 'Set the sentiment' })).not.toBeInTheDocument()
  })

  it('says why when the server refuses, and keeps the label it had', async () => {
    const user = userEvent.setup()
    useStore.getState().startSession(sessionOf('agent'))
    // Past the first landing (an agent's is in Mine, see WorkFlow.test.tsx): these tests start in All open.
    useStore.setState({ hasLandedInInbox: true })
    const message = messageOf({ text: 'Where is my parcel?', sentiment: { label: 'neutral', by: 'model' } })
    arrangeOpenConversation(api, { messages: [message] })
    api.on('POST', `/api/messages/${message.id}/sentiment`, [404, { error: { code: 'not_found', message: 'No such message.' } }])
    render(<ConversationPane />)

    await user.click(await screen.findByRole('button', { name: 'Sentiment: Neutral. Change' }))
    await user.click(screen.getByRole('button', { name: 'Negative' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('No such message.')
    expect(screen.getByRole('button', { name: 'Sentiment: Neutral. Change' })).toBeInTheDocument()
  })
})

describe('the inbox row', () => {
  afterEach(() => vi.useRealTimers())

  it('marks a conversation whose customer’s latest message reads negative, and no other', async () => {
    const channel = { id: channelId, kind: 'facebook', name: 'Acme on Messenger', teamId: support.id } as Channel
    const angry = conversationOf({ sentiment: 'negative' })
    const happy = conversationOf({ id: otherConversationId, contact: { id: crypto.randomUUID(), name: 'Tom Baker', handle: null }, sentiment: 'positive' })
    api.on('GET', '/api/channels', [200, [channel]])
    api.on('GET', listUrl(), [200, { items: [angry, happy] as ConversationSummary[], nextCursor: null }])
    const stop = syncSocketWithSession()
    useStore.getState().startSession(sessionOf('agent'))
    // Past the first landing (an agent's is in Mine, see WorkFlow.test.tsx): these tests start in All open.
    useStore.setState({ hasLandedInInbox: true })
    render(<InboxPage />)

    const list = await screen.findByRole('list', { name: 'Conversations' })
    await within(list).findByText('Tom Baker')

    const angryRow = within(list).getByText('Rosa Diaz').closest('li')!
    const happyRow = within(list).getByText('Tom Baker').closest('li')!
    expect(within(angryRow).getByText('Negative')).toBeInTheDocument()
    expect(within(happyRow).queryByText(/Negative|Positive/)).not.toBeInTheDocument()
    stop()
  })
})

describe('the rules editor', () => {
  it('sends and shows a condition on the sentiment of the customer’s message', async () => {
    const rule: AutomationRule = {
      id: '8e3a4b5c-6d7e-4f80-9a1b-2c3d4e5f0009',
      teamId: null,
      position: 1,
      name: 'Complaint words: urgent',
      enabled: true,
      trigger: 'message.received',
      afterMinutes: null,
      conditions: { keywords: ['refund'], sentiments: ['negative'] },
      actions: [{ type: 'set_priority', priority: 'urgent' }],
      updatedAt: '2026-03-01T09:00:00.000Z',
    }
    api.on('GET', '/api/rules', [200, { items: [rule] }])
    api.on('GET', '/api/teams', [200, { items: [support] }])
    api.on('POST', '/api/rules', ({ body }) => [200, { ...rule, ...(body as object), id: '8e3a4b5c-6d7e-4f80-9a1b-2c3d4e5f0010', position: 2 }])
    useStore.getState().startSession(sessionOf('lead'))
    const user = userEvent.setup()
    render(<RulesPanel />)

    const row = await screen.findByRole('row', { name: rule.name })
    expect(within(row).getByText('Words: “refund” · Sentiment: negative')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Add a rule' }))
    const form = screen.getByRole('form', { name: 'Add a rule' })
    await user.type(within(form).getByLabelText('Name'), 'Unhappy customers')
    const sentiments = within(form).getByRole('group', { name: 'The customer’s message reads as' })
    await user.click(within(sentiments).getByRole('checkbox', { name: 'Negative' }))
    await user.click(within(form).getByRole('button', { name: 'Add rule' }))

    expect(await screen.findByRole('row', { name: 'Unhappy customers' })).toBeInTheDocument()
    const [request] = api.requests('POST', '/api/rules')
    expect((request?.body as { conditions: object }).conditions).toEqual({ sentiments: ['negative'] })
  })
})
