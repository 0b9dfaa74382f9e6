import type { Message, Notification, Survey } from '@carebox/shared'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { MessageThread } from '../../client/src/features/conversation/MessageThread'
import { surveyScheduleWaitMs } from '../../client/src/features/conversation/SatisfactionSurvey'
import { NotificationToasts } from '../../client/src/features/notifications/NotificationToasts'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationId, conversationOf, hoursAgo, messageOf, otherConversationId } from './conversation-fixtures'
import { fakeApi, sessionOf } from './fake-api'

const surveysUrl = `/api/conversations/${conversationId}/surveys`
const resolved = conversationOf({ status: 'resolved' })

function surveyOf(overrides: Partial<Survey> = {}): Survey {
  return {
    id: crypto.randomUUID(),
    status: 'scheduled',
    reason: null,
    rating: null,
    comment: null,
    dueAt: new Date().toISOString(),
    offeredAt: null,
    answeredAt: null,
    ...overrides,
  }
}

/** Today at 14:05 in the test's time zone, as an ISO moment. */
function todayAt(hours: number, minutes: number): string {
  const at = new Date()
  at.setHours(hours, minutes, 0, 0)
  return at.toISOString()
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('agent'))
})

afterEach(() => {
  vi.useRealTimers()
})

async function openWith(surveys: Survey[], messages: Message[] = []) {
  api.on('GET', surveysUrl, [200, { items: surveys }])
  arrangeOpenConversation(api, { conversation: resolved, messages })
  render(<ConversationPane />)
  await screen.findByRole('group', { name: 'Conversation actions' })
  await waitFor(() => expect(api.requests('GET', surveysUrl)).toHaveLength(1))
}

describe('SatisfactionSurvey', () => {
  it('says when a scheduled survey is due', async () => {
    const dueAt = todayAt(14, 5)
    await openWith([surveyOf({ status: 'scheduled', dueAt })])

    const block = await screen.findByRole('region', { name: 'Satisfaction' })
    expect(block).toHaveTextContent(/^SatisfactionSurvey due at \S/)
    expect(within(block).getByRole('time')).toHaveAttribute('datetime', dueAt)
  })

  it('says when the customer was asked, and that no answer came yet', async () => {
    const offeredAt = todayAt(14, 5)
    await openWith([surveyOf({ status: 'offered', offeredAt })])

    const block = await screen.findByRole('region', { name: 'Satisfaction' })
    expect(block).toHaveTextContent(/^SatisfactionAsked \S.* · no answer yet$/)
    expect(within(block).getByRole('time')).toHaveAttribute('datetime', offeredAt)
  })

  it("shows the rating with the customer's comment", async () => {
    await openWith([surveyOf({ status: 'answered', rating: 4, comment: 'Fast and friendly', offeredAt: hoursAgo(2), answeredAt: hoursAgo(1) })])

    const block = await screen.findByRole('region', { name: 'Satisfaction' })
    expect(block).toHaveTextContent('Rated 4/5 · Fast and friendly')
    expect(within(block).getByText('Fast and friendly').tagName).toBe('Q')
    expect(within(block).getByText('Rated 4/5')).not.toHaveClass('survey-rating-low')
  })

  it('marks a rating of 1 or 2 as low', async () => {
    await openWith([surveyOf({ status: 'answered', rating: 2, offeredAt: hoursAgo(2), answeredAt: hoursAgo(1) })])

    const block = await screen.findByRole('region', { name: 'Satisfaction' })
    expect(within(block).getByText('Rated 2/5')).toHaveClass('survey-rating-low')
  })

  it('says a survey was answered without the rating when the team keeps ratings from agents', async () => {
    await openWith([surveyOf({ status: 'answered', rating: null, comment: null, offeredAt: hoursAgo(2), answeredAt: hoursAgo(1) })])

    expect(await screen.findByRole('region', { name: 'Satisfaction' })).toHaveTextContent(/^SatisfactionRated \(hidden from agents\)$/)
  })

  it('says why a survey was not offered', async () => {
    const reason = 'WhatsApp no longer allows a message to this customer: the 24-hour window has closed.'
    await openWith([surveyOf({ status: 'not_offered', reason })])

    expect(await screen.findByRole('region', { name: 'Satisfaction' })).toHaveTextContent(`Not offered: ${reason}`)
  })

  it("shows the customer's comment as text, never as markup", async () => {
    const comment = '<img src=x onerror=alert(1)> <b>meh</b>'
    await openWith([surveyOf({ status: 'answered', rating: 3, comment, offeredAt: hoursAgo(2), answeredAt: hoursAgo(1) })])

    const block = await screen.findByRole('region', { name: 'Satisfaction' })
    expect(within(block).getByText(comment)).toBeInTheDocument()
    expect(block.querySelector('img, b')).toBeNull()
  })

  it('folds the earlier surveys under the latest', async () => {
    await openWith([
      surveyOf({ status: 'offered', offeredAt: hoursAgo(1) }),
      surveyOf({ status: 'answered', rating: 5, offeredAt: hoursAgo(50), answeredAt: hoursAgo(49) }),
    ])

    const block = await screen.findByRole('region', { name: 'Satisfaction' })
    expect(within(block).getByText('Earlier surveys (1)')).toBeInTheDocument()
    expect(within(block).getByRole('list', { name: 'Earlier surveys', hidden: true })).toHaveTextContent('Rated 5/5')
  })

  it('shows nothing before a conversation has a survey', async () => {
    await openWith([])

    expect(screen.queryByRole('region', { name: 'Satisfaction' })).not.toBeInTheDocument()
  })

  it('reads the surveys again when a message arrives in the open conversation', async () => {
    await openWith([surveyOf({ id: 'a0b1c2d3-0000-4000-8000-000000000001', status: 'offered', offeredAt: hoursAgo(1) })])
    expect(await screen.findByRole('region', { name: 'Satisfaction' })).toHaveTextContent('no answer yet')
    api.on('GET', surveysUrl, [
      200,
      {
        items: [
          surveyOf({ id: 'a0b1c2d3-0000-4000-8000-000000000001', status: 'answered', rating: 5, offeredAt: hoursAgo(1), answeredAt: new Date().toISOString() }),
        ],
      },
    ])

    const rating = messageOf({ text: '5', closesLoop: 'rating', sentAt: new Date().toISOString() })
    act(() => useStore.getState().receiveMessage(resolved, rating))

    await waitFor(() => expect(screen.getByRole('region', { name: 'Satisfaction' })).toHaveTextContent('Rated 5/5'))
    expect(api.requests('GET', surveysUrl)).toHaveLength(2)
  })

  it('reads the surveys again a moment after the conversation is resolved, when its survey is scheduled', async () => {
    const open = conversationOf({ status: 'open' })
    api.on('GET', surveysUrl, [200, { items: [] }])
    arrangeOpenConversation(api, { conversation: open })
    render(<ConversationPane />)
    await screen.findByRole('group', { name: 'Conversation actions' })
    await waitFor(() => expect(api.requests('GET', surveysUrl)).toHaveLength(1))
    const dueAt = new Date(Date.now() + 5 * 60_000).toISOString()
    api.on('GET', surveysUrl, [200, { items: [surveyOf({ status: 'scheduled', dueAt })] }])
    vi.useFakeTimers()

    act(() => useStore.getState().upsertConversation(resolved, 'live'))
    expect(api.requests('GET', surveysUrl)).toHaveLength(1)
    act(() => vi.advanceTimersByTime(surveyScheduleWaitMs))
    vi.useRealTimers()

    expect(await screen.findByRole('region', { name: 'Satisfaction' })).toHaveTextContent(/Survey due/)
    expect(api.requests('GET', surveysUrl)).toHaveLength(2)
  })

  it('does not read the surveys again for a message in another conversation', async () => {
    await openWith([surveyOf({ status: 'offered', offeredAt: hoursAgo(1) })])

    act(() => useStore.getState().receiveMessage(conversationOf({ id: otherConversationId }), messageOf({ conversationId: otherConversationId, text: 'Hi' })))

    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(api.requests('GET', surveysUrl)).toHaveLength(1)
  })
})

