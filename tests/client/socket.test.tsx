import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf, unauthorized } from './fake-api'

type Listener = (...args: unknown[]) => void

/** A stand-in for socket.io's client socket: records listeners so a test can play the server's part. */
class FakeSocket {
  listeners = new Map<string, Listener>()
  disconnected = false
  recovered = false
  on(event: string, listener: Listener) {
    this.listeners.set(event, listener)
    return this
  }
  emit(event: string, ...args: unknown[]) {
    this.listeners.get(event)?.(...args)
  }
  connect = vi.fn(() => {
    this.disconnected = false
  })
  disconnect = vi.fn(() => {
    this.disconnected = true
  })
}

const sockets: FakeSocket[] = []
vi.mock('socket.io-client', () => ({
  io: () => {
    const socket = new FakeSocket()
    sockets.push(socket)
    return socket
  },
}))

const { syncSocketWithSession } = await import('../../client/src/api/socket')

let api: ReturnType<typeof fakeApi>
let stop: () => void

beforeEach(() => {
  sockets.length = 0
  api = fakeApi()
  stop = syncSocketWithSession()
})

afterEach(() => stop())

describe('syncSocketWithSession', () => {
  it('connects only once someone is signed in', () => {
    expect(sockets).toHaveLength(0)

    useStore.getState().startSession(sessionOf('agent'))

    expect(sockets).toHaveLength(1)
  })

  it('disconnects when the session ends', () => {
    useStore.getState().startSession(sessionOf('agent'))

    useStore.getState().endSession()

    expect(sockets[0]?.disconnect).toHaveBeenCalled()
  })

  it('returns to the sign-in page when the server refuses the handshake', () => {
    useStore.getState().startSession(sessionOf('agent'))

    sockets[0]?.emit('connect_error', new Error('unauthorized'))

    expect(useStore.getState().sessionStatus).toBe('signedOut')
    expect(sockets[0]?.disconnect).toHaveBeenCalled()
  })

  it('keeps the session on other connection errors', () => {
    useStore.getState().startSession(sessionOf('agent'))

    sockets[0]?.emit('connect_error', new Error('websocket error'))

    expect(useStore.getState().sessionStatus).toBe('signedIn')
  })

  it('returns to the sign-in page when the server closed the socket because the session ended', async () => {
    api.on('GET', '/api/auth/me', unauthorized)
    useStore.getState().startSession(sessionOf('agent'))

    sockets[0]?.emit('disconnect', 'io server disconnect')

    await vi.waitFor(() => expect(useStore.getState().sessionStatus).toBe('signedOut'))
    expect(sockets[0]?.connect).not.toHaveBeenCalled()
  })

  it('reconnects when the server closed the socket but the session is still good', async () => {
    api.on('GET', '/api/auth/me', [200, sessionOf('agent')])
    useStore.getState().startSession(sessionOf('agent'))
    sockets[0]?.disconnect()

    sockets[0]?.emit('disconnect', 'io server disconnect')

    await vi.waitFor(() => expect(sockets[0]?.connect).toHaveBeenCalled())
    expect(useStore.getState().sessionStatus).toBe('signedIn')
    expect(sockets).toHaveLength(1)
  })

  it('opens a fresh socket when another user signs in', () => {
    useStore.getState().startSession(sessionOf('agent'))

    useStore.getState().startSession(sessionOf('admin'))

    expect(sockets).toHaveLength(2)
    expect(sockets[0]?.disconnect).toHaveBeenCalled()
  })
})
