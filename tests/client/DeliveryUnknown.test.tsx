import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { MessageThread } from '../../client/src/features/conversation/MessageThread'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, messageOf } from './conversation-fixtures'
import { fakeApi, sessionOf, userOf } from './fake-api'

const agent = userOf('agent')
const check = 'The platform did not answer within 30 s. Look in the conversation on Messenger: if the reply is there, mark it sent.'
const unknown = messageOf({
  direction: 'outbound',
  authorKind: 'agent',
  agent: { id: agent.id, name: agent.name },
  text: 'Your refund is on its way',
  status: 'unknown',
  error: check,
})
const retryUrl = `/api/messages/${unknown.id}/retry`
const markSentUrl = `/api/messages/${unknown.id}/mark-sent`

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
})

async function openThread() {
  useStore.getState().startSession(sessionOf('agent'))
  arrangeOpenConversation(api, { messages: [unknown] })
  render(<ConversationPane />)
  const thread = await screen.findByRole('list', { name: 'Messages' })
  return within(thread).getByRole('group', { name: 'Delivery unknown' })
}

describe('MessageThread with a reply whose delivery is unknown', () => {
  it('shows it as neither sent nor failed, with what to check and both ways out', async () => {
    const delivery = await openThread()

    const bubble = delivery.closest('li')!
    expect(within(bubble).getByText('Delivery unknown')).toHaveClass('status-unknown')
    expect(within(bubble).queryByText('sent')).not.toBeInTheDocument()
    expect(within(bubble).queryByText('failed')).not.toBeInTheDocument()
    expect(within(delivery).getByText(check)).toBeInTheDocument()
    expect(within(delivery).getByRole('button', { name: 'Send again' })).toBeInTheDocument()
    expect(within(delivery).getByRole('button', { name: 'Mark as sent' })).toBeInTheDocument()
  })

  it('asks before sending again, then calls the retry route', async () => {
    const user = userEvent.setup()
    api.on('POST', retryUrl, [200, { ...unknown, status: 'queued', error: null }])
    const delivery = await openThread()

    await user.click(within(delivery).getByRole('button', { name: 'Send again' }))

    const question = within(delivery).getByRole('group', { name: /customer gets it twice/ })
    expect(question).toHaveTextContent('Send it again? If the first one did arrive, the customer gets it twice.')
    expect(api.requests('POST', retryUrl)).toHaveLength(0)
    const confirm = within(question).getByRole('button', { name: 'Yes, send again' })
    expect(confirm).toHaveFocus()

    await user.keyboard('{Enter}')

    expect(await screen.findByText('queued')).toBeInTheDocument()
    expect(api.requests('POST', retryUrl)).toHaveLength(1)
    expect(screen.queryByRole('group', { name: 'Delivery unknown' })).not.toBeInTheDocument()
  })

  it('sends nothing when the question is cancelled', async () => {
    const user = userEvent.setup()
    const delivery = await openThread()

    await user.click(within(delivery).getByRole('button', { name: 'Send again' }))
    await user.click(within(delivery).getByRole('button', { name: 'Cancel' }))

    expect(within(delivery).getByRole('button', { name: 'Send again' })).toHaveFocus()
    expect(api.requests('POST', retryUrl)).toHaveLength(0)
  })

  it('records that it arrived with Mark as sent, and shows it sent', async () => {
    const user = userEvent.setup()
    api.on('POST', markSentUrl, [200, { ...unknown, status: 'sent', error: null }])
    const delivery = await openThread()

    await user.click(within(delivery).getByRole('button', { name: 'Mark as sent' }))

    const bubble = (await screen.findByText('sent')).closest('li')!
    expect(within(bubble).getByText('Your refund is on its way')).toBeInTheDocument()
    expect(within(bubble).queryByText('Delivery unknown')).not.toBeInTheDocument()
    expect(within(bubble).queryByText(check)).not.toBeInTheDocument()
    expect(api.requests('POST', markSentUrl)).toHaveLength(1)
    expect(api.requests('POST', retryUrl)).toHaveLength(0)
  })

  it('says so when marking it sent is refused', async () => {
    const user = userEvent.setup()
    api.on('POST', markSentUrl, [409, { error: { code: 'conflict', message: 'This reply is no longer waiting for a decision' } }])
    const delivery = await openThread()

    await user.click(within(delivery).getByRole('button', { name: 'Mark as sent' }))

    expect(await within(delivery).findByRole('alert')).toHaveTextContent('Could not mark as sent: This reply is no longer waiting for a decision')
  })

  it('renders the check text as text, never as HTML', () => {
    const hostile = '<img src=x onerror="window.__pwned=1">Check <b>Messenger</b>'

    const { container } = render(<MessageThread messages={[{ ...unknown, error: hostile }]} onRetry={async () => null} onMarkSent={async () => null} />)

    expect(screen.getByText(hostile)).toBeInTheDocument()
    expect(container.querySelector('img, b')).toBeNull()
  })
})
