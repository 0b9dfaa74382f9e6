import type { Notification as CareboxNotification } from '@carebox/shared'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { syncSocketWithSession } from '../../client/src/api/socket'
import { NotificationSettings } from '../../client/src/features/notifications/NotificationSettings'
import { NotificationToasts } from '../../client/src/features/notifications/NotificationToasts'
import { useStore } from '../../client/src/store/store'
import { otherConversationId } from './conversation-fixtures'
import { fakeApi, sessionOf } from './fake-api'
import type { FakeSocket } from './fake-socket'

const { sockets } = vi.hoisted(() => ({ sockets: [] as FakeSocket[] }))
vi.mock('socket.io-client', async () => (await import('./fake-socket')).fakeSocketModule(sockets))

const assigned: CareboxNotification = {
  kind: 'assigned',
  conversationId: otherConversationId,
  by: { id: '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000009', name: 'Kim Lee' },
  preview: '<img src=x onerror="window.__pwned=1">Where is my order?',
}

/** The browser's Notification API, as a page with the given permission sees it. */
function stubBrowserNotifications(permission: NotificationPermission) {
  const shown: { title: string; options: NotificationOptions | undefined }[] = []
  const BrowserNotification = Object.assign(
    vi.fn(function (this: object, title: string, options?: NotificationOptions) {
      shown.push({ title, options })
    }),
    { permission, requestPermission: vi.fn(async () => (BrowserNotification.permission = 'granted')) },
  )
  vi.stubGlobal('Notification', BrowserNotification)
  return { shown, BrowserNotification }
}

let stop: () => void

beforeEach(() => {
  sockets.length = 0
  fakeApi()
  stop = syncSocketWithSession()
  useStore.getState().startSession(sessionOf('agent'))
  act(() => sockets[0]!.receive('connect'))
})

afterEach(() => {
  stop()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  window.localStorage.clear()
})

describe('notification.created', () => {
  it('shows a toast that links to the conversation, with the preview as text', async () => {
    const user = userEvent.setup()
    const { container } = render(<NotificationToasts />)

    act(() => sockets[0]!.receive('notification.created', assigned))

    const toasts = screen.getByRole('region', { name: 'Notifications' })
    expect(toasts).toHaveTextContent('Kim Lee assigned you a conversation')
    expect(within(toasts).getByText(assigned.preview)).toBeInTheDocument()
    expect(container.querySelector('img')).toBeNull()
    const link = within(toasts).getByRole('link', { name: 'Open conversation' })
    expect(link).toHaveAttribute('href', `/inbox/${otherConversationId}`)
    await user.click(link)
    expect(window.location.pathname).toBe(`/inbox/${otherConversationId}`)
    expect(screen.queryByRole('region', { name: 'Notifications' })).not.toBeInTheDocument()
  })

  it('folds a burst into one card that counts it and names the newest', () => {
    render(<NotificationToasts />)

    for (let i = 1; i <= 5; i++) act(() => sockets[0]!.receive('notification.created', { ...assigned, by: null, preview: `Conversation ${i}` }))

    const toasts = screen.getByRole('region', { name: 'Notifications' })
    expect(toasts).toHaveTextContent('5 new notifications')
    expect(within(toasts).getByText('Conversation 5')).toBeInTheDocument()
    expect(within(toasts).queryByText('Conversation 2')).not.toBeInTheDocument()
  })

  it('says who mentioned you, and goes away when dismissed', async () => {
    const user = userEvent.setup()
    render(<NotificationToasts />)

    act(() => sockets[0]!.receive('notification.created', { ...assigned, kind: 'mentioned', preview: '@Maya Agent can you call her?' }))
    expect(screen.getByRole('region', { name: 'Notifications' })).toHaveTextContent('Kim Lee mentioned you in a note')
    await user.click(screen.getByRole('button', { name: 'Dismiss' }))

    expect(screen.queryByRole('region', { name: 'Notifications' })).not.toBeInTheDocument()
  })

  it('also shows a browser notification when allowed and the console is in the background', () => {
    const { shown } = stubBrowserNotifications('granted')
    vi.spyOn(document, 'hasFocus').mockReturnValue(false)
    render(<NotificationToasts />)

    act(() => sockets[0]!.receive('notification.created', assigned))

    expect(shown).toEqual([{ title: 'Kim Lee assigned you a conversation', options: { body: assigned.preview, tag: `carebox:${otherConversationId}` } }])
  })

  it('plays a chime made with WebAudio when the sound is turned on', () => {
    const oscillators: { frequency: { value: number } }[] = []
    const param = () => ({ setValueAtTime: vi.fn(), exponentialRampToValueAtTime: vi.fn() })
    class FakeAudioContext {
      state = 'running'
      currentTime = 0
      destination = {}
      createGain = () => ({ gain: param(), connect: vi.fn() })
      createOscillator = () => {
        const tone = { type: '', frequency: { value: 0 }, connect: vi.fn(), start: vi.fn(), stop: vi.fn() }
        oscillators.push(tone)
        return tone
      }
    }
    vi.stubGlobal('AudioContext', FakeAudioContext)
    window.localStorage.setItem('carebox.notificationSound', 'on')
    render(<NotificationToasts />)

    act(() => sockets[0]!.receive('notification.created', assigned))

    expect(oscillators.map((o) => o.frequency.value)).toEqual([880, 1318.5])
  })
})

describe('NotificationSettings', () => {
  it('asks the browser for permission when "Turn on notifications" is clicked', async () => {
    const user = userEvent.setup()
    const { BrowserNotification } = stubBrowserNotifications('default')
    render(<NotificationSettings />)

    await user.click(screen.getByRole('button', { name: 'Turn on notifications' }))

    expect(BrowserNotification.requestPermission).toHaveBeenCalledTimes(1)
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Turn on notifications' })).not.toBeInTheDocument())
  })

  it('keeps the sound setting on this device', async () => {
    const user = userEvent.setup()
    render(<NotificationSettings />)

    await user.click(screen.getByRole('checkbox', { name: 'Sound for notifications' }))

    expect(screen.getByRole('checkbox', { name: 'Sound for notifications' })).toBeChecked()
    expect(window.localStorage.getItem('carebox.notificationSound')).toBe('on')
  })
})
