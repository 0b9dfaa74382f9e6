import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf } from './fake-api'
import type { FakeSocket } from './fake-socket'

const { sockets } = vi.hoisted(() => ({ sockets: [] as FakeSocket[] }))
vi.mock('socket.io-client', async () => (await import('./fake-socket')).fakeSocketModule(sockets))

const { syncSocketWithSession } = await import('../../client/src/api/socket')

const conversationId = '11111111-2222-4333-8444-555555555555'
let stop: () => void
let focused: boolean
let visibility: DocumentVisibilityState

function heartbeats(): unknown[] {
  return sockets[0]?.sentAs('conversation.working') ?? []
}

beforeEach(() => {
  vi.useFakeTimers()
  sockets.length = 0
  fakeApi()
  focused = true
  visibility = 'visible'
  vi.spyOn(document, 'hasFocus').mockImplementation(() => focused)
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility)
  stop = syncSocketWithSession()
  useStore.getState().startSession(sessionOf('agent'))
  sockets[0]?.receive('connect')
  useStore.getState().syncPath(`/inbox/${conversationId}`)
})

afterEach(() => {
  stop()
  vi.restoreAllMocks()
  vi.useRealTimers()
})

describe('the working heartbeat', () => {
  it('says every 15 s that the person works in the open conversation while they type or point', () => {
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }))

    vi.advanceTimersByTime(15_000)
    vi.advanceTimersByTime(15_000)

    expect(heartbeats()).toEqual([{ conversationId }, { conversationId }])
  })

  it('stops a minute after the last key or pointer move', () => {
    window.dispatchEvent(new Event('pointermove'))

    vi.advanceTimersByTime(120_000)

    expect(heartbeats()).toHaveLength(4)
  })

  it('says nothing without a sign of the person, in a hidden or unfocused tab, or with no conversation open', () => {
    vi.advanceTimersByTime(15_000)
    expect(heartbeats()).toEqual([])

    window.dispatchEvent(new Event('pointerdown'))
    focused = false
    vi.advanceTimersByTime(15_000)
    focused = true
    visibility = 'hidden'
    vi.advanceTimersByTime(15_000)
    visibility = 'visible'
    useStore.getState().syncPath('/inbox')
    vi.advanceTimersByTime(15_000)

    expect(heartbeats()).toEqual([])
  })
})
