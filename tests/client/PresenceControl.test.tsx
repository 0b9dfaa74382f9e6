import { autoAwayMinutes, type Agent, type Presence } from '@carebox/shared'
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { syncSocketWithSession } from '../../client/src/api/socket'
import { PresenceControl } from '../../client/src/features/shell/PresenceControl'
import { useActivityReporter } from '../../client/src/features/shell/useActivityReporter'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf, support, userOf } from './fake-api'
import type { FakeSocket } from './fake-socket'

const { sockets } = vi.hoisted(() => ({ sockets: [] as FakeSocket[] }))
vi.mock('socket.io-client', async () => (await import('./fake-socket')).fakeSocketModule(sockets))

const me = userOf('agent')
const teammateId = '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000009'
const minuteMs = 60_000

function agentOf(id: string, presence: Presence): Agent {
  return {
    id,
    name: 'Someone',
    role: 'agent',
    teamIds: [support.id],
    presence,
    presenceAt: null,
    load: 0,
    capacity: 10,
    capacityByKind: {},
    languages: [],
    channelKinds: [],
  }
}

let api: ReturnType<typeof fakeApi>
let stop: () => void

beforeEach(() => {
  sockets.length = 0
  api = fakeApi()
  stop = syncSocketWithSession()
  useStore.getState().startSession(sessionOf('agent'))
})

afterEach(() => {
  stop()
  vi.useRealTimers()
})

function connect(): FakeSocket {
  const socket = sockets[0]!
  act(() => socket.receive('connect'))
  return socket
}

function ActivityReporter() {
  useActivityReporter()
  return null
}

describe('useActivityReporter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  })

  it(`reports the console inactive after ${autoAwayMinutes} minutes without activity, and active again at the next key`, () => {
    const socket = connect()
    render(<ActivityReporter />)
    expect(socket.sentAs('presence.activity')).toEqual([{ active: true }])

    act(() => vi.advanceTimersByTime(autoAwayMinutes * minuteMs - 1))
    expect(socket.sentAs('presence.activity')).toEqual([{ active: true }])
    act(() => vi.advanceTimersByTime(1))
    expect(socket.sentAs('presence.activity')).toEqual([{ active: true }, { active: false }])
    fireEvent.keyDown(document.body, { key: 'j' })

    expect(socket.sentAs('presence.activity')).toEqual([{ active: true }, { active: false }, { active: true }])
  })

  it('sends only changes: activity while active says nothing', () => {
    const socket = connect()
    render(<ActivityReporter />)

    fireEvent.keyDown(document.body, { key: 'j' })
    fireEvent.pointerMove(document.body)
    fireEvent.pointerDown(document.body)

    expect(socket.sentAs('presence.activity')).toEqual([{ active: true }])
  })

  it('counts the idle time from the last activity', () => {
    const socket = connect()
    render(<ActivityReporter />)

    act(() => vi.advanceTimersByTime(4 * minuteMs))
    fireEvent.pointerDown(document.body)
    act(() => vi.advanceTimersByTime(4 * minuteMs))
    expect(socket.sentAs('presence.activity')).toEqual([{ active: true }])
    act(() => vi.advanceTimersByTime(minuteMs))

    expect(socket.sentAs('presence.activity')).toEqual([{ active: true }, { active: false }])
  })

  it('says again on reconnecting that the console is idle', () => {
    const socket = connect()
    render(<ActivityReporter />)
    act(() => vi.advanceTimersByTime(autoAwayMinutes * minuteMs))

    act(() => socket.receive('disconnect', 'transport close'))
    act(() => socket.receive('connect'))

    expect(socket.sentAs('presence.activity')).toEqual([{ active: true }, { active: false }, { active: false }])
  })
})

describe('PresenceControl', () => {
  it('shows offline until the server says where you stand, then what it says', async () => {
    api.on('GET', '/api/routing/agents', [200, { items: [agentOf(teammateId, 'online'), agentOf(me.id, 'away')] }])
    render(<PresenceControl />)
    expect(screen.getByRole('combobox', { name: 'Your status' })).toHaveDisplayValue('Offline')

    connect()

    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Your status' })).toHaveDisplayValue('Away'))
  })

  it('says you are away when you choose it', async () => {
    const user = userEvent.setup()
    api.on('GET', '/api/routing/agents', [200, { items: [agentOf(me.id, 'online')] }])
    api.on('PUT', '/api/routing/presence', [200, { presence: 'away' }])
    render(<PresenceControl />)
    connect()
    const control = screen.getByRole('combobox', { name: 'Your status' })
    await waitFor(() => expect(control).toHaveDisplayValue('Online'))

    await user.selectOptions(control, 'Away')

    expect(api.requests('PUT', '/api/routing/presence').map((r) => r.body)).toEqual([{ presence: 'away' }])
    await waitFor(() => expect(control).toHaveDisplayValue('Away'))
  })

  it('says why when the choice is refused', async () => {
    const user = userEvent.setup()
    api.on('PUT', '/api/routing/presence', [500, { error: { code: 'internal', message: 'Something broke' } }])
    act(() => useStore.getState().receivePresence(me.id, 'online'))
    render(<PresenceControl />)

    await user.selectOptions(screen.getByRole('combobox', { name: 'Your status' }), 'Away')

    expect(await screen.findByRole('alert')).toHaveTextContent('Something broke')
    expect(screen.getByRole('combobox', { name: 'Your status' })).toHaveDisplayValue('Online')
  })

  it('follows presence.updated for yourself (auto-away), not for teammates, and passes both on', async () => {
    const applyPresence = vi.fn()
    useStore.setState({ applyPresence })
    const socket = connect()
    render(<PresenceControl />)

    act(() => socket.receive('presence.updated', { userId: me.id, presence: 'online' }))
    expect(screen.getByRole('combobox', { name: 'Your status' })).toHaveDisplayValue('Online')
    act(() => socket.receive('presence.updated', { userId: teammateId, presence: 'away' }))
    expect(screen.getByRole('combobox', { name: 'Your status' })).toHaveDisplayValue('Online')
    act(() => socket.receive('presence.updated', { userId: me.id, presence: 'away' }))

    expect(screen.getByRole('combobox', { name: 'Your status' })).toHaveDisplayValue('Away')
    expect(applyPresence.mock.calls).toEqual([
      [me.id, 'online'],
      [teammateId, 'away'],
      [me.id, 'away'],
    ])
  })

  it('keeps what presence.updated said over an older answer to the load', async () => {
    let answer: (value: [number, unknown]) => void = () => {}
    api.on('GET', '/api/routing/agents', () => new Promise((resolve) => (answer = resolve)))
    const socket = connect()
    render(<PresenceControl />)
    await waitFor(() => expect(api.requests('GET', '/api/routing/agents')).toHaveLength(1))

    act(() => socket.receive('presence.updated', { userId: me.id, presence: 'away' }))
    await act(async () => answer([200, { items: [agentOf(me.id, 'online')] }]))

    expect(screen.getByRole('combobox', { name: 'Your status' })).toHaveDisplayValue('Away')
  })
})
