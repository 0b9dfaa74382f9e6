import type { Notification as CareboxNotification } from '@carebox/shared'
import { act, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { NotificationToasts } from '../../client/src/features/notifications/NotificationToasts'
import { notificationTitle } from '../../client/src/features/notifications/notification-text'
import { useStore } from '../../client/src/store/store'
import { otherConversationId } from './conversation-fixtures'
import { fakeApi, sessionOf } from './fake-api'

const kim = { id: '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000009', name: 'Kim Lee' }
const notificationOf = (overrides: Partial<CareboxNotification>): CareboxNotification => ({
  kind: 'assigned',
  conversationId: otherConversationId,
  by: kim,
  preview: 'Where is my order?',
  ...overrides,
})

beforeEach(() => {
  fakeApi()
  useStore.getState().startSession(sessionOf('agent'))
})

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('notificationTitle', () => {
  it('names the teammate who acted', () => {
    expect(notificationTitle(notificationOf({ kind: 'assigned' }))).toBe('Kim Lee assigned you a conversation')
    expect(notificationTitle(notificationOf({ kind: 'mentioned' }))).toBe('Kim Lee mentioned you in a note')
  })

  it('names Carebox when no one did: auto-assignment and rules', () => {
    expect(notificationTitle(notificationOf({ kind: 'assigned', by: null }))).toBe('Carebox assigned you a conversation')
    expect(notificationTitle(notificationOf({ kind: 'rule', by: null }))).toBe('Carebox flagged a conversation for you')
  })

  it('leads an SLA warning with what it is about', () => {
    expect(notificationTitle(notificationOf({ kind: 'sla', by: null }))).toBe('SLA at risk')
  })
})

describe('NotificationToasts', () => {
  it('shows an auto-assignment as done by Carebox', () => {
    render(<NotificationToasts />)

    act(() => useStore.getState().receiveNotification(notificationOf({ by: null })))

    const toasts = screen.getByRole('region', { name: 'Notifications' })
    expect(toasts).toHaveTextContent('Carebox assigned you a conversation')
  })

  it("shows an SLA warning with the rule's text, marked as one", () => {
    render(<NotificationToasts />)

    act(() => useStore.getState().receiveNotification(notificationOf({ kind: 'sla', by: null, preview: 'First response due in 15 min' })))

    const toast = within(screen.getByRole('region', { name: 'Notifications' })).getByRole('listitem')
    expect(toast).toHaveClass('toast-sla')
    expect(within(toast).getByText('SLA at risk')).toBeInTheDocument()
    expect(within(toast).getByText('First response due in 15 min')).toBeInTheDocument()
    expect(within(toast).getByRole('link', { name: 'Open conversation' })).toHaveAttribute('href', `/inbox/${otherConversationId}`)
  })
})