describe('ClosesLoopLabel', () => {
  it("labels the customer's messages that were kept without reopening, and no others", () => {
    const messages = [
      messageOf({ text: '⭐⭐⭐⭐', closesLoop: 'rating', sentAt: '2026-03-02T09:00:00.000Z' }),
      messageOf({ text: 'Fast and friendly', closesLoop: 'comment', sentAt: '2026-03-02T09:01:00.000Z' }),
      messageOf({ text: 'Thanks, all good!', closesLoop: 'thanks', sentAt: '2026-03-02T09:02:00.000Z' }),
      messageOf({ text: 'Actually, one more thing?', sentAt: '2026-03-02T09:03:00.000Z' }),
      messageOf({
        text: 'How did we do? Tap a number from 1 (poor) to 5 (great), or reply with one.',
        direction: 'outbound',
        authorKind: 'agent',
        automated: true,
        status: 'sent',
        sentAt: '2026-03-02T08:59:00.000Z',
      }),
    ]

    render(<MessageThread messages={messages} />)

    const items = within(screen.getByRole('list', { name: 'Messages' })).getAllByRole('listitem')
    const labelOf = (text: string) => items.find((item) => item.textContent?.includes(text))?.querySelector('.closes-loop')?.textContent ?? null
    expect(labelOf('⭐⭐⭐⭐')).toBe('Rating · kept resolved')
    expect(labelOf('Fast and friendly')).toBe('Comment on the rating · kept resolved')
    expect(labelOf('Thanks, all good!')).toBe('Thanks after the resolve · kept resolved')
    expect(labelOf('Actually, one more thing?')).toBeNull()
    expect(labelOf('How did we do?')).toBeNull()
    expect(items.find((item) => item.textContent?.includes('How did we do?'))).toHaveTextContent(/^Automatic reply/)
  })
})

describe('a low rating notification', () => {
  it('says what happened, shows the rating as text and opens the conversation', async () => {
    const user = userEvent.setup()
    useStore.getState().startSession(sessionOf('lead'))
    const notification: Notification = { kind: 'low_rating', conversationId: otherConversationId, by: null, preview: 'Rated 1 out of 5: <b>never again</b>' }
    render(<NotificationToasts />)

    act(() => useStore.getState().receiveNotification(notification))

    const toast = within(screen.getByRole('region', { name: 'Notifications' })).getByRole('listitem')
    expect(toast).toHaveClass('toast-low_rating')
    expect(within(toast).getByText('A customer gave a low rating')).toBeInTheDocument()
    expect(within(toast).getByText('Rated 1 out of 5: <b>never again</b>')).toBeInTheDocument()
    await user.click(within(toast).getByRole('link', { name: 'Open conversation' }))
    expect(useStore.getState().path).toBe(`/inbox/${otherConversationId}`)
    expect(screen.queryByRole('listitem')).not.toBeInTheDocument()
  })
})
