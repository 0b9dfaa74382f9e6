import { act, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { App } from '../../client/src/App'
import { WallboardPage } from '../../client/src/features/wallboard/WallboardPage'
import { useStore } from '../../client/src/store/store'
import { conversationOf, messageOf } from './conversation-fixtures'
import { fakeApi, sessionOf, support } from './fake-api'
import type { FakeSocket } from './fake-socket'
import { arrangeDashboard, wallboardOf } from './report-fixtures'

const { sockets } = vi.hoisted(() => ({ sockets: [] as FakeSocket[] }))
vi.mock('socket.io-client', async () => (await import('./fake-socket')).fakeSocketModule(sockets))

const { syncSocketWithSession } = await import('../../client/src/api/socket')

let api: ReturnType<typeof fakeApi>
let stop: () => void

beforeEach(() => {
  sockets.length = 0
  api = fakeApi()
  api.on('GET', '/api/reports/wallboard', [200, wallboardOf()])
  api.on('GET', '/api/teams', [200, { items: [support] }])
  stop = syncSocketWithSession()
})

afterEach(() => {
  stop()
  vi.useRealTimers()
})

function signInAs(role: 'agent' | 'lead') {
  useStore.getState().startSession(sessionOf(role))
  act(() => sockets[0]!.receive('connect'))
}

function figure(name: string): string {
  return within(screen.getByRole('region', { name })).getByText((_, element) => element?.classList.contains('wallboard-value') ?? false).textContent ?? ''
}

const wallboardRequests = () => api.requests('GET', '/api/reports/wallboard').length

describe('WallboardPage', () => {
  it('shows the live figures big: waiting now, oldest wait, at risk, agents online, today’s response rate', async () => {
    signInAs('lead')

    render(<WallboardPage />)

    await screen.findByRole('region', { name: 'Waiting now' })
    expect(figure('Waiting now')).toBe('7')
    expect(figure('Oldest wait')).toMatch(/^4:0[78]$/)
    expect(figure('At risk')).toBe('2')
    expect(screen.getByRole('region', { name: 'At risk' })).toHaveTextContent('breached or due within 15 minutes')
    expect(figure('Agents online')).toBe('5')
    expect(figure('Response rate today')).toBe('80%')
    expect(screen.getByRole('region', { name: 'Response rate today' })).toHaveTextContent('24 of 30 conversations answered')
  })

  it('ticks the oldest wait on, and asks again every 5 s', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const oldestWaitingSince = new Date(Date.now() - 60_000).toISOString()
    api.on('GET', '/api/reports/wallboard', () => [200, wallboardOf({ oldestWaitingSince })])
    signInAs('lead')
    render(<WallboardPage />)
    await screen.findByRole('region', { name: 'Waiting now' })
    const before = wallboardRequests()
    expect(figure('Oldest wait')).toMatch(/^1:0[01]$/)

    await act(() => vi.advanceTimersByTimeAsync(5_000))

    expect(wallboardRequests()).toBe(before + 1)
    expect(figure('Oldest wait')).toMatch(/^1:0[56]$/)
  })

  it('asks again soon after a live event, once for a burst of them', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    signInAs('lead')
    render(<WallboardPage />)
    await screen.findByRole('region', { name: 'Waiting now' })
    const before = wallboardRequests()
    api.on('GET', '/api/reports/wallboard', [200, wallboardOf({ waitingNow: 8 })])

    act(() => sockets[0]!.receive('message.created', { conversation: conversationOf(), message: messageOf() }))

    await vi.waitFor(() => expect(figure('Waiting now')).toBe('8'))
    expect(wallboardRequests()).toBe(before + 1)
    act(() => sockets[0]!.receive('presence.updated', { userId: '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000009', presence: 'online' }))
    act(() => sockets[0]!.receive('conversation.updated', { conversation: conversationOf({ status: 'resolved' }) }))
    expect(wallboardRequests()).toBe(before + 1)
    await act(() => vi.advanceTimersByTimeAsync(2_000))
    expect(wallboardRequests()).toBe(before + 2)
  })

  it('does not keep its user online: a screen on the wall is not someone at the console', async () => {
    signInAs('lead')

    const { unmount } = render(<WallboardPage />)
    await screen.findByRole('region', { name: 'Waiting now' })

    expect(sockets[0]!.sentAs('presence.activity').at(-1)).toEqual({ active: false })
    unmount()
    expect(sockets[0]!.sentAs('presence.activity').at(-1)).toEqual({ active: true })
  })

  it('asks for the team the address names', async () => {
    api.on('GET', `/api/reports/wallboard?teamId=${support.id}`, [200, wallboardOf({ waitingNow: 3 })])
    window.history.replaceState(null, '', `/wallboard?teamId=${support.id}`)
    signInAs('lead')

    render(<WallboardPage />)

    expect(await screen.findByRole('heading', { level: 1, name: 'Support' })).toBeInTheDocument()
    expect(figure('Waiting now')).toBe('3')
  })

  it('stops asking once closed', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    signInAs('lead')
    const { unmount } = render(<WallboardPage />)
    await screen.findByRole('region', { name: 'Waiting now' })
    unmount()
    const after = wallboardRequests()

    await act(() => vi.advanceTimersByTimeAsync(12_000))
    act(() => sockets[0]!.receive('presence.updated', { userId: '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000009', presence: 'away' }))

    expect(wallboardRequests()).toBe(after)
  })

  it('opens at /wallboard from the dashboard’s TV mode link, without the console around it', async () => {
    api.on('GET', '/api/auth/me', [200, sessionOf('lead')])
    arrangeDashboard(api)
    useStore.getState().syncPath('/dashboard')
    window.history.replaceState(null, '', '/dashboard')
    const user = userEvent.setup()
    render(<App />)

    // Both pages load lazily (their own chunks, charts included): a slow machine takes a while to import them.
    await user.click(await screen.findByRole('link', { name: 'TV mode' }, { timeout: 10_000 }))

    expect(window.location.pathname).toBe('/wallboard')
    expect(await screen.findByRole('main', { name: 'Wallboard' }, { timeout: 10_000 })).toBeInTheDocument()
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument()
  })

  it('is not for agents', async () => {
    api.on('GET', '/api/auth/me', [200, sessionOf('agent')])
    useStore.getState().syncPath('/wallboard')

    render(<App />)

    expect(await screen.findByText('Not available')).toBeInTheDocument()
    expect(screen.queryByRole('main', { name: 'Wallboard' })).not.toBeInTheDocument()
    expect(wallboardRequests()).toBe(0)
  })
})
